// The dashboard end to end, in headless Chromium (Debian's `chromium`, driven by playwright-core),
// against the real API, a real PostgreSQL with a generated course and the LMS stand-in issuing
// real cookies. Screenshots of every page go to frontend-app-stats/test-results/screenshots/.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CourseListItem, Overview } from '@course-stats/db/types';
import {
  CHROMIUM,
  chromiumAvailable,
  downloadChartCsv,
  launchChromium,
  signIn as signInAt,
} from './browser.ts';
import { COURSE, startStack, URLS, type Stack } from './stack.ts';

const SCREENSHOTS = path.resolve(import.meta.dirname, '..', 'test-results', 'screenshots');
if (!chromiumAvailable) console.warn(`no Chromium at ${CHROMIUM}: skipping the end-to-end test`);

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

/** A request the stack fails on purpose (Chromium logs each failed request as a console error). */
interface Failure {
  status: number;
  url: RegExp;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const EXPECTED_FAILURES: Failure[] = [
  // frontend-platform asks for a fresh token before anyone has signed in
  { status: 401, url: new RegExp(`^${escape(URLS.lms)}/login_refresh$`) },
  // the header's notifications tray asks the LMS's notifications API, which the stand-in lacks
  { status: 404, url: new RegExp(`^${escape(URLS.lms)}/api/notifications/count/$`) },
  // the stand-in's sign-in page has no icon
  { status: 404, url: new RegExp(`^${escape(URLS.lms)}/favicon.ico$`) },
];

describe.runIf(chromiumAvailable)(
  'the dashboard in a browser (issue: frontend, end to end)',
  () => {
    let stack: Stack;
    let browser: Browser;

    beforeAll(async () => {
      await mkdir(SCREENSHOTS, { recursive: true });
      stack = await startStack();
      browser = await launchChromium();
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await stack?.close();
    });

    /**
     * What the browser reported that no test expects (console errors, uncaught errors), checked
     * after every test. A request that failed is reported by Chromium as a console error too:
     * those the stack answers on purpose are listed in EXPECTED_FAILURES.
     */
    let unexpected: string[] = [];
    beforeEach(() => {
      unexpected = [];
    });
    afterEach(() => {
      expect(unexpected, 'console errors and page errors in the browser').toEqual([]);
    });

    /** A new browser signed in to the LMS stand-in as `user`, on the dashboard's home page. */
    async function signIn(
      user: string,
      options: { viewport?: { width: number; height: number }; failures?: Failure[] } = {},
    ): Promise<{ context: BrowserContext; page: Page }> {
      return signInAt(browser, URLS.dashboard, user, {
        context: { viewport: options.viewport ?? { width: 1280, height: 900 }, locale: 'en-US' },
        watch: (page) =>
          watchErrors(page, user, [...EXPECTED_FAILURES, ...(options.failures ?? [])]),
      });
    }

    function watchErrors(page: Page, user: string, failures: Failure[]) {
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const status = /status of (\d+)/.exec(message.text())?.[1];
        const url = message.location().url;
        const expected = failures.some(
          (failure) => String(failure.status) === status && failure.url.test(url),
        );
        if (!expected) unexpected.push(`[${user}] console: ${message.text()} (${url})`);
      });
      page.on('pageerror', (error) => {
        unexpected.push(`[${user}] page error: ${error.name}: ${error.message}`);
      });
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

    /** The course's first video and the range's most active learner, as the API lists them. */
    async function firstVideoAndLearner(page: Page, range: string) {
      const api = `${URLS.api}/api/v1/courses/${encodeURIComponent(COURSE)}`;
      const videos = (await (await page.request.get(`${api}/videos?${range}`)).json()) as {
        id: string;
      }[];
      const learners = (await (await page.request.get(`${api}/learners?${range}`)).json()) as {
        rows: { username: string }[];
      };
      return { video: videos[0]!.id, username: learners.rows[0]!.username };
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
        const download = await downloadChartCsv(page, 'How active were learners each day?');
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
      const { context, page } = await signIn('learner', {
        // the API's answer to someone not on the course team
        failures: [{ status: 403, url: new RegExp(`^${escape(URLS.api)}/api/v1/courses/`) }],
      });
      try {
        await page.getByText('You are not on the team of any course with data yet.').waitFor();
        await page.goto(courseUrl);
        await page
          .getByRole('heading', { name: `You are not on the course team of ${COURSE}.` })
          .waitFor();
        await page.screenshot({
          path: path.join(SCREENSHOTS, '03-not-on-team.png'),
          fullPage: true,
        });
      } finally {
        await context.close();
      }
    });

