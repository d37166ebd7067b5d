import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_COURSE_ID,
  DEMO_OAUTH_CLIENTS,
  OTHER_COURSE_ID,
  startDevLms,
  type DevLms,
} from '../src/index.ts';

const rolesUrl = (lms: DevLms, courseId?: string) =>
  `${lms.url}/api/enrollment/v1/roles/${courseId ? `?course_id=${encodeURIComponent(courseId)}` : ''}`;
const blocksUrl = (lms: DevLms, courseId: string, extra = '&all_blocks=true') =>
  `${lms.url}/api/courses/v1/blocks/?course_id=${encodeURIComponent(courseId)}&depth=all` +
  `${extra}&requested_fields=children,display_name,type,graded,format,student_view_data` +
  '&student_view_data=video&return_type=dict';

interface CourseList {
  results: { id: string }[];
  pagination: { next: string; previous: string | null; count: number; num_pages: number };
}

async function get(url: string, authorization?: string): Promise<[number, unknown]> {
  const response = await fetch(
    url,
    authorization ? { headers: { Authorization: authorization } } : {},
  );
  return [response.status, await response.json()];
}

describe('roles API', () => {
  let lms: DevLms;
  let other: DevLms;
  beforeAll(async () => {
    [lms, other] = await Promise.all([startDevLms(), startDevLms()]);
  });
  afterAll(async () => {
    await Promise.all([lms.close(), other.close()]);
  });

  it('answers the roles of the caller in a course, by Authorization: JWT', async () => {
    const token = await lms.tokenFor('staff');
    expect(await get(rolesUrl(lms, DEMO_COURSE_ID), `JWT ${token}`)).toEqual([
      200,
      { roles: [{ org: 'DemoOrg', course_id: DEMO_COURSE_ID, role: 'staff' }], is_staff: false },
    ]);
    // Another course, or an unknown one: an empty list.
    expect(await get(rolesUrl(lms, OTHER_COURSE_ID), `JWT ${token}`)).toEqual([
      200,
      { roles: [], is_staff: false },
    ]);
    expect(await get(rolesUrl(lms, 'course-v1:No+Such+Course'), `JWT ${token}`)).toEqual([
      200,
      { roles: [], is_staff: false },
    ]);
  });

  it('lists every role without course_id; is_staff is the administrator flag', async () => {
    lms.roles.push({ username: 'staff', course_id: OTHER_COURSE_ID, role: 'beta_testers' });
    try {
      const [status, body] = await get(rolesUrl(lms), `Bearer ${await lms.tokenFor('staff')}`);
      expect(status).toBe(200);
      expect(body).toEqual({
        roles: [
          { org: 'DemoOrg', course_id: DEMO_COURSE_ID, role: 'staff' },
          { org: 'OtherOrg', course_id: OTHER_COURSE_ID, role: 'beta_testers' },
        ],
        is_staff: false,
      });
    } finally {
      lms.roles.pop();
    }
    expect(await get(rolesUrl(lms, DEMO_COURSE_ID), `JWT ${await lms.tokenFor('admin')}`)).toEqual([
      200,
      { roles: [], is_staff: true },
    ]);
    lms.roles.push({ username: 'learner', course_id: DEMO_COURSE_ID, role: 'staff', org: 'Org2' });
    try {
      const [, body] = await get(rolesUrl(lms), `JWT ${await lms.tokenFor('learner')}`);
      expect(body).toEqual({
        roles: [{ org: 'Org2', course_id: DEMO_COURSE_ID, role: 'staff' }],
        is_staff: false,
      });
    } finally {
      lms.roles.pop();
    }
  });

  it('accepts the JWT cookie pair', async () => {
    const token = await lms.tokenFor('researcher');
    const cookie = lms.cookieHeader(token);
    expect(cookie).toBe(
      `edx-jwt-cookie-header-payload=${token.split('.').slice(0, 2).join('.')}; ` +
        `edx-jwt-cookie-signature=${token.split('.')[2]}`,
    );
    const response = await fetch(rolesUrl(lms, DEMO_COURSE_ID), { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      roles: [{ org: 'DemoOrg', course_id: DEMO_COURSE_ID, role: 'data_researcher' }],
      is_staff: false,
    });
    // Half of the pair is no credential.
    const half = await fetch(rolesUrl(lms), {
      headers: { Cookie: cookie.split('; ')[0]! },
    });
    expect(half.status).toBe(401);
  });

  it('401 with a DRF detail for missing, garbage, foreign, expired or misaddressed tokens', async () => {
    const cases: [string, string | undefined][] = [
      ['none', undefined],
      ['garbage', 'JWT not.a.jwt'],
      ['bare', 'JWT'],
      ['other key', `JWT ${await other.tokenFor('staff')}`],
      ['expired', `JWT ${await lms.tokenFor('staff', { expiresIn: -5 })}`],
      ['audience', `JWT ${await lms.tokenFor('staff', { claims: { aud: 'someone-else' } })}`],
      ['issuer', `JWT ${await lms.tokenFor('staff', { claims: { iss: 'https://x/oauth2' } })}`],
      ['not yet', `Bearer ${await lms.tokenFor('staff', { notBefore: 300 })}`],
    ];
    for (const [name, authorization] of cases) {
      const response = await fetch(
        rolesUrl(lms, DEMO_COURSE_ID),
        authorization ? { headers: { Authorization: authorization } } : {},
      );
      expect(response.status, name).toBe(401);
      expect(response.headers.get('www-authenticate'), name).toBe('JWT realm="api"');
      const body = (await response.json()) as { detail: string };
      expect(Object.keys(body), name).toEqual(['detail']);
    }
    const [, expired] = await get(
      rolesUrl(lms),
      `JWT ${await lms.tokenFor('staff', { expiresIn: -5 })}`,
    );
    expect(expired).toEqual({ detail: 'Signature has expired.' });
    expect((await get(rolesUrl(lms)))[1]).toEqual({
      detail: 'Authentication credentials were not provided.',
    });
  });

  it('follows changes to users and roles between requests', async () => {
    lms.users.set('newcomer', { username: 'newcomer', userId: 99 });
    lms.roles.push({ username: 'newcomer', course_id: DEMO_COURSE_ID, role: 'instructor' });
    try {
      const [status, body] = await get(
        rolesUrl(lms, DEMO_COURSE_ID),
        `JWT ${await lms.tokenFor('newcomer')}`,
      );
      expect(status).toBe(200);
      expect(body).toEqual({
        roles: [{ org: 'DemoOrg', course_id: DEMO_COURSE_ID, role: 'instructor' }],
        is_staff: false,
      });
    } finally {
      lms.roles.pop();
      lms.users.delete('newcomer');
    }
  });
});

