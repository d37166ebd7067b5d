// One measured run of the ingest benchmark, in a process of its own so that its peak RSS is its own.
// Modes: `floor <files...>` reads, gunzips and JSON.parses every line, doing nothing else;
// `encode <files...>` runs the loader's own reading, parsing and COPY encoding with no database;
// `load <databaseUrl> <files...>` runs the real loader. Prints one JSON object.
import { hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { connect } from '../db/src/index.ts';
import { eventRow } from '../processor/src/ingest/copy-format.ts';
import { decompressed } from '../processor/src/ingest/decompress.ts';
import { LineSplitter } from '../processor/src/ingest/line-splitter.ts';
import { loadSources } from '../processor/src/ingest/load.ts';
import { parseLine } from '../processor/src/ingest/parse-line.ts';

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
  // Rows are written into a buffer as the loader does, so that none of the work can be skipped.
  const sink = Buffer.allocUnsafe(8 << 20);
  let offset = 0;
  const splitter = new LineSplitter((line, lineNo) => {
    lines++;
    const parsed = parseLine(line);
    if (parsed.outcome !== 'event') return;
    const lineHash = hash('sha256', parsed.json!, 'buffer').subarray(0, 16);
    const row = eventRow(parsed.event, 1, lineNo, lineHash);
    if (offset + row.length * 3 > sink.length) offset = 0;
    offset += sink.write(row, offset);
  });
  for (const file of files) {
    const { chunks } = await decompressed(createReadStream(file, { highWaterMark: 1 << 20 }));
    for await (const chunk of chunks) splitter.push(chunk as Buffer);
    splitter.end();
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
