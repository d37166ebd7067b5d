import { once } from 'node:events';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export interface Content {
  /** Whether the stored bytes are gzip. */
  gzip: boolean;
  chunks: Readable;
}

const CHUNK_BYTES = 256 * 1024;

/**
 * The content of a log file: gunzipped when its first bytes are the gzip magic number, whatever
 * its name, so gzipped and plain files can be mixed. A truncated or corrupt gzip stream, or an
 * error of the source, makes the returned stream fail.
 */
export async function decompressed(raw: Readable, onBytes?: (n: number) => void): Promise<Content> {
  const head = await readHead(raw);
  if (onBytes) raw.on('data', (chunk: Buffer) => onBytes(chunk.length));
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    // Stream errors are passed on, so a consumer of the content sees the source's failure.
    return {
      gzip: false,
      chunks: pipeline(raw, new PassThrough({ highWaterMark: CHUNK_BYTES }), () => {}),
    };
  }
  return { gzip: true, chunks: pipeline(raw, createGunzip({ chunkSize: CHUNK_BYTES }), () => {}) };
}

/** The first two bytes (fewer for a shorter stream), put back for the consumer to read. */
async function readHead(raw: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < 2 && !raw.readableEnded) {
    const chunk = raw.read() as Buffer | null;
    if (chunk === null) {
      await Promise.race([once(raw, 'readable'), once(raw, 'end')]);
      continue;
    }
    parts.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(parts);
  if (head.length > 0) raw.unshift(head);
  return head;
}
