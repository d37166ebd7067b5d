// The demo's dashboard: built for the demo's addresses when its sources or settings changed since
// the last build (the build takes a minute; a second start should not), then served.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PreviewServer } from 'vite';
import { buildSite, serveSite } from '../../frontend-app-stats/build-site.ts';

const appFolder = path.resolve(import.meta.dirname, '../../frontend-app-stats');
const BUILD_INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', '.env'];
const STAMP = '.demo-build-stamp';

export async function serveDashboard(
  outDir: string,
  port: number,
  settings: Record<string, string>,
): Promise<PreviewServer> {
  const stamp = await buildStamp(settings);
  const stampFile = path.join(outDir, STAMP);
  const built = existsSync(stampFile) && (await readFile(stampFile, 'utf8')) === stamp;
  if (built) {
    console.log('\nThe dashboard is built already (same sources and settings).');
  } else {
    console.log('\nBuilding the dashboard (the next start reuses the build) ...');
    await buildSite(outDir, settings);
    await writeFile(stampFile, stamp);
  }
  return serveSite(outDir, port);
}

/** A digest of everything the build depends on: the app's files, the lock file, the settings. */
async function buildStamp(settings: Record<string, string>): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(settings));
  const files = [path.resolve(appFolder, '../package-lock.json')];
  for (const input of BUILD_INPUTS) files.push(...(await filesUnder(path.join(appFolder, input))));
  for (const file of files.sort()) {
    hash.update(path.relative(appFolder, file)).update(await readFile(file));
  }
  return hash.digest('hex');
}

async function filesUnder(entry: string): Promise<string[]> {
  if (!existsSync(entry)) return [];
  const found = await readdir(entry, { recursive: true, withFileTypes: true }).catch(() => null);
  if (found === null) return [entry];
  return found.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}
