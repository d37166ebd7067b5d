// The dashboard end to end, in headless Chromium (Debian's `chromium`, driven by playwright-core),
// against the real API, a real PostgreSQL with a generated course and the LMS stand-in issuing
// real cookies. Screenshots of every page go to frontend-app-stats/test-results/screenshots/.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CourseListItem, Overview } from '@course-stats/db/types';
import { COURSE, startStack, URLS, type Stack } from './stack.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(import.meta.dirname, '..', 'test-results', 'screenshots');
const available = existsSync(CHROMIUM);
if (!available) console.warn(`no Chromium at ${CHROMIUM}: skipping the end-to-end test`);

/** The page may take a moment: a chart loads vega on first use, a slow CI machine more. */
const POLL = { timeout: 15_000 };

const courseUrl = `${URLS.dashboard}/courses/${encodeURIComponent(COURSE)}`;
const number = (value: number) => new Intl.NumberFormat('en').format(value);
/** The dashboard's duration format ("12 h 30 min", "45 min", "40 s"). */
function duration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (minutes < 60) return `${number(minutes)} min`;
  return `${number(Math.floor(minutes / 60))} h ${number(minutes % 60)} min`;
}

describe.runIf(available)('the dashboard in a browser (issue: frontend, end to end)', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    stack = await startStack();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** A new browser signed in to the LMS stand-in as `user`, on the dashboard's home page. */
  async function signIn(user: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') console.error(`[browser ${user}] ${message.text()}`);
    });
    page.on('pageerror', (error) => console.error(`[browser ${user}] ${error.message}`));
    await page.goto(URLS.dashboard);
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole('button', { name: new RegExp(`^${user}\\b`) }).click();
    await page.waitForURL(`${URLS.dashboard}/`);
    return { context, page };
  }

  /** The course's whole run as the API gives it (its first and last local day). */
  async function wholeRun(page: Page): Promise<{ from: string; to: string }> {
    const response = await page.request.get(`${URLS.api}/api/v1/courses`);
    const [course] = (await response.json()) as CourseListItem[];
    return { from: course!.first_day!, to: course!.last_day! };
  }

  const day = (iso: string, add = 0) =>
    new Date(Date.parse(`${iso}T00:00:00Z`) + add * 86_400_000).toISOString().slice(0, 10);
  const spoken = (iso: string) =>
    new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${iso}T12:00:00Z`),
    );

  /** A drawn chart whose text alternative starts so (vega gives it the role graphics-document). */
  const chart = (page: Page, alternative: string) =>
    page.locator(`[aria-roledescription="visualization"][aria-label^="${alternative}"]`);

  async function apiOverview(page: Page, from: string, to: string): Promise<Overview> {
    const response = await page.request.get(
      `${URLS.api}/api/v1/courses/${encodeURIComponent(COURSE)}/overview?from=${from}&to=${to}`,
    );
    expect(response.status()).toBe(200);
    return (await response.json()) as Overview;
  }

  async function expectStatCards(page: Page, overview: Overview) {
    const card = (title: string) =>
      page
        .locator('.card')
        .filter({ has: page.getByRole('heading', { name: title, exact: true }) });
    await expect
      .poll(() => card('Active learners').locator('p').textContent(), POLL)
      .toBe(number(overview.active_learners));
    expect(await card('Enrolled').locator('p').textContent()).toBe(
      number(overview.enrolled_learners),
    );
    expect(await card('Time spent').locator('p').textContent()).toBe(duration(overview.time_s));
    expect(await card('Unit visits').locator('p').textContent()).toBe(number(overview.visits));
    expect(await card('Video watched').locator('p').textContent()).toBe(
      duration(overview.video_watch_s),
    );
  }

  it('signs course staff in through the LMS and shows the same numbers as the API', async () => {
    const { context, page } = await signIn('staff');
    try {
      const link = page.getByRole('link', { name: 'Statistics 101: Learning from Data' });
      await expect.poll(() => link.count(), POLL).toBe(1);
      await page.screenshot({ path: path.join(SCREENSHOTS, '01-courses.png'), fullPage: true });

      await link.click();
      await page.waitForURL(`${courseUrl}*`);
      await page
        .getByRole('heading', { level: 1, name: 'Statistics 101: Learning from Data' })
        .waitFor();
      const run = await wholeRun(page);
      const whole = await apiOverview(page, run.from, run.to);
      expect(whole.active_learners).toBeGreaterThan(20);
      await expectStatCards(page, whole);
      await chart(page, `From ${spoken(run.from)} to ${spoken(run.to)}: `).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, '02-overview.png'), fullPage: true });

      // The range: a preset, in the URL, and the numbers of that range.
      await page.getByRole('button', { name: 'Last 7 days' }).click();
      const week = { from: day(run.to, -6), to: run.to };
      await page.waitForURL(new RegExp(`from=${week.from}&to=${week.to}`));
      await expectStatCards(page, await apiOverview(page, week.from, week.to));

      // The grouping of "Where do learners go?".
      await page.getByLabel('Group by').selectOption('sequential');
      await page.waitForURL(/group=sequential/);
      // (a subsection's label has two numbers: "2.1 Name")
      await expect
        .poll(() => chart(page, 'Most visited: ').getAttribute('aria-label'), POLL)
        .toMatch(/^Most visited: \d+\.\d+ .+ with [\d,]+ visits\.$/);
    } finally {
      await context.close();
    }
  });

  it('shows the units and the videos of the range, as the API counts them', async () => {
    const { context, page } = await signIn('researcher');
    try {
      const run = await wholeRun(page);
      const range = `from=${run.from}&to=${run.to}`;
      await page.goto(`${courseUrl}?${range}`);
      await page.getByRole('link', { name: 'Units', exact: true }).click();
      await page.waitForURL(new RegExp(`/units\\?.*${range}`));
      await page.getByRole('heading', { name: 'Where do learners spend their time?' }).waitFor();
      const tab = (name: string) => page.getByRole('link', { name, exact: true });
      expect(await tab('Units').getAttribute('aria-current')).toBe('page');
      expect(await tab('Overview').getAttribute('aria-current')).toBeNull();
      await page.locator('[aria-roledescription="visualization"]').first().waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, '04-units.png'), fullPage: true });

      const api = `${URLS.api}/api/v1/courses/${encodeURIComponent(COURSE)}`;
      const videos = (await (await page.request.get(`${api}/videos?${range}`)).json()) as {
        name: string;
      }[];
      expect(videos.length).toBeGreaterThan(0);
      await page.getByRole('link', { name: 'Videos', exact: true }).click();
      const table = page.locator('table').first();
      await expect.poll(() => table.locator('tbody tr').count(), POLL).toBe(videos.length);
      await table.locator('tbody tr').first().getByRole('button').click();
      await page.waitForURL(/video=/);
      await page.getByRole('heading', { name: /^Which parts of / }).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, '05-videos.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('lists the learners as the API does, and opens one learner', async () => {
    const { context, page } = await signIn('staff');
    try {
      const run = await wholeRun(page);
      const range = `from=${run.from}&to=${run.to}`;
      const api = `${URLS.api}/api/v1/courses/${encodeURIComponent(COURSE)}`;
      const listed = (await (await page.request.get(`${api}/learners?${range}`)).json()) as {
        total: number;
        rows: { username: string }[];
      };
      expect(listed.total).toBeGreaterThan(20);
      await page.goto(`${courseUrl}/learners?${range}`);
      const table = page.locator('table').first();
      await expect
        .poll(() => table.locator('tbody tr').count(), POLL)
        .toBe(Math.min(50, listed.total));
      await expect
        .poll(() => table.locator('tbody tr').first().getByRole('link').textContent(), POLL)
        .toBe(listed.rows[0]!.username);
      await page.screenshot({ path: path.join(SCREENSHOTS, '06-learners.png'), fullPage: true });

      await page.getByRole('button', { name: 'Grid per unit' }).click();
      await page.waitForURL(/view=grid/);
      await page.locator('table').first().locator('tbody tr').first().waitFor();
      await page.screenshot({
        path: path.join(SCREENSHOTS, '07-learner-grid.png'),
        fullPage: true,
      });

      await page.getByRole('button', { name: 'Table' }).click();
      await table.locator('tbody tr').first().getByRole('link').click();
      await page.waitForURL(new RegExp(`/learners/${listed.rows[0]!.username}`));
      await page
        .getByRole('heading', { level: 2, name: new RegExp(listed.rows[0]!.username) })
        .first()
        .waitFor();
      // both charts drawn: the units and the videos of this learner
      await expect
        .poll(() => page.locator('[aria-roledescription="visualization"]').count(), POLL)
        .toBe(2);
      await page.screenshot({ path: path.join(SCREENSHOTS, '08-learner.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('downloads a chart as the CSV of the API', async () => {
    const { context, page } = await signIn('instructor');
    try {
      await page.goto(`${courseUrl}?from=2025-09-01&to=2025-09-10`);
      const daily = page.locator('.card').filter({
        has: page.getByRole('heading', { name: 'How active were learners each day?' }),
      });
      await daily.locator('[aria-roledescription="visualization"]').waitFor();
      await daily.getByRole('button', { name: 'Chart actions' }).click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(
        'DemoOrg-STATS101-2025_T1-daily-2025-09-01-to-2025-09-10.csv',
      );
      const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\r\n');
      expect(lines[0]).toBe('date,active_learners,time_s,visits,video_watch_s');
      expect(lines).toHaveLength(11);
    } finally {
      await context.close();
    }
  });

  it('tells a learner who opens a course page that they are not on the team', async () => {
    const { context, page } = await signIn('learner');
    try {
      await page.getByText('You are not on the team of any course with data yet.').waitFor();
      await page.goto(courseUrl);
      await page
        .getByRole('heading', { name: `You are not on the course team of ${COURSE}.` })
        .waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, '03-not-on-team.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