    it('works with the keyboard alone, every control named and its focus shown', async () => {
      const { context, page } = await signIn('staff');
      try {
        const run = await wholeRun(page);
        const { username } = await firstVideoAndLearner(page, `from=${run.from}&to=${run.to}`);
        await expectNamedControls(page, 'courses');
        await tabTo(page, page.getByRole('link', { name: 'Statistics 101: Learning from Data' }));
        await page.keyboard.press('Enter');
        await page.waitForURL(`${courseUrl}*`);
        await chart(page, 'From ').waitFor();
        await expectNamedControls(page, 'overview');

        // The range: a preset, then custom days typed in the date fields.
        await tabTo(page, page.getByRole('button', { name: 'Last 7 days' }));
        await page.keyboard.press('Enter');
        await page.waitForURL(new RegExp(`from=${day(run.to, -6)}&to=${run.to}`));
        await tabTo(page, page.getByRole('button', { name: 'Custom' }));
        await page.keyboard.press('Space');
        const custom = { from: day(run.from, 1), to: day(run.from, 3) };
        await tabTo(page, page.getByLabel('From', { exact: true }));
        await page.keyboard.type(typedDate(custom.from));
        await tabTo(page, page.getByLabel('To', { exact: true }));
        await page.keyboard.type(typedDate(custom.to));
        await tabTo(page, page.getByRole('button', { name: 'Apply' }));
        await page.keyboard.press('Enter');
        await page.waitForURL(new RegExp(`from=${custom.from}&to=${custom.to}`));

        // An info popover opens with Enter and closes with Escape.
        await tabTo(page, page.getByRole('button', { name: 'What does “Active learners” count?' }));
        await page.keyboard.press('Enter');
        const popover = page.getByRole('tooltip');
        await expect.poll(() => popover.textContent(), POLL).toMatch(/^Learners who did anything/);
        await page.keyboard.press('Escape');
        await popover.waitFor({ state: 'detached' });

        // The chart's menu: its numbers as a table, then the CSV and the SVG downloads.
        const daily = page.locator('.card').filter({
          has: page.getByRole('heading', { name: 'How active were learners each day?' }),
        });
        await daily.locator('[aria-roledescription="visualization"]').waitFor();
        const menuItem = async (name: string) => {
          await tabTo(page, daily.getByRole('button', { name: 'Chart actions' }));
          await page.keyboard.press('Enter');
          await arrowTo(page, page.getByRole('button', { name }));
        };
        await menuItem('Show as table');
        await page.keyboard.press('Enter');
        await daily.getByRole('table', { name: 'How active were learners each day?' }).waitFor();
        await menuItem('Download CSV');
        const csv = page.waitForEvent('download');
        await page.keyboard.press('Enter');
        expect((await csv).suggestedFilename()).toMatch(/-daily-.+\.csv$/);
        await menuItem('Show as chart');
        await page.keyboard.press('Enter');
        await daily.locator('[aria-roledescription="visualization"]').waitFor();
        await menuItem('Download SVG');
        const svg = page.waitForEvent('download');
        await page.keyboard.press('Enter');
        expect((await svg).suggestedFilename()).toBe('daily-activity.svg');

        // Units: the grouping, a select changed with the arrow keys.
        await tabTo(page, page.getByRole('link', { name: 'Units', exact: true }), 'back');
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/units\?/);
        await page.locator('[aria-roledescription="visualization"]').first().waitFor();
        await expectNamedControls(page, 'units');
        await tabTo(page, page.getByLabel('Group by'));
        await page.keyboard.press('ArrowDown');
        await page.waitForURL(/group=sequential/);

        // Videos: sort by a column, then open a video's timeline.
        await tabTo(page, page.getByRole('link', { name: 'Videos', exact: true }), 'back');
        await page.keyboard.press('Enter');
        const table = page.locator('table').first();
        await table.locator('tbody tr').first().waitFor();
        await expectNamedControls(page, 'videos');
        await tabTo(page, page.getByRole('button', { name: 'Views', exact: true }));
        await page.keyboard.press('Enter');
        await page.waitForURL(/sort=views&order=asc/);
        await page.keyboard.press('Enter');
        await page.waitForURL(/sort=views&order=desc/);
        const first = table.locator('tbody tr').first().getByRole('button');
        const name = await first.textContent();
        await tabTo(page, first);
        await page.keyboard.press('Enter');
        await page.waitForURL(/video=/);
        await page
          .getByRole('heading', { name: `Which parts of “${name}” do learners watch?` })
          .waitFor();
        expect(await first.getAttribute('aria-pressed')).toBe('true');

        // Learners: sort, the grid and back, a page, a search, and one learner's page.
        await tabTo(page, page.getByRole('link', { name: 'Learners', exact: true }), 'back');
        await page.keyboard.press('Enter');
        await table.locator('tbody tr').first().waitFor();
        await expectNamedControls(page, 'learners');
        await tabTo(page, page.getByRole('button', { name: 'Sessions', exact: true }));
        await page.keyboard.press('Enter');
        await page.waitForURL(/sort=sessions/);
        await tabTo(page, page.getByRole('button', { name: 'Grid per unit' }), 'back');
        await page.keyboard.press('Space');
        await page.waitForURL(/view=grid/);
        await table.locator('tbody tr').first().waitFor();
        await expectNamedControls(page, 'learner grid');
        // per unit, the grid is wider than the card: focused, it scrolls with the arrow keys
        await tabTo(page, page.getByLabel('Group by'));
        await page.keyboard.press('ArrowUp');
        await page.waitForURL(/group=unit/);
        const grid = page.getByRole('region', {
          name: /^Time spent per .+ for each learner, from /,
        });
        await expect
          .poll(() => grid.evaluate((box) => box.scrollWidth - box.clientWidth), POLL)
          .toBeGreaterThan(0);
        await tabTo(page, grid);
        for (let presses = 0; presses < 5; presses += 1) await page.keyboard.press('ArrowRight');
        await expect.poll(() => grid.evaluate((box) => box.scrollLeft), POLL).toBeGreaterThan(0);
        await tabTo(page, page.getByRole('button', { name: 'Table', exact: true }), 'back');
        await page.keyboard.press('Space');
        await tabTo(page, page.getByRole('button', { name: /^Next/ }));
        await page.keyboard.press('Enter');
        await page.waitForURL(/page=2/);
        await tabTo(
          page,
          page.getByRole('searchbox', { name: 'Search learners by username' }),
          'back',
        );
        await page.keyboard.type(username);
        await page.waitForURL(new RegExp(`q=${escape(encodeURIComponent(username))}`));
        const learner = table.getByRole('link', { name: username, exact: true });
        await tabTo(page, learner);
        await page.keyboard.press('Enter');
        await page.waitForURL(new RegExp(`/learners/${escape(encodeURIComponent(username))}\\?`));
        await expect
          .poll(() => page.locator('[aria-roledescription="visualization"]').count(), POLL)
          .toBe(2);
        await expectNamedControls(page, 'learner');
        await tabTo(page, page.getByRole('link', { name: 'All learners' }), 'back');
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/learners\?/);
      } finally {
        await context.close();
      }
    });

    it('fits a 390 px wide phone: the page never scrolls sideways, wide tables scroll in place', async () => {
      const { context, page } = await signIn('staff', { viewport: PHONE });
      try {
        const run = await wholeRun(page);
        const range = `from=${run.from}&to=${run.to}`;
        const { video, username } = await firstVideoAndLearner(page, range);
        const drawn = (count: number) => () =>
          expect
            .poll(() => page.locator('[aria-roledescription="visualization"]').count(), POLL)
            .toBe(count);
        const rows = () => page.locator('table').first().locator('tbody tr').first().waitFor();
        const pages: [name: string, url: string, ready: () => Promise<unknown>][] = [
          [
            'courses',
            `${URLS.dashboard}/`,
            () => page.getByRole('link', { name: /^Statistics 101/ }).waitFor(),
          ],
          ['overview', `${courseUrl}?${range}`, drawn(2)],
          ['units', `${courseUrl}/units?${range}`, drawn(3)],
          ['videos', `${courseUrl}/videos?${range}&video=${encodeURIComponent(video)}`, drawn(1)],
          ['learners', `${courseUrl}/learners?${range}`, rows],
          ['learner-grid', `${courseUrl}/learners?${range}&view=grid`, rows],
          ['learner', `${courseUrl}/learners/${encodeURIComponent(username)}?${range}`, drawn(2)],
        ];
        for (const [name, url, ready] of pages) {
          await page.goto(url);
          await ready();
          await page.screenshot({
            path: path.join(SCREENSHOTS, `${name}-390.png`),
            fullPage: true,
          });
          const width = await pageWidth(page);
          expect
            .soft(
              width.scrollWidth,
              `${name}: wider than the screen: ${width.overflowing.join(', ')}`,
            )
            .toBeLessThanOrEqual(width.innerWidth);
        }
      } finally {
        await context.close();
      }
    });
  },
);

