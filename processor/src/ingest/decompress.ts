import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

export interface Content {
  /** Whether the stored bytes are gzip. */
  gzip: boolean;
  chunks: AsyncIterable<Buffer>;
}

/**
 * The content of a log file: gunzipped when its first bytes are the gzip magic number, whatever
 * its name, so gzipped and plain files can be mixed. A truncated or corrupt gzip stream throws.
 */
export async function decompressed(raw: AsyncIterable<Buffer>): Promise<Content> {
  const iterator = raw[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < 2) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.length;
  }
  const first = Buffer.concat(head);
  const stored = replay(first, iterator);
  if (first[0] !== 0x1f || first[1] !== 0x8b) return { gzip: false, chunks: stored };
  const gunzip = createGunzip();
  // pipeline destroys the gunzip stream with the source's error, which its iterator then throws.
  pipeline(Readable.from(stored), gunzip, () => {});
  return { gzip: true, chunks: gunzip };
}

async function* replay(
  first: Buffer,
  iterator: AsyncIterator<Buffer>,
): AsyncGenerator<Buffer, void, undefined> {
  if (first.length > 0) yield first;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    yield next.value;
  }
}
