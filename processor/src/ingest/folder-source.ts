import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { compareOldestFirst, isTrackingLogName, type LogFile } from './log-files.ts';

export class SourceError extends Error {}

/**
 * A file given by name is loaded whatever its name; a folder gives every `tracking.log*` file
 * below it, oldest first.
 */
export async function listPathSource(source: string): Promise<LogFile[]> {
  const absolute = path.resolve(source);
  const info = await stat(absolute).catch(() => {
    throw new SourceError(`log source ${source} does not exist`);
  });
  if (info.isFile()) return [await localFile(absolute)];
  if (!info.isDirectory()) throw new SourceError(`log source ${source} is not a file or folder`);
  const entries = await readdir(absolute, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && isTrackingLogName(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort(compareOldestFirst);
  return Promise.all(files.map(localFile));
}

async function localFile(location: string): Promise<LogFile> {
  const info = await stat(location);
  return {
    location,
    size: info.size,
    version: `mtime:${info.mtimeMs}`,
    open: async () => createReadStream(location, { highWaterMark: 1024 * 1024 }),
  };
}