describe('OAuth2 client credentials and the Course Blocks API', () => {
  let lms: DevLms;
  const client = { clientId: 'processor', clientSecret: 's3cret', username: 'service' };
  beforeAll(async () => {
    lms = await startDevLms({
      users: [
        { username: 'service', userId: 10, administrator: true },
        { username: 'staff', userId: 11 },
        { username: 'instructor', userId: 12 },
        { username: 'researcher', userId: 13 },
        { username: 'learner', userId: 14 },
      ],
      roles: [
        { username: 'staff', course_id: DEMO_COURSE_ID, role: 'staff' },
        { username: 'instructor', course_id: DEMO_COURSE_ID, role: 'instructor' },
        { username: 'researcher', course_id: DEMO_COURSE_ID, role: 'data_researcher' },
      ],
      oauthClients: [client],
    });
  });
  afterAll(async () => {
    await lms.close();
  });

  const tokenRequest = (form: Record<string, string>) =>
    fetch(`${lms.url}/oauth2/access_token`, { method: 'POST', body: new URLSearchParams(form) });

  it('issues a JWT for the service user of a good client', async () => {
    const response = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      token_type: 'jwt',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'JWT',
      expires_in: 36000,
      scope: 'read write profile email',
    });
    const jwks = createRemoteJWKSet(new URL(`${lms.url}/auth/jwks.json`));
    const { payload } = await jwtVerify(body.access_token as string, jwks, {
      issuer: lms.issuer,
      audience: lms.audience,
    });
    expect(payload).toMatchObject({ preferred_username: 'service', administrator: true });
    expect(payload.exp! - payload.iat!).toBe(36000);

    const [status, blocks] = await get(
      blocksUrl(lms, DEMO_COURSE_ID),
      `JWT ${body.access_token as string}`,
    );
    expect(status).toBe(200);
    expect(blocks).toMatchObject({ root: expect.stringContaining('type@course') });
  });

  it('refuses a bad client (401) and another grant (400)', async () => {
    const bad = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: 'wrong',
      token_type: 'jwt',
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'invalid_client' });
    const unknown = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'nobody',
      client_secret: client.clientSecret,
    });
    expect(unknown.status).toBe(401);
    const grant = await tokenRequest({
      grant_type: 'password',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      username: 'service',
      password: 'x',
    });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toEqual({ error: 'unsupported_grant_type' });
    expect((await fetch(`${lms.url}/oauth2/access_token`)).status).toBe(405);
  });

  it('gives an opaque Bearer token without token_type=jwt, which Bearer auth accepts', async () => {
    const response = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    });
    const body = (await response.json()) as { access_token: string; token_type: string };
    expect(body.token_type).toBe('Bearer');
    expect(body.access_token.split('.')).toHaveLength(1);
    expect((await get(blocksUrl(lms, DEMO_COURSE_ID), `Bearer ${body.access_token}`))[0]).toBe(200);
    expect((await get(blocksUrl(lms, DEMO_COURSE_ID), `JWT ${body.access_token}`))[0]).toBe(401);
  });

  it('blocks: 401 without a token, 403 without staff access, 404 unknown, 200 for staff', async () => {
    expect((await get(blocksUrl(lms, DEMO_COURSE_ID)))[0]).toBe(401);
    expect(
      await get(blocksUrl(lms, DEMO_COURSE_ID), `JWT ${await lms.tokenFor('learner')}`),
    ).toEqual([403, { detail: 'You do not have permission to perform this action.' }]);
    const researcher = `JWT ${await lms.tokenFor('researcher')}`;
    expect((await get(blocksUrl(lms, DEMO_COURSE_ID), researcher))[0]).toBe(403);
    const service = `JWT ${await lms.tokenFor('service')}`;
    const [missing, detail] = await get(blocksUrl(lms, 'course-v1:No+Such+Course'), service);
    expect(missing).toBe(404);
    expect(detail).toEqual({ detail: expect.stringContaining('Block not found') });
    // Without staff access, an unknown course is a 403 too (the permission check comes first).
    const staff = `JWT ${await lms.tokenFor('staff')}`;
    expect((await get(blocksUrl(lms, 'course-v1:No+Such+Course'), staff))[0]).toBe(403);
    for (const who of [staff, `JWT ${await lms.tokenFor('instructor')}`, service]) {
      const [status, body] = await get(blocksUrl(lms, DEMO_COURSE_ID), who);
      expect(status).toBe(200);
      expect(body).toEqual(lms.courses.get(DEMO_COURSE_ID)!.blocks);
    }
    // A token saying administrator acts as global staff (JWT_PAYLOAD_USER_ATTRIBUTE_MAPPING).
    const promoted = `JWT ${await lms.tokenFor('learner', { claims: { administrator: true } })}`;
    expect((await get(blocksUrl(lms, DEMO_COURSE_ID), promoted))[0]).toBe(200);
  });

  it('blocks: 400 without course_id, or without all_blocks nor username', async () => {
    const service = `JWT ${await lms.tokenFor('service')}`;
    expect((await get(`${lms.url}/api/courses/v1/blocks/?depth=all`, service))[0]).toBe(400);
    expect((await get(blocksUrl(lms, DEMO_COURSE_ID, ''), service))[0]).toBe(400);
    expect((await get(blocksUrl(lms, DEMO_COURSE_ID, '&username=staff'), service))[0]).toBe(200);
  });

  it('blocks: serves the blocks given, and a generated structure when a course has none', async () => {
    const service = `JWT ${await lms.tokenFor('service')}`;
    const answer = { root: 'block-v1:A+B+C+type@course+block@course', blocks: {} };
    lms.courses.set('course-v1:A+B+C', {
      course_id: 'course-v1:A+B+C',
      name: 'ABC',
      blocks: answer,
    });
    lms.courses.set('course-v1:A+B+D', { course_id: 'course-v1:A+B+D', name: 'ABD' });
    try {
      expect(await get(blocksUrl(lms, 'course-v1:A+B+C'), service)).toEqual([200, answer]);
      const [status, generated] = await get(blocksUrl(lms, 'course-v1:A+B+D'), service);
      expect(status).toBe(200);
      const tree = generated as { root: string; blocks: Record<string, { type: string }> };
      expect(tree.root).toBe('block-v1:A+B+D+type@course+block@course');
      expect(tree.blocks[tree.root]!.type).toBe('course');
      expect(Object.values(tree.blocks).filter((b) => b.type === 'vertical')).toHaveLength(8);
    } finally {
      lms.courses.delete('course-v1:A+B+C');
      lms.courses.delete('course-v1:A+B+D');
    }
  });
});

