// The bytes a cached answer is sent as: its UTF-8 text, and that text gzipped for clients that
// accept gzip (every browser, and nginx passes their Accept-Encoding on). Both are kept for
// recent answers, so a cached answer is encoded and compressed once per process instead of for
// every request (by the API, or by nginx, whose gzip leaves an answer that arrives compressed
// as it is).
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipBytes = promisify(gzip);

/** Smaller answers are sent as they are: compressing them saves less than it costs the client. */
export const COMPRESS_FROM_BYTES = 1024;

export interface AnswerBytes {
  identity: Uint8Array<ArrayBuffer>;
  /** The gzipped bytes, compressed on first use; undefined below COMPRESS_FROM_BYTES. */
  gzip?: () => Promise<Uint8Array<ArrayBuffer>>;
}

/**
 * Recent answers' bytes, keyed by the answer's text (the cache in this process hands out the
 * same string while an entry lives, so its hash is computed once). Bounded by entries and by the
 * bytes held (the gzipped bytes counted once compressed); the oldest go first.
 */
const recent = new Map<string, { bytes: AnswerBytes; size: number }>();
let recentBytes = 0;
const MAX_ANSWERS = 256;
const MAX_BYTES = 32 * 1024 * 1024;
const encoder = new TextEncoder();

export function answerBytes(json: string): AnswerBytes {
  const known = recent.get(json);
  if (known) return known.bytes;
  const identity = encoder.encode(json);
  const entry = { bytes: { identity } as AnswerBytes, size: identity.byteLength };
  if (identity.byteLength >= COMPRESS_FROM_BYTES) {
    let compressed: Promise<Uint8Array<ArrayBuffer>> | undefined;
    entry.bytes.gzip = () =>
      (compressed ??= gzipBytes(identity).then(
        (buffer) => {
          const gzipped = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
          if (recent.get(json) === entry) grow(entry, gzipped.byteLength);
          return gzipped as Uint8Array<ArrayBuffer>;
        },
        (error: unknown) => {
          compressed = undefined; // the next request tries again
          throw error;
        },
      ));
  }
  if (identity.byteLength <= MAX_BYTES) {
    recent.set(json, entry);
    recentBytes += entry.size;
    dropOldest();
  }
  return entry.bytes;
}

function grow(entry: { size: number }, added: number) {
  entry.size += added;
  recentBytes += added;
  dropOldest();
}

function dropOldest() {
  while (recent.size > MAX_ANSWERS || recentBytes > MAX_BYTES) {
    const [oldest, { size }] = recent.entries().next().value!;
    recent.delete(oldest);
    recentBytes -= size;
  }
}

/**
 * Whether an Accept-Encoding header admits gzip (RFC 9110 §12.5.3: listed, or covered by `*`,
 * with a weight above 0). The few distinct headers clients send are remembered.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let accepted = gzipAccepted.get(header);
  if (accepted === undefined) {
    if (gzipAccepted.size >= 1000) gzipAccepted.clear();
    accepted = admitsGzip(header);
    gzipAccepted.set(header, accepted);
  }
  return accepted;
}

const gzipAccepted = new Map<string, boolean>();

function admitsGzip(header: string): boolean {
  let any = false;
  for (const part of header.split(',')) {
    const [coding = '', ...parameters] = part.split(';').map((text) => text.trim().toLowerCase());
    const weight = parameters.find((parameter) => parameter.startsWith('q='));
    const admitted = weight === undefined || Number(weight.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return admitted;
    if (coding === '*') any = admitted;
  }
  return any;
}
