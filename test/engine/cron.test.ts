// cron.ts against robfig/cron v3 semantics as CronJob uses them (ParseStandard + SpecSchedule.Next).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInZone, parseControllerSchedule, parseCronSchedule, parseGoDuration } from '../../server/src/k8s/cron';

function next(spec: string, after: string, zone?: string): string | null {
  const parsed = parseCronSchedule(spec, zone);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  const n = parsed.schedule.next(new Date(after));
  return n && formatInZone(n, zone);
}

function error(spec: string, zone?: string): string {
  const parsed = parseCronSchedule(spec, zone);
  assert.equal(parsed.ok, false, `${spec} should be rejected`);
  return parsed.ok ? '' : parsed.error;
}

test('five fields with the API server / robfig error texts', () => {
  assert.equal(error('obvious error schedule'), 'expected exactly 5 fields, found 3: [obvious error schedule]');
  assert.equal(error('* * * *'), 'expected exactly 5 fields, found 4: [* * * *]');
  assert.equal(error('0 0 0 * * *'), 'expected exactly 5 fields, found 6: [0 0 0 * * *]');
  assert.equal(error('60 * * * *'), 'end of range (60) above maximum (59): 60');
  assert.equal(error('* * 0 * *'), 'beginning of range (0) below minimum (1): 0');
  assert.equal(error('* * * * 7'), 'end of range (7) above maximum (6): 7');
  assert.equal(error('5-1 * * * *'), 'beginning of range (5) beyond end of range (1): 5-1');
  assert.equal(error('*/0 * * * *'), 'step of range should be a positive number: */0');
  assert.match(error('L * * * *'), /failed to parse int from L/);
  assert.equal(error(''), 'empty spec string');
  assert.equal(error('@fortnightly'), 'unrecognized descriptor: @fortnightly');
  assert.match(error('0 * * * *', 'Mars/Olympus_Mons'), /unknown time zone Mars\/Olympus_Mons/);
  assert.match(error('TZ=UTC 0 * * * *'), /timeZone field/);
});

test('bad input never throws', () => {
  for (const bad of [undefined, null, 42, {}, '     ', '@every', '@every -', '1-2-3 * * * *', '1/2/3 * * * *']) {
    const r = parseCronSchedule(bad as unknown as string);
    assert.equal(r.ok, false, String(bad));
  }
  const ok = parseCronSchedule('* * * * *');
  assert.ok(ok.ok);
  if (ok.ok) assert.equal(ok.schedule.next(new Date('not a date')), null);
});

test('names, question mark, ranges and steps', () => {
  assert.equal(next('30 8 15 Jul ?', '2012-01-01T00:00:00Z'), '2012-07-15T08:30:00Z');
  assert.equal(next('0 0 * * sun', '2024-03-06T12:00:00Z'), '2024-03-10T00:00:00Z');
  assert.equal(next('5/15 * * * *', '2012-07-09T15:06:00Z'), '2012-07-09T15:20:00Z');
  assert.equal(next('0 9-17/4 * * MON-FRI', '2024-03-08T13:00:00Z'), '2024-03-08T17:00:00Z');
  assert.equal(next('0 9-17/4 * * MON-FRI', '2024-03-08T17:00:00Z'), '2024-03-11T09:00:00Z');
  assert.equal(next('*/5 * * * *', '2024-01-01T00:04:59.900Z'), '2024-01-01T00:05:00Z');
});

test('next is strictly after and skips impossible days', () => {
  assert.equal(next('0 * * * *', '2024-01-01T10:00:00Z'), '2024-01-01T11:00:00Z');
  assert.equal(next('0 0 31 * *', '2024-04-01T00:00:00Z'), '2024-05-31T00:00:00Z');
  assert.equal(next('0 0 29 2 *', '2024-03-01T00:00:00Z'), '2028-02-29T00:00:00Z');
  // Never fires: robfig gives up after five years.
  assert.equal(next('59 23 31 2 *', '2024-01-01T00:00:00Z'), null);
});