describe('Courses API', () => {
  let lms: DevLms;
  beforeAll(async () => {
    lms = await startDevLms({
      courses: [
        { course_id: 'course-v1:O+C1+R', name: 'One', start: '2025-01-01T00:00:00Z', end: null },
        { course_id: 'course-v1:O+C2+R', name: 'Two', image: '/asset/two.png' },
        { course_id: 'course-v1:P+C3+R', name: 'Three', image: 'https://cdn.example.test/3.jpg' },
      ],
    });
  });
  afterAll(async () => {
    await lms.close();
  });

  it('answers one course publicly, 404 for an unknown one', async () => {
    const [status, body] = await get(`${lms.url}/api/courses/v1/courses/course-v1:O+C1+R`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: 'course-v1:O+C1+R',
      course_id: 'course-v1:O+C1+R',
      name: 'One',
      start: '2025-01-01T00:00:00Z',
      end: null,
      org: 'O',
      number: 'C1',
      short_description: '',
      media: {
        image: {
          raw: expect.stringMatching(/^http:\/\//),
          small: expect.any(String),
          large: expect.any(String),
        },
      },
    });
    const [, two] = await get(
      `${lms.url}/api/courses/v1/courses/${encodeURIComponent('course-v1:O+C2+R')}/`,
    );
    expect((two as { media: { image: { raw: string } } }).media.image.raw).toBe(
      `${lms.url}/asset/two.png`,
    );
    const [, three] = await get(`${lms.url}/api/courses/v1/courses/course-v1:P+C3+R`);
    expect((three as { media: { image: { large: string } } }).media.image.large).toBe(
      'https://cdn.example.test/3.jpg',
    );
    expect(await get(`${lms.url}/api/courses/v1/courses/course-v1:O+Nope+R`)).toEqual([
      404,
      { detail: 'Not found.' },
    ]);
    // Public, but a bad token that is sent is refused.
    expect((await get(`${lms.url}/api/courses/v1/courses/course-v1:O+C1+R`, 'JWT x.y.z'))[0]).toBe(
      401,
    );
    // The placeholder image is served.
    const [, one] = await get(`${lms.url}/api/courses/v1/courses/course-v1:O+C1+R`);
    const image = await fetch((one as { media: { image: { raw: string } } }).media.image.raw);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('lists courses by course_keys, paginated with absolute next/previous URLs', async () => {
    const keys = 'course-v1:O+C1+R,course-v1:O+C2+R,course-v1:P+C3+R,course-v1:X+Y+Z';
    const first = `${lms.url}/api/courses/v1/courses/?course_keys=${encodeURIComponent(keys)}&page_size=2`;
    const [status, page1] = (await get(first)) as [number, CourseList];
    expect(status).toBe(200);
    expect(page1.results.map((c) => c.id)).toEqual(['course-v1:O+C1+R', 'course-v1:O+C2+R']);
    expect(page1.pagination).toMatchObject({ count: 3, num_pages: 2, previous: null });
    expect(page1.pagination.next).toMatch(new RegExp(`^${lms.url}/api/courses/v1/courses/\\?`));
    const [, page2] = (await get(page1.pagination.next)) as [number, CourseList];
    expect(page2.results.map((c) => c.id)).toEqual(['course-v1:P+C3+R']);
    expect(page2.pagination.next).toBeNull();
    expect(page2.pagination.previous).toMatch(/page=1/);
    expect((await get(`${first}&page=3`))[0]).toBe(404);

    const [, all] = (await get(`${lms.url}/api/courses/v1/courses/`)) as [number, CourseList];
    expect(all.pagination).toEqual({ next: null, previous: null, count: 3, num_pages: 1 });
    const [, byOrg] = (await get(`${lms.url}/api/courses/v1/courses/?org=P`)) as [
      number,
      CourseList,
    ];
    expect(byOrg.results.map((c) => c.id)).toEqual(['course-v1:P+C3+R']);
  });

  it('lists the courses a user staffs with username & permissions=staff', async () => {
    lms.roles.push({ username: 'staff', course_id: 'course-v1:O+C2+R', role: 'staff' });
    try {
      const url = `${lms.url}/api/courses/v1/courses/?username=staff&permissions=staff`;
      const [status, body] = (await get(url, `JWT ${await lms.tokenFor('staff')}`)) as [
        number,
        CourseList,
      ];
      expect(status).toBe(200);
      expect(body.results.map((c) => c.id)).toEqual(['course-v1:O+C2+R']);
      expect((await get(url, `JWT ${await lms.tokenFor('learner')}`))[0]).toBe(403);
      const [, admin] = (await get(
        `${lms.url}/api/courses/v1/courses/?username=admin&permissions=staff`,
        `JWT ${await lms.tokenFor('admin')}`,
      )) as [number, CourseList];
      expect(admin.pagination.count).toBe(3);
    } finally {
      lms.roles.pop();
    }
  });
});

describe('routing and the request log', () => {
  let lms: DevLms;
  beforeAll(async () => {
    lms = await startDevLms();
  });
  afterAll(async () => {
    await lms.close();
  });

  it('answers 404 JSON elsewhere and records every request', async () => {
    const [status, body] = await get(`${lms.url}/api/nothing/here?x=1`);
    expect(status).toBe(404);
    expect(body).toEqual({ detail: 'Not found.' });
    const token = await lms.tokenFor('staff');
    await fetch(rolesUrl(lms, DEMO_COURSE_ID), { headers: { Authorization: `JWT ${token}` } });
    await fetch(`${lms.url}/oauth2/access_token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: DEMO_OAUTH_CLIENTS[0]!.clientId,
        client_secret: DEMO_OAUTH_CLIENTS[0]!.clientSecret,
        token_type: 'jwt',
      }),
    });
    expect(lms.requests).toEqual([
      { endpoint: 'unknown', method: 'GET', path: '/api/nothing/here?x=1', status: 404 },
      {
        endpoint: 'roles',
        method: 'GET',
        path: `/api/enrollment/v1/roles/?course_id=${encodeURIComponent(DEMO_COURSE_ID)}`,
        authorization: `JWT ${token}`,
        status: 200,
      },
      { endpoint: 'token', method: 'POST', path: '/oauth2/access_token', status: 200 },
    ]);
    const home = await fetch(`${lms.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Not signed in');
  });
});

describe('user accounts API (frontend-platform asks it at start)', () => {
  let lms: DevLms;
  beforeAll(async () => {
    lms = await startDevLms();
  });
  afterAll(() => lms.close());
  const accountUrl = (username: string) =>
    `${lms.url}/api/user/v1/accounts/${encodeURIComponent(username)}`;

  it("answers the caller's own account", async () => {
    const [status, account] = await get(accountUrl('staff'), `JWT ${await lms.tokenFor('staff')}`);
    expect(status).toBe(200);
    expect(account).toMatchObject({
      username: 'staff',
      name: 'Alice Staff',
      email: 'staff@example.com',
      profile_image: { has_image: false },
    });
  });

  it("hides another's account but from global staff, and needs a signed-in caller", async () => {
    const learner = `JWT ${await lms.tokenFor('learner')}`;
    expect(await get(accountUrl('staff'), learner)).toEqual([404, { detail: 'Not found.' }]);
    const admin = `JWT ${await lms.tokenFor('admin')}`;
    expect((await get(accountUrl('staff'), admin))[0]).toBe(200);
    expect((await get(accountUrl('nobody'), admin))[0]).toBe(404);
    expect((await get(accountUrl('staff')))[0]).toBe(401);
  });
});
