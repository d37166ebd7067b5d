// The edge configuration (nginx/) under Debian's nginx: the template rendered as the container
// renders it and checked with `nginx -t`, then the whole stack once through it: redirects,
// security headers, the SPA fallback, caching, compression, the CSV, and the dashboard in
// Chromium under the Content-Security-Policy.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Overview } from '@course-stats/db/types';
import {
  findNginx,
  getRaw,
  NGINX_TEMPLATE,
  NGINX_VARIABLES,
  prepareNginx,
  renderTemplate,
  selfSignedCertificate,
  startNginx,
  type NginxSettings,
  type RawAnswer,
} from '../../test-support/nginx.ts';
import {
  chromiumAvailable,
  CHROMIUM,
  downloadChartCsv,
  launchChromium,
  signIn,
} from './browser.ts';
import { COURSE, startStack, type Stack, type StackLayout } from './stack.ts';

const nginx = findNginx();
if (!nginx) console.warn('no nginx (NGINX_PATH, else /usr/sbin/nginx): skipping the nginx tests');
if (!chromiumAvailable) console.warn(`no Chromium at ${CHROMIUM}: skipping the browser via nginx`);

const PORTS = { lms: 18_200, api: 18_280, https: 18_443, http: 18_281 };
const EDGE = `https://127.0.0.1:${PORTS.https}`;
const LMS = `http://127.0.0.1:${PORTS.lms}`;
const FRAME_ANCESTORS = `'self' ${LMS}`;
const POLL = { timeout: 15_000 };

/** The template's settings for a site on 127.0.0.1 whose files live in `folder`. */
function siteSettings(folder: string, tls: { certificate: string; key: string }): NginxSettings {
  return {
    STATS_SERVER_NAME: '127.0.0.1',
    STATS_HTTP_PORT: String(PORTS.http),
    STATS_HTTPS_PORT: String(PORTS.https),
    STATS_API_UPSTREAM: `127.0.0.1:${PORTS.api}`,
    STATS_LMS_ORIGIN: LMS,
    STATS_FRAME_ANCESTORS: FRAME_ANCESTORS,
    STATS_TLS_CERTIFICATE: tls.certificate,
    STATS_TLS_CERTIFICATE_KEY: tls.key,
    STATS_DASHBOARD_ROOT: path.join(folder, 'dashboard'),
    STATS_ACME_ROOT: path.join(folder, 'acme'),
  };
}

describe.runIf(nginx)('the edge configuration (issue: nginx/)', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'course-stats-nginx-'));
  });
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('renders only its own variables, as envsubst with their list does', async () => {
    const template = await readFile(NGINX_TEMPLATE, 'utf8');
    const values = siteSettings(folder, { certificate: 'c.pem', key: 'k.pem' });
    const rendered = renderTemplate(template, values, NGINX_VARIABLES);
    expect(rendered).not.toMatch(/\$\{?STATS_/);
    for (const own of ['$host', '$request_uri', '$uri', '$scheme', '$remote_addr']) {
      expect(rendered).toContain(own);
    }
    // (the official image's entrypoint runs envsubst: compare with it where it is installed)
    const list = NGINX_VARIABLES.map((name) => `\${${name}}`).join(' ');
    const byEnvsubst = envsubst(template, list, values);
    if (byEnvsubst !== undefined) expect(rendered).toBe(byEnvsubst);
  });

  it('names a variable left without a value', async () => {
    const template = await readFile(NGINX_TEMPLATE, 'utf8');
    const values: Partial<NginxSettings> = siteSettings(folder, { certificate: 'c', key: 'k' });
    delete values.STATS_LMS_ORIGIN;
    expect(() => renderTemplate(template, values, NGINX_VARIABLES)).toThrow(
      'the nginx template needs a value for STATS_LMS_ORIGIN',
    );
  });

  it('passes nginx -t', async () => {
    const tls = await selfSignedCertificate(folder);
    const prepared = await prepareNginx(nginx!, folder, siteSettings(folder, tls));
    expect(await prepared.check()).toMatch(/test is successful/);
  });

  it('passes an API answer on while it streams, compressed too', async () => {
    // an API that sends a first part, then holds the rest until that part went through nginx
    let upstreamEnded = false;
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
      setTimeout(resolve, 3_000);
    });
    const upstream = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
      response.write('date,visits\r\n'.repeat(100));
      void released.then(() => {
        upstreamEnded = true;
        response.end('total,0\r\n');
      });
    });
    upstream.listen(PORTS.api, '127.0.0.1');
    await once(upstream, 'listening');
    const tls = await selfSignedCertificate(folder);
    const running = await startNginx(
      nginx!,
      await prepareNginx(nginx!, folder, siteSettings(folder, tls)),
      PORTS.https,
    );
    try {
      const seen = await firstPartAndWhole(`${EDGE}/api/v1/slow.csv`, {
        upstreamEnded: () => upstreamEnded,
        release,
      });
      expect(seen.endedBeforeFirstPart).toBe(false);
      expect(seen.encoding).toBe('gzip');
      expect(gunzipSync(seen.whole).toString()).toMatch(/^date,visits\r\n[^]*total,0\r\n$/);
    } finally {
      await running.close();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});

