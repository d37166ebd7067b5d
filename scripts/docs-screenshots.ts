// Takes the screenshots of docs/course-staff.md from the running demo (`npm start`), signed in to
// the LMS stand-in as `staff`, at 1280 px wide, into docs/images/course-staff-*.png:
//
//   npm start                                  # in another terminal; wait for its address
//   npx tsx scripts/docs-screenshots.ts
//
// DOCS_DASHBOARD_URL (default http://127.0.0.1:8090) and CHROMIUM_PATH (default
// /usr/bin/chromium) say where the dashboard and the browser are.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Locator, type Page } from 'playwright-core';

const DASHBOARD = (process.env.DOCS_DASHBOARD_URL ?? 'http://127.0.0.1:8090').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const COURSE = 'course-v1:DemoOrg+STATS101+2025_T1';
const IMAGES = path.resolve(import.meta.dirname, '..', 'docs', 'images');
const WIDTH = 1280;

const file = (name: string) => path.join(IMAGES, `course-staff-${name}.png`);
const card = (page: Page, title: string | RegExp) =>
  page
    .locator('.card')
    .filter({ has: page.getByRole('heading', { name: title }) })
    .first();

/** Waits until the page has stopped loading and `charts` charts are drawn. */
async function settle(page: Page, charts = 0): Promise<void> {
  await page.waitForLoadState('networkidle');
  if (charts > 0) {
    const drawn = page.locator('[aria-roledescription="visualization"] svg');
    await drawn.nth(charts - 1).waitFor({ timeout: 20_000 });
  }
  await page.waitForTimeout(800); // the charts' entry transitions
}

type ShotOptions = {
  fullPage?: boolean;
  clip?: { x: number; y: number; width: number; height: number };
};

async function shoot(
  target: Page | Locator,
  name: string,
  options: ShotOptions = {},
): Promise<void> {
  await target.screenshot({ path: file(name), ...options });
  console.log(`wrote ${path.relative(process.cwd(), file(name))}`);
}

async function signIn(page: Page): Promise<void> {
  await page.goto(DASHBOARD);
  await page.waitForURL(/\/login\?next=/);
  await page.getByRole('button', { name: /^staff\b/ }).click();
  await page.waitForURL(`${DASHBOARD}/`);
}

async function coursesAndOverview(page: Page): Promise<void> {
  await page
    .getByRole('link', { name: /Statistics 101/ })
    .first()
    .waitFor();
  await settle(page);
  await shoot(page, 'courses', { clip: { x: 0, y: 0, width: WIDTH, height: 660 } });
  await page.goto(`${DASHBOARD}/courses/${encodeURIComponent(COURSE)}`);
  await page.getByRole('heading', { name: 'How active were learners each day?' }).waitFor();
  await settle(page, 2);
  await shoot(page, 'overview', { fullPage: true });
  await card(page, 'Active learners').getByRole('button').first().click();
  await page.waitForTimeout(600);
  await shoot(page, 'overview-info', { clip: { x: 0, y: 330, width: WIDTH, height: 330 } });
  await page.keyboard.press('Escape');
}

async function units(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Units', exact: true }).click();
  await page.getByRole('heading', { name: 'Where do learners spend their time?' }).waitFor();
  const url = new URL(page.url());
  url.searchParams.set('group', 'sequential');
  await page.goto(url.toString());
  await settle(page, 2);
  await shoot(page, 'units');
  for (const [title, name] of [
    ['How long does a learner spend on each unit?', 'units-mean'],
    ['When do learners visit each section?', 'units-daily'],
    ['How much time do learners spend outside units?', 'units-outside'],
  ] as const) {
    await card(page, title).scrollIntoViewIfNeeded();
    await settle(page);
    await shoot(card(page, title), name);
  }
}

async function videos(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Videos', exact: true }).click();
  const rows = page.locator('table').first().locator('tbody tr');
  await rows.first().waitFor();
  await settle(page);
  await shoot(page, 'videos');
  await rows.nth(4).getByRole('button').click();
  await page.getByRole('heading', { name: /^Which parts of / }).waitFor();
  await settle(page, 1);
  await shoot(card(page, /^Which parts of /), 'video-timeline');
}

async function learners(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Learners', exact: true }).click();
  const firstRow = () => page.locator('table').first().locator('tbody tr').first();
  await firstRow().waitFor();
  await settle(page);
  await shoot(page, 'learners');
  await page.getByRole('button', { name: 'Grid per unit' }).click();
  await page.waitForURL(/view=grid/);
  await firstRow().waitFor();
  await settle(page);
  await shoot(page, 'learners-grid');
  await page.getByRole('button', { name: 'Table' }).click();
  await firstRow().getByRole('link').click();
  await page.waitForURL(/\/learners\/[^/?]+/);
  await settle(page, 2);
  await shoot(page, 'learner', { fullPage: true });
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`CHROMIUM_PATH: no browser at ${CHROMIUM}`);
  const reachable = await fetch(DASHBOARD).then(
    (response) => response.ok,
    () => false,
  );
  if (!reachable)
    throw new Error(`DOCS_DASHBOARD_URL: nothing answers at ${DASHBOARD}; run npm start`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 900 } });
    const page = await context.newPage();
    await signIn(page);
    await coursesAndOverview(page);
    await units(page);
    await videos(page);
    await learners(page);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
