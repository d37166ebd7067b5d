// Debian's Chromium, as the end-to-end tests drive it (through playwright-core), and signing in to
// the dashboard through the LMS stand-in's sign-in page.
import { existsSync } from 'node:fs';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Download,
  type Page,
} from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

export interface SignInOptions {
  /** Extra context options (ignoreHTTPSErrors behind a self-signed certificate, ...). */
  context?: BrowserContextOptions;
  /** Every console message of the page, besides errors being printed. */
  onConsole?: (text: string, type: string) => void;
  /** Called with the page before it opens anything (to watch its console and errors). */
  watch?: (page: Page) => void;
}

/** A new browser context signed in to the LMS stand-in as `user`, on the dashboard's home page. */
export async function signIn(
  browser: Browser,
  dashboard: string,
  user: string,
  options: SignInOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    ...options.context,
  });
  const page = await context.newPage();
  options.watch?.(page);
  page.on('console', (message) => {
    options.onConsole?.(message.text(), message.type());
    if (message.type() === 'error') console.error(`[browser ${user}] ${message.text()}`);
  });
  page.on('pageerror', (error) => console.error(`[browser ${user}] ${error.message}`));
  await page.goto(dashboard);
  await page.waitForURL(/\/login\?next=/);
  await page.getByRole('button', { name: new RegExp(`^${user}\\b`) }).click();
  await page.waitForURL(`${dashboard}/`);
  return { context, page };
}

/** Downloads, through its menu, the CSV of the chart under this heading once it is drawn. */
export async function downloadChartCsv(page: Page, heading: string): Promise<Download> {
  const card = page.locator('.card').filter({ has: page.getByRole('heading', { name: heading }) });
  await card.locator('[aria-roledescription="visualization"]').waitFor();
  await card.getByRole('button', { name: 'Chart actions' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  return download;
}