describe.runIf(nginx)('the whole stack through nginx (issue: nginx/, end to end)', () => {
  let folder: string;
  let stack: Stack;
  let dashboard: string;
  /** The staff user's LMS cookies, as the browser would send them. */
  let cookie: string;
  const coursePath = `/api/v1/courses/${encodeURIComponent(COURSE)}`;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'course-stats-edge-'));
    const settings = siteSettings(folder, await selfSignedCertificate(folder));
    dashboard = settings.STATS_DASHBOARD_ROOT;
    const challenges = path.join(settings.STATS_ACME_ROOT, '.well-known', 'acme-challenge');
    await mkdir(challenges, { recursive: true });
    await writeFile(path.join(challenges, 'a-token'), 'a-token.key-authorization');
    const layout: StackLayout = {
      urls: { lms: LMS, api: EDGE, dashboard: EDGE },
      ports: { lms: PORTS.lms, api: PORTS.api },
      apiBaseUrl: '',
      outDir: dashboard,
      async serve() {
        return startNginx(nginx!, await prepareNginx(nginx!, folder, settings), PORTS.https);
      },
    };
    stack = await startStack(layout);
    cookie = stack.lms.cookieHeader(await stack.lms.tokenFor('staff'));
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const edge = (pathAndQuery: string, headers: Record<string, string> = {}) =>
    getRaw(`${EDGE}${pathAndQuery}`, headers);
  const direct = (pathAndQuery: string, headers: Record<string, string> = {}) =>
    getRaw(`http://127.0.0.1:${PORTS.api}${pathAndQuery}`, headers);
  /** The first script of the built index.html: a hashed file under /assets/. */
  async function entryScript(): Promise<string> {
    const html = await readFile(path.join(dashboard, 'index.html'), 'utf8');
    return /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
  }
  const range = 'from=2025-09-01&to=2025-09-10';

  it('sends plain HTTP to HTTPS, except the ACME challenges', async () => {
    const deep = `/courses/${encodeURIComponent(COURSE)}/units?${range}`;
    const answer = await getRaw(`http://127.0.0.1:${PORTS.http}${deep}`);
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`https://127.0.0.1${deep}`);
    const challenge = await getRaw(
      `http://127.0.0.1:${PORTS.http}/.well-known/acme-challenge/a-token`,
    );
    expect(challenge.status).toBe(200);
    expect(challenge.body.toString()).toBe('a-token.key-authorization');
  });

  it('puts the security headers on every answer, errors included', async () => {
    const answers: [string, RawAnswer][] = [
      ['/', await edge('/')],
      ['deep link', await edge(`/courses/${encodeURIComponent(COURSE)}/learners`)],
      ['asset', await edge(await entryScript())],
      ['missing asset', await edge('/assets/missing.js')],
      ['API', await edge(`${coursePath}/overview?${range}`, { cookie })],
      ['API refusal', await edge('/api/v1/courses')],
      ['API health', await edge('/api/health')],
    ];
    expect(answers.map(([what, answer]) => [what, answer.status])).toEqual([
      ['/', 200],
      ['deep link', 200],
      ['asset', 200],
      ['missing asset', 404],
      ['API', 200],
      ['API refusal', 401],
      ['API health', 200],
    ]);
    for (const [what, { headers }] of answers) {
      expect(headers['strict-transport-security'], what).toBe(
        'max-age=31536000; includeSubDomains',
      );
      expect(headers['x-content-type-options'], what).toBe('nosniff');
      expect(headers['referrer-policy'], what).toBe('strict-origin-when-cross-origin');
      expect(policy(headers['content-security-policy']), what).toEqual({
        'default-src': "'self'",
        'script-src': "'self'",
        'style-src': "'self' 'unsafe-inline'",
        'img-src': `'self' data: https: ${LMS}`,
        'font-src': "'self' data:",
        'connect-src': `'self' ${LMS}`,
        'form-action': `'self' ${LMS}`,
        'frame-ancestors': FRAME_ANCESTORS,
        'base-uri': "'self'",
        'object-src': "'none'",
      });
      expect(headers.server, what).toBe('nginx');
    }
  });

  it('answers deep links with the app, a missing asset with a 404', async () => {
    const index = await readFile(path.join(dashboard, 'index.html'), 'utf8');
    const deep = await edge(`/courses/${encodeURIComponent(COURSE)}/units?${range}&group=unit`);
    expect(deep.status).toBe(200);
    expect(deep.headers['content-type']).toMatch(/^text\/html/);
    expect(deep.body.toString()).toBe(index);
    const missing = await edge('/assets/missing-0123abcd.js');
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).not.toBe(index);
  });

  it('caches hashed assets for a year, revalidates the app, leaves the API its own', async () => {
    const asset = await edge(await entryScript());
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await edge('/')).headers['cache-control']).toBe('no-cache');
    expect((await edge('/courses/x/videos')).headers['cache-control']).toBe('no-cache');
    expect((await edge('/assets/missing.js')).headers['cache-control']).toBeUndefined();
    const api = `${coursePath}/overview?${range}`;
    expect((await edge(api, { cookie })).headers['cache-control']).toBe(
      (await direct(api, { cookie })).headers['cache-control'],
    );
  });

  it("compresses scripts and the API's JSON", async () => {
    const gzip = { 'accept-encoding': 'gzip' };
    const script = await entryScript();
    const asset = await edge(script, gzip);
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect(asset.headers.vary).toMatch(/Accept-Encoding/);
    // (Buffer.equals: a deep toEqual over a megabyte of script takes seconds)
    const inflated = gunzipSync(asset.body);
    expect(inflated.equals(await readFile(path.join(dashboard, script)))).toBe(true);

    const api = `${coursePath}/units?${range}`;
    const answer = await edge(api, { ...gzip, cookie });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(gunzipSync(answer.body).toString())).toEqual(
      JSON.parse((await direct(api, { cookie })).body.toString()),
    );
  });

  it('passes a CSV download through, with its file name', async () => {
    const csv = `${coursePath}/overview?${range}&format=csv`;
    const answer = await edge(csv, { cookie, 'accept-encoding': 'gzip' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/csv/);
    expect(answer.headers['content-disposition']).toBe(
      'attachment; filename="DemoOrg-STATS101-2025_T1-daily-2025-09-01-to-2025-09-10.csv"',
    );
    // passed on as it streams, never gathered into one sized body first
    expect(answer.headers['content-length']).toBeUndefined();
    const lines = gunzipSync(answer.body).toString().trimEnd().split('\r\n');
    expect(lines[0]).toBe('date,active_learners,time_s,visits,video_watch_s');
    expect(lines).toHaveLength(11);
    expect(lines.join('\r\n')).toBe((await direct(csv, { cookie })).body.toString().trimEnd());
  });

  describe.runIf(chromiumAvailable)('in Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('shows every page, numbers as the API answers them, without a CSP violation', async () => {
      const messages: string[] = [];
      const { context, page } = await signIn(browser, EDGE, 'staff', {
        context: { ignoreHTTPSErrors: true },
        onConsole: (text) => messages.push(text),
      });
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      const drawn = page.locator('.stats-chart[aria-roledescription="visualization"] svg.marks');
      try {
        const link = page.getByRole('link', { name: 'Statistics 101: Learning from Data' });
        await expect.poll(() => link.count(), POLL).toBe(1);

        await link.click();
        await page.waitForURL(`${EDGE}/courses/**`);
        await page.goto(`${EDGE}/courses/${encodeURIComponent(COURSE)}?${range}`);
        const response = await page.request.get(`${EDGE}${coursePath}/overview?${range}`);
        const overview = (await response.json()) as Overview;
        expect(overview.active_learners).toBeGreaterThan(0);
        const activeLearners = page
          .locator('.card')
          .filter({ has: page.getByRole('heading', { name: 'Active learners', exact: true }) })
          .locator('p');
        await expect
          .poll(() => activeLearners.textContent(), POLL)
          .toBe(new Intl.NumberFormat('en').format(overview.active_learners));
        await expect.poll(() => drawn.count(), POLL).toBeGreaterThan(0);

        const download = await downloadChartCsv(page, 'How active were learners each day?');
        expect(download.suggestedFilename()).toBe(
          'DemoOrg-STATS101-2025_T1-daily-2025-09-01-to-2025-09-10.csv',
        );

        // the other pages, each opened as a deep link (the SPA fallback answers it)
        const open = (view: string) =>
          page.goto(`${EDGE}/courses/${encodeURIComponent(COURSE)}/${view}?${range}`);
        await open('units');
        await drawn.first().waitFor(POLL);
        await open('videos');
        await page.locator('table tbody tr').first().getByRole('button').click();
        await page.getByRole('heading', { name: /^Which parts of / }).waitFor(POLL);
        await drawn.first().waitFor(POLL);
        await open('learners');
        await page.locator('table tbody tr').first().getByRole('link').waitFor(POLL);
      } finally {
        await context.close();
      }
      expect(messages.filter((text) => /Refused to|Content.Security.Policy/i.test(text))).toEqual(
        [],
      );
      expect(pageErrors).toEqual([]);
    });
  });
});

