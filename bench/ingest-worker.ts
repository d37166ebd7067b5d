// One measured run of the ingest benchmark, in a process of its own so that its peak RSS is its own.
// Modes: `floor <files...>` reads, gunzips and JSON.parses every line, doing nothing else;
// `encode <files...>` runs the loader's own reading, parsing and COPY encoding with no database;
// `load <databaseUrl> <files...>` runs the real loader. Prints one JSON object.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { connect } from '../db/src/index.ts';
import { decompressed } from '../processor/src/ingest/decompress.ts';
import { loadSources } from '../processor/src/ingest/load.ts';
import { SegmentPool } from '../processor/src/ingest/copy-format.ts';
import { FileParser, type ParsedBatch } from '../processor/src/ingest/file-parser.ts';

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

async function encode(files: string[]): Promise<{ lines: number }> {
  let lines = 0;
  // The loader's parser, as `load` runs it, with the batches given back instead of written.
  const segments = new SegmentPool();
  const recycle = (batch: ParsedBatch) =>
    segments.give(batch.copy.map((piece) => piece.buffer as ArrayBuffer));
  for (const file of files) {
    const { chunks } = await decompressed(createReadStream(file, { highWaterMark: 1 << 20 }));
    const parser = new FileParser(1, undefined, recycle, segments);
    const content = createHash('sha256');
    for await (const chunk of chunks) {
      content.update(chunk as Buffer);
      parser.push(chunk as Buffer);
    }
    content.digest();
    lines += parser.end().read;
  }
  return { lines };
}

async function load(url: string, files: string[]): Promise<unknown> {
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
const result =
  mode === 'floor'
    ? await floor(args)
    : mode === 'encode'
      ? await encode(args)
      : await load(args[0]!, args.slice(1));
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({ ...(result as object), seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
