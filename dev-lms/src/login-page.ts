import type { DevLmsCourse, DevLmsRole, DevLmsUser } from './types.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const ROLE_LABELS: Record<string, string> = {
  staff: 'course staff',
  instructor: 'instructor',
  data_researcher: 'data researcher',
  beta_testers: 'beta tester',
  ccx_coach: 'CCX coach',
  finance_admin: 'finance admin',
  sales_admin: 'sales admin',
  library_user: 'library user',
};

/** "course staff of Statistics 101 (course-v1:…)", "global staff (administrator)", "learner …". */
export function describeUser(
  user: DevLmsUser,
  roles: readonly DevLmsRole[],
  courses: ReadonlyMap<string, DevLmsCourse>,
): string {
  const parts: string[] = [];
  if (user.superuser) parts.push('superuser');
  if (user.administrator) parts.push('global staff (administrator)');
  for (const role of roles) {
    if (role.username !== user.username) continue;
    const course = courses.get(role.course_id);
    const where = course ? `${course.name} (${role.course_id})` : role.course_id;
    parts.push(`${ROLE_LABELS[role.role] ?? role.role} of ${where}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'learner, no course role';
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} | dev-lms</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
  .warning { background: #fff4e5; border-left: 4px solid #b35900; padding: 0.5rem 1rem; }
  ul { list-style: none; padding: 0; }
  li { margin: 0.5rem 0; }
  button { width: 100%; text-align: left; padding: 0.75rem 1rem; font: inherit; cursor: pointer;
    border: 1px solid #555; border-radius: 4px; background: #fff; }
  button:hover, button:focus-visible { background: #e8f0fe; outline: 3px solid #0a58ca; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const WARNING =
  '<p class="warning" role="note">dev-lms: a stand-in for the Open edX LMS, for development and ' +
  'tests only. There are no passwords: never expose it.</p>';

/** The sign-in page: one submit button per user, each saying what that user is. */
export function renderLoginPage(options: {
  users: Iterable<DevLmsUser>;
  roles: readonly DevLmsRole[];
  courses: ReadonlyMap<string, DevLmsCourse>;
  next: string;
}): string {
  const items = [...options.users]
    .map((user) => {
      const what = describeUser(user, options.roles, options.courses);
      return (
        `<li><button type="submit" name="username" value="${escapeHtml(user.username)}">` +
        `<strong>${escapeHtml(user.username)}</strong> — ${escapeHtml(what)}` +
        `</button></li>`
      );
    })
    .join('\n');
  return page(
    'Sign in',
    `<h1>Sign in</h1>
${WARNING}
<form method="post" action="/login">
<input type="hidden" name="next" value="${escapeHtml(options.next)}">
<fieldset>
<legend>Sign in as</legend>
<ul>
${items}
</ul>
</fieldset>
</form>`,
  );
}

export function renderMessagePage(title: string, message: string, link?: string): string {
  const back = link ? `\n<p><a href="${escapeHtml(link)}">Back to sign in</a></p>` : '';
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>${back}`);
}

export function renderHomePage(username: string | undefined): string {
  const who = username
    ? `<p>Signed in as <strong>${escapeHtml(username)}</strong>.</p>
<p><a href="/logout">Sign out</a></p>`
    : '<p>Not signed in.</p>\n<p><a href="/login">Sign in</a></p>';
  return page('dev-lms', `<h1>dev-lms</h1>\n${WARNING}\n${who}`);
}
