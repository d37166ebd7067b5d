// One measured run of the ingest benchmark, in a process of its own so that its peak RSS is its own.
// Modes: `floor <files...>` reads, gunzips and JSON.parses every line, doing nothing else;
// `encode <files...>` runs the loader's own reading, parsing and COPY encoding with no database;
// `write <databaseUrl> <files...>` encodes first, then times only the writing of the same batches
// into PostgreSQL (a transaction a file, as the loader writes); `load <databaseUrl> <files...>`
// runs the real loader. Prints one JSON object.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { connect } from '../db/src/index.ts';
import { SegmentPool } from '../processor/src/ingest/copy-format.ts';
import { decompressed } from '../processor/src/ingest/decompress.ts';
import { EventWriter } from '../processor/src/ingest/event-writer.ts';
import { FileParser, type ParsedBatch } from '../processor/src/ingest/file-parser.ts';
import { loadSources } from '../processor/src/ingest/load.ts';

const [mode, ...args] = process.argv.slice(2);

async function floor(files: string[]): Promise<{ lines: number }> {
  let lines = 0;
  for (const file of files) {
    let rest = '';
    for await (const chunk of createReadStream(file).pipe(createGunzip())) {
      const text = rest + (chunk as Buffer).toString('utf8');
      const parts = text.split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        lines++;
        try {
          JSON.parse(line.slice(line.indexOf('{')));
        } catch {
          // a malformed line costs the same to find as in the loader
        }
      }
    }
  }
  return { lines };
}

/** Each file's batches, as the loader fills them; `keep` keeps them, else they are given back. */
async function parseFiles(files: string[], keep: boolean) {
  const segments = new SegmentPool();
  const parsed: ParsedBatch[][] = [];
  let lines = 0;
  for (const [index, file] of files.entries()) {
    const batches: ParsedBatch[] = [];
    const onBatch = (batch: ParsedBatch) =>
      keep ? batches.push(batch) : segments.give(batch.copy);
    const { chunks } = await decompressed(createReadStream(file, { highWaterMark: 1 << 20 }));
    const parser = new FileParser(index + 1, undefined, onBatch, segments);
    const content = createHash('sha256');
    for await (const chunk of chunks) {
      content.update(chunk as Buffer);
      parser.push(chunk as Buffer);
    }
    content.digest();
    lines += parser.end().read;
    parsed.push(batches);
  }
  return { parsed, lines };
}

/** The loader's reading, hashing, parsing and encoding, with the batches given back unwritten. */
async function encode(files: string[]): Promise<{ lines: number }> {
  const { lines } = await parseFiles(files, false);
  return { lines };
}

/** The database's share: the same batches, encoded beforehand, written as the loader writes them. */
async function write(url: string, files: string[]): Promise<{ lines: number; seconds: number }> {
  const { parsed, lines } = await parseFiles(files, true);
  const sql = connect(url);
  const started = performance.now();
  for (const [index, batches] of parsed.entries()) {
    await sql.begin(async (tx) => {
      await tx`SET LOCAL synchronous_commit = off`;
      const writer = new EventWriter(tx, index + 1, 'direct');
      for (const batch of batches) await writer.write(batch);
      await writer.finish();
      // The row the rejected lines refer to (its counts do not matter here).
      await tx`
        INSERT INTO log_files (id, sha256, source, compressed, bytes, lines_read, lines_stored,
                               lines_skipped, lines_rejected, skipped_by_reason)
        VALUES (${index + 1}, ${Buffer.alloc(32, index)}, ${files[index]!}, true, 0, 0, 0, 0, 0, '{}')`;
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await sql.end();
  return { lines, seconds };
}

async function load(url: string, files: string[]): Promise<{ lines: number; failed: unknown[] }> {
  const sql = connect(url);
  const summary = await loadSources(sql, files);
  await sql.end();
  const { outcomes, ...rest } = summary;
  const lines = rest.lines.stored + rest.lines.skipped + rest.lines.rejected;
  return {
    ...rest,
    lines,
    failed: outcomes.filter((o) => o.status === 'failed').map((o) => o.error),
  };
}

const started = performance.now();
const result: { lines: number; seconds?: number } =
  mode === 'floor'
    ? await floor(args)
    : mode === 'encode'
      ? await encode(args)
      : mode === 'write'
        ? await write(args[0]!, args.slice(1))
        : await load(args[0]!, args.slice(1));
const seconds = result.seconds ?? (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({ ...result, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