test('day-of-month and day-of-week: OR when both restricted, AND when either is a star', () => {
  // 2024-09-13 is a Friday; the 13th of Oct is a Sunday.
  assert.equal(next('0 0 13 * 5', '2024-09-13T00:00:00Z'), '2024-09-20T00:00:00Z');
  assert.equal(next('0 0 13 * 5', '2024-10-11T00:00:00Z'), '2024-10-13T00:00:00Z');
  assert.equal(next('0 0 13 * *', '2024-09-13T00:00:00Z'), '2024-10-13T00:00:00Z');
  assert.equal(next('0 0 * * 5', '2024-09-13T00:00:00Z'), '2024-09-20T00:00:00Z');
  // A stepped star counts as restricted: */10 ORs with Sunday.
  assert.equal(next('0 0 */10 * 0', '2024-09-01T00:00:00Z'), '2024-09-08T00:00:00Z');
});

test('descriptors and @every', () => {
  assert.equal(next('@yearly', '2024-03-10T10:15:00Z'), '2025-01-01T00:00:00Z');
  assert.equal(next('@annually', '2024-03-10T10:15:00Z'), '2025-01-01T00:00:00Z');
  assert.equal(next('@monthly', '2024-03-10T10:15:00Z'), '2024-04-01T00:00:00Z');
  assert.equal(next('@weekly', '2024-03-10T10:15:00Z'), '2024-03-17T00:00:00Z');
  assert.equal(next('@midnight', '2024-03-10T10:15:00Z'), '2024-03-11T00:00:00Z');
  assert.equal(next('@hourly', '2024-03-10T10:15:00Z'), '2024-03-10T11:00:00Z');
  // @every counts from the given time (rounded down to the second), not from the clock face.
  assert.equal(next('@every 1h30m', '2024-03-10T10:15:42.500Z'), '2024-03-10T11:45:42Z');
  assert.equal(next('@every 300ms', '2024-03-10T10:15:00Z'), '2024-03-10T10:15:01Z');
  assert.equal(parseGoDuration('1.5h'), 5_400_000);
  assert.equal(parseGoDuration('1d'), 'time: unknown unit "d" in duration "1d"');
  assert.equal(parseGoDuration('10'), 'time: missing unit in duration "10"');
});

test('time zones, including both DST transitions', () => {
  assert.equal(next('0 9 * * *', '2024-07-01T00:00:00Z', 'Europe/Berlin'), '2024-07-01T09:00:00+02:00');
  assert.equal(next('0 9 * * *', '2024-01-01T00:00:00Z', 'Asia/Kolkata'), '2024-01-01T09:00:00+05:30');
  // Spring forward: 02:30 does not exist on 2024-03-10 in New York; robfig moves on to the next day.
  assert.equal(next('30 2 * * *', '2024-03-09T12:00:00-05:00', 'America/New_York'), '2024-03-11T02:30:00-04:00');
  // Fall back: the repeated 01:00 hour fires twice.
  assert.equal(next('0 1 * * *', '2024-11-03T01:00:00-04:00', 'America/New_York'), '2024-11-03T01:00:00-05:00');
  assert.equal(next('0 1 * * *', '2024-11-03T01:00:00-05:00', 'America/New_York'), '2024-11-04T01:00:00-05:00');
});

test('the controller still reads a TZ= prefix (the API server refuses it for new objects)', () => {
  const r = parseControllerSchedule('TZ=Asia/Tokyo 0 9 * * *');
  assert.ok(r.ok && r.tzInSchedule);
  if (r.ok) assert.equal(formatInZone(r.schedule.next(new Date('2025-01-01T00:00:00Z')) as Date, 'Asia/Tokyo'), '2025-01-02T09:00:00+09:00');
  const bad = parseControllerSchedule('CRON_TZ=Nowhere/Land 0 9 * * *');
  assert.equal(bad.ok, false);
  assert.equal(parseControllerSchedule('0 9 * * *', 'Asia/Tokyo').tzInSchedule, false);
});

test('a zone whose midnight does not exist ends the walk (robfig skips that day, as upstream does)', () => {
  // America/Sao_Paulo jumped from 00:00 to 01:00 on 2018-11-04.
  assert.equal(next('0 0 * * *', '2018-11-02T12:00:00-03:00', 'America/Sao_Paulo'), '2018-11-03T00:00:00-03:00');
  assert.equal(next('0 0 * * *', '2018-11-03T00:00:00-03:00', 'America/Sao_Paulo'), '2018-11-05T00:00:00-02:00');
  // 00:30 did not exist that day either: the next one is a year later.
  assert.equal(next('30 0 4 11 *', '2018-11-01T00:00:00-03:00', 'America/Sao_Paulo'), '2019-11-04T00:30:00-03:00');
});