/** A Content-Security-Policy header as directive → sources. */
function policy(header: string | string[] | undefined): Record<string, string> {
  const directives = String(header ?? '')
    .split(';')
    .map((directive) => directive.trim().split(/\s+/))
    .filter((words) => words[0] !== '');
  return Object.fromEntries(directives.map(([name, ...sources]) => [name, sources.join(' ')]));
}

/** What `envsubst <list>` writes for `template`; undefined where envsubst is not installed. */
function envsubst(template: string, list: string, values: Record<string, string>) {
  try {
    return execFileSync('envsubst', [list], {
      input: template,
      env: { PATH: process.env.PATH, ...values },
      encoding: 'utf8',
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * GETs `url` (gzip accepted, any certificate trusted), noting whether the upstream had already
 * ended when the first part arrived; `release` then lets the upstream end.
 */
function firstPartAndWhole(
  url: string,
  upstream: { upstreamEnded: () => boolean; release: () => void },
): Promise<{ endedBeforeFirstPart: boolean; encoding?: string; whole: Buffer }> {
  return new Promise((resolve, reject) => {
    const options = { rejectUnauthorized: false, headers: { 'accept-encoding': 'gzip' } };
    https
      .get(url, options, (response) => {
        const parts: Buffer[] = [];
        let endedBeforeFirstPart: boolean | undefined;
        response.on('data', (part: Buffer) => {
          endedBeforeFirstPart ??= upstream.upstreamEnded();
          parts.push(part);
          upstream.release();
        });
        response.on('end', () =>
          resolve({
            endedBeforeFirstPart: endedBeforeFirstPart!,
            encoding: response.headers['content-encoding'],
            whole: Buffer.concat(parts),
          }),
        );
      })
      .on('error', reject);
  });
}
