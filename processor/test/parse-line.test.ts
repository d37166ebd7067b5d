import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEventTime } from '../src/ingest/event-time.ts';
import { parseLine } from '../src/ingest/parse-line.ts';

/** Microseconds from 2000-01-01 UTC (PostgreSQL's epoch) to a time in milliseconds, plus `micros`. */
const since2000 = (iso: string, micros = 0) =>
  (Date.parse(iso) - Date.parse('2000-01-01T00:00:00Z')) * 1000 + micros;
const line = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const base = {
  username: 'ada',
  event_type: 'play_video',
  time: '2024-11-05T10:00:00.123456+00:00',
  context: { course_id: 'course-v1:A+B+C', user_id: 7 },
};

describe('parseLine', () => {
  it('normalises a raw event', () => {
    const result = parseLine(
      line({ ...base, event_source: 'browser', event: '{"id":"v1","currentTime":3}', page: 'p' }),
    );
    expect(result).toMatchObject({
      outcome: 'event',
      event: {
        time: since2000('2024-11-05T10:00:00.123Z', 456),
        courseId: 'course-v1:A+B+C',
        userId: 7,
        username: 'ada',
        eventType: 'play_video',
        eventName: null,
        eventSource: 'browser',
        page: 'p',
        block: 'v1',
        payload: { id: 'v1', currentTime: 3 },
      },
    });
  });

  it('takes the processed shape from name, timestamp, data and context', () => {
    const result = parseLine(
      line({
        name: 'edx.video.played',
        timestamp: '2024-11-05T10:00:00Z',
        data: { id: 'v2' },
        context: {
          course_id: 'c',
          username: 'bo',
          session: 's',
          page: 'pg',
          referer: 'r',
          event_source: 'browser',
          host: 'h',
        },
      }),
    );
    expect(result).toMatchObject({
      outcome: 'event',
      event: {
        eventType: 'edx.video.played',
        time: since2000('2024-11-05T10:00:00Z'),
        username: 'bo',
        userId: null,
        session: 's',
        page: 'pg',
        referer: 'r',
        eventSource: 'browser',
        host: 'h',
      },
    });
  });

  it('keeps name beside an event_type that is a URL path', () => {
    const result = parseLine(
      line({ ...base, event_type: '/courses/c/xblock/k', name: 'edx.ui.lms.link_clicked' }),
    );
    expect(result).toMatchObject({
      event: { eventType: '/courses/c/xblock/k', eventName: 'edx.ui.lms.link_clicked' },
    });
  });

  it('treats null and empty strings as absent, first present wins', () => {
    const result = parseLine(
      line({
        ...base,
        username: '',
        context: { course_id: null, username: 'cy' },
        event: { course_id: 'from-payload', user_id: '42' },
      }),
    );
    expect(result).toMatchObject({
      event: { courseId: 'from-payload', userId: 42, username: 'cy' },
    });
  });

  it('drops the text before the first brace and the trailing white space', () => {
    const text = `2023-05-23 13:53:13,461 INFO 20 [tracking] [user None] [ip None] logger.py:41 - ${JSON.stringify(base)} \r`;
    const result = parseLine(line(text));
    expect(result.outcome).toBe('event');
    const sha256 = createHash('sha256').update(JSON.stringify(base)).digest();
    expect(result.lineHash).toBe(sha256.subarray(0, 16).toString('latin1'));
  });

  it.each([
    ['', { outcome: 'skipped', reason: 'blank' }],
    ['   \t', { outcome: 'skipped', reason: 'blank' }],
    ['# a comment {"event_type": "x"}', { outcome: 'skipped', reason: 'comment' }],
    ['no json here', { outcome: 'rejected', reason: 'no JSON object' }],
    ['[1, 2]', { outcome: 'rejected', reason: 'no JSON object' }],
    [
      JSON.stringify({ ...base, event_type: undefined }),
      { outcome: 'rejected', reason: 'no event type' },
    ],
    [JSON.stringify({ ...base, time: undefined }), { outcome: 'rejected', reason: 'no time' }],
    [
      JSON.stringify({ ...base, time: 'yesterday' }),
      { outcome: 'rejected', reason: 'time does not parse: "yesterday"' },
    ],
    [
      JSON.stringify({ ...base, context: { user_id: 7 } }),
      { outcome: 'skipped', reason: 'no_course' },
    ],
    [
      JSON.stringify({ ...base, username: null, context: { course_id: 'c', user_id: 'x1' } }),
      { outcome: 'skipped', reason: 'anonymous' },
    ],
  ])('classifies %j', (text, expected) => {
    expect(parseLine(line(text))).toMatchObject(expected);
  });

  it('skips courses outside the selection', () => {
    expect(parseLine(line(base), new Set(['other']))).toMatchObject({
      outcome: 'skipped',
      reason: 'course_not_selected',
    });
    expect(parseLine(line(base), new Set(['course-v1:A+B+C'])).outcome).toBe('event');
  });

  it('rejects invalid UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"event_type":"x","time":"2024-01-01T00:00:00Z","a":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    expect(parseLine(bytes)).toMatchObject({ outcome: 'rejected', reason: 'invalid UTF-8' });
  });
});

describe('parseEventTime', () => {
  it.each([
    ['2014-05-02T16:44:35.901775+00:00', since2000('2014-05-02T16:44:35.901Z', 775)],
    ['2023-08-22T20:16:25.500832Z', since2000('2023-08-22T20:16:25.500Z', 832)],
    ['2023-08-22 20:16:25', since2000('2023-08-22T20:16:25Z')],
    ['2024-02-29T00:00:00-0500', since2000('2024-02-29T05:00:00Z')],
    ['2024-02-29T23:59', since2000('2024-02-29T23:59:00Z')],
    ['2024-03-10T02:30:00+05:30', since2000('2024-03-09T21:00:00Z')],
    ['2000-01-01T00:00:00.0000005Z', 0], // half a microsecond: to even, as PostgreSQL rounds
    ['2000-01-01T00:00:00.0000015Z', 2],
    ['1999-12-31T23:59:59.999999Z', -1],
  ])('accepts %s', (value, expected) => {
    expect(parseEventTime(value)).toBe(expected);
  });

  it('gives a bigint where a number of microseconds would not be exact', () => {
    expect(parseEventTime('9999-12-31T23:59:59.999999Z')).toBe(
      BigInt(Date.parse('9999-12-31T23:59:59Z') - Date.parse('2000-01-01T00:00:00Z')) * 1000n +
        999_999n,
    );
    expect(parseEventTime('0001-01-01T00:00:00Z')).toBe(-63_082_281_600_000_000n);
  });

  it.each([
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-04-31T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01',
    '1714000000',
    '2024-01-01T00:00:00+16:00',
    '2024-01-01T00:00:00+00:60',
    '0000-01-01T00:00:00Z',
    '',
  ])('refuses %s', (value) => {
    expect(parseEventTime(value)).toBeUndefined();
  });
});
