import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_BYTES, EXCERPT_BYTES } from '../src/ingest/line-splitter.ts';
import { compareOldestFirst, isOnOrAfter, rotationDate } from '../src/ingest/log-files.ts';

describe('file order', () => {
  it('loads dated files by date, numbered rotations oldest first, the live file last', () => {
    const names = [
      '/logs/tracking.log',
      '/logs/tracking.log.1',
      '/logs/tracking.log-20241106-1730868000.gz',
      '/logs/tracking.log.2.gz',
      '/logs/b/tracking.log-20241105-1730781234.gz',
      '/logs/a/tracking.log-20241105-1730781000.gz',
      '/logs/tracking.log-20241104.gz',
    ];
    expect([...names].sort(compareOldestFirst)).toEqual([
      '/logs/tracking.log-20241104.gz',
      '/logs/a/tracking.log-20241105-1730781000.gz',
      '/logs/b/tracking.log-20241105-1730781234.gz',
      '/logs/tracking.log-20241106-1730868000.gz',
      '/logs/tracking.log.2.gz',
      '/logs/tracking.log.1',
      '/logs/tracking.log',
    ]);
  });

  it('reads the date of a rotated file and filters by --since', () => {
    expect(rotationDate('s3://b/x/tracking.log-20241105-1730781234.gz')).toBe('2024-11-05');
    expect(rotationDate('tracking.log')).toBeUndefined();
    expect(isOnOrAfter('tracking.log-20241104.gz', '2024-11-05')).toBe(false);
    expect(isOnOrAfter('tracking.log-20241105.gz', '2024-11-05')).toBe(true);
    expect(isOnOrAfter('tracking.log', '2024-11-05')).toBe(true);
    expect(isOnOrAfter('tracking.log-20241104.gz', undefined)).toBe(true);
  });
});

describe('LineSplitter', () => {
  function split(chunks: Buffer[]) {
    const lines: [string, number, number][] = [];
    const splitter = new LineSplitter((line, lineNo, bytes) =>
      lines.push([line.toString(), lineNo, bytes]),
    );
    for (const chunk of chunks) splitter.push(chunk);
    splitter.end();
    return lines;
  }

  it('joins lines across chunks and keeps a last line without a break', () => {
    expect(split([Buffer.from('ab\nc'), Buffer.from('d'), Buffer.from('e\n\nf')])).toEqual([
      ['ab', 1, 2],
      ['cde', 2, 3],
      ['', 3, 0],
      ['f', 4, 1],
    ]);
  });

  it('gives nothing for an empty stream and no extra line after a final break', () => {
    expect(split([])).toEqual([]);
    expect(split([Buffer.from('x\n')])).toEqual([['x', 1, 1]]);
  });

  it('cuts an overlong line to its excerpt but counts all its bytes', () => {
    const long = Buffer.alloc(MAX_LINE_BYTES * 3, 'a');
    const chunks = [
      Buffer.from('one\n'),
      ...[0, 1, 2, 3, 4, 5].map((i) =>
        long.subarray((i * MAX_LINE_BYTES) / 2, ((i + 1) * MAX_LINE_BYTES) / 2),
      ),
      Buffer.from('\ntwo'),
    ];
    const lines = split(chunks);
    expect(lines.map(([text, no, bytes]) => [text.length, no, bytes])).toEqual([
      [3, 1, 3],
      [EXCERPT_BYTES, 2, MAX_LINE_BYTES * 3],
      [3, 3, 3],
    ]);
  });
});