const PHONE = { width: 390, height: 844 };

/** How wide the page is, and the elements that stick out of the screen (not inside a scroller). */
function pageWidth(page: Page) {
  return page.evaluate(() => {
    const scrolls = (element: Element) =>
      ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(element).overflowX);
    const inScroller = (element: Element) => {
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        if (parent === document.body) return false;
        if (scrolls(parent)) return true;
      }
      return false;
    };
    const overflowing = [...document.body.querySelectorAll('*')]
      .filter((element) => element.getBoundingClientRect().right > innerWidth + 0.5)
      .filter((element) => !inScroller(element))
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, overflowing };
  });
}

/** A day as typed in Chromium's date field of the en-US locale: month, day, year. */
function typedDate(iso: string): string {
  const [year, month, dayOfMonth] = iso.split('-');
  return `${month}${dayOfMonth}${year}`;
}

/** Whether the element is the focused one. */
const hasFocus = (target: Locator) =>
  target.evaluate((element) => element === document.activeElement);

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, then checks that the focus shows: an
 * outline or a shadow on the element, or a ring drawn around it (Paragon's ::before / ::after).
 */
async function tabTo(page: Page, target: Locator, direction: 'forward' | 'back' = 'forward') {
  await target.waitFor();
  const key = direction === 'forward' ? 'Tab' : 'Shift+Tab';
  for (let presses = 0; presses < 300; presses += 1) {
    await page.keyboard.press(key);
    if (await hasFocus(target)) {
      expect(await focusShows(target), `the focus on ${target} shows`).toBe(true);
      return;
    }
  }
  throw new Error(`${key} never reaches ${target}`);
}

/** Presses ArrowDown (in an open menu) until `target` has the focus. */
async function arrowTo(page: Page, target: Locator) {
  await target.waitFor();
  for (let presses = 0; presses < 10; presses += 1) {
    await page.keyboard.press('ArrowDown');
    if (await hasFocus(target)) return;
  }
  throw new Error(`ArrowDown never reaches ${target}`);
}

function focusShows(target: Locator) {
  return target.evaluate((element) => {
    const drawn = (style: CSSStyleDeclaration) =>
      (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
      style.boxShadow !== 'none' ||
      (style.borderTopStyle !== 'none' && parseFloat(style.borderTopWidth) > 0);
    const ring = (pseudo: string) => {
      const style = getComputedStyle(element, pseudo);
      return style.content !== 'none' && style.content !== 'normal' && drawn(style);
    };
    const own = getComputedStyle(element);
    return (
      (own.outlineStyle !== 'none' && parseFloat(own.outlineWidth) > 0) ||
      own.boxShadow !== 'none' ||
      ring('::before') ||
      ring('::after')
    );
  });
}

/** Every control of the page has a name a screen reader says (the accessibility tree's). */
async function expectNamedControls(page: Page, where: string) {
  const tree = await page.locator('body').ariaSnapshot();
  const unnamed = tree
    .split('\n')
    .filter((line) =>
      /^\s*- (button|link|combobox|textbox|searchbox|checkbox|radio|tab|menuitem)\b(?! ")/.test(
        line,
      ),
    );
  expect(unnamed, `controls without a name on the ${where} page`).toEqual([]);
}
