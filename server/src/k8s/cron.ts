// CronJob schedules exactly as kube-controller-manager reads them: robfig/cron v3's
// `cron.ParseStandard` (5 fields, `?` = `*`, month/day names, @descriptors, `@every <duration>`)
// and `SpecSchedule.Next`, evaluated in spec.timeZone (an IANA zone) or UTC.
//
// Why not cron-parser (5.10.6, not a dependency)? Checked against the cronjob conformance vectors and
// robfig's tests it differs where CronJob behaviour is visible: it accepts what the API server
// rejects (6 fields with seconds, `L`/`W`/`#`/`H`, day-of-week 7), has no `@every`, and on a DST
// fall-back it skips the repeated hour where robfig fires again (`0 1 * * *` in America/New_York
// fires at 01:00 EDT and 01:00 EST on 2012-11-04). Those rules are the whole module, so the
// parser and the Next walk below follow robfig's parser.go / spec.go directly.

export interface CronSchedule {
  /** The first activation strictly after `after` (second precision), or null if none within five years. */
  next(after: Date): Date | null;
  /** True when the schedule has an activation exactly at `at`. */
  firesAt(at: Date): boolean;
  /** The IANA zone the schedule is evaluated in ('UTC' when none was given). */
  readonly timeZone: string;
}

export type CronParseResult = { ok: true; schedule: CronSchedule } | { ok: false; error: string };

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DOW_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: MONTH_NAMES };
const DOW: Bounds = { min: 0, max: 6, names: DOW_NAMES };

/** A field: which values match, and whether it was written as `*`/`?` (robfig's starBit). */
interface FieldSet {
  bits: boolean[];
  star: boolean;
}

interface SpecFields {
  minute: FieldSet;
  hour: FieldSet;
  dom: FieldSet;
  month: FieldSet;
  dow: FieldSet;
}

class CronError extends Error {}

const parsedCache = new Map<string, CronParseResult>();
const MAX_CACHED_SCHEDULES = 512;

/** Parses a CronJob schedule (memoised: schedules are immutable and controllers re-read them every sync). */
export function parseCronSchedule(spec: string, timeZone?: string | null): CronParseResult {
  if (typeof spec !== 'string') return parseUncached(spec, timeZone);
  const key = `${timeZone ?? ''}\u0000${spec}`;
  const cached = parsedCache.get(key);
  if (cached) return cached;
  const result = parseUncached(spec, timeZone);
  if (parsedCache.size >= MAX_CACHED_SCHEDULES) parsedCache.clear();
  parsedCache.set(key, result);
  return result;
}

function parseUncached(spec: string, timeZone?: string | null): CronParseResult {
  try {
    const zone = resolveZone(timeZone ?? undefined);
    if (typeof spec !== 'string' || spec.length === 0) throw new CronError('empty spec string');
    if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
      // The API server refuses these for new objects; spec.timeZone is the supported way.
      throw new CronError('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    }
    if (spec.startsWith('@')) return { ok: true, schedule: parseDescriptor(spec, zone) };
    const fields = spec.split(/\s+/).filter((f) => f.length > 0);
    if (fields.length !== 5) throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
    const spec5: SpecFields = {
      minute: getField(fields[0], MINUTES),
      hour: getField(fields[1], HOURS),
      dom: getField(fields[2], DOM),
      month: getField(fields[3], MONTHS),
      dow: getField(fields[4], DOW),
    };
    return { ok: true, schedule: new SpecSchedule(spec5, zone) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

function parseDescriptor(spec: string, zone: Zone): CronSchedule {
  const at = (minute: number[], hour: number[], dom: number[] | '*', month: number[] | '*', dow: number[] | '*'): SpecFields => ({
    minute: setOf(MINUTES, minute),
    hour: setOf(HOURS, hour),
    dom: dom === '*' ? allOf(DOM) : setOf(DOM, dom),
    month: month === '*' ? allOf(MONTHS) : setOf(MONTHS, month),
    dow: dow === '*' ? allOf(DOW) : setOf(DOW, dow),
  });
  switch (spec) {
    case '@yearly':
    case '@annually':
      return new SpecSchedule(at([0], [0], [1], [1], '*'), zone);
    case '@monthly':
      return new SpecSchedule(at([0], [0], [1], '*', '*'), zone);
    case '@weekly':
      return new SpecSchedule(at([0], [0], '*', '*', [0]), zone);
    case '@daily':
    case '@midnight':
      return new SpecSchedule(at([0], [0], '*', '*', '*'), zone);
    case '@hourly':
      return new SpecSchedule({ ...at([0], [0], '*', '*', '*'), hour: allOf(HOURS) }, zone);
  }
  const every = '@every ';
  if (spec.startsWith(every)) {
    const parsed = parseGoDuration(spec.slice(every.length));
    if (typeof parsed === 'string') throw new CronError(`failed to parse duration ${spec}: ${parsed}`);
    return new ConstantDelaySchedule(parsed, zone);
  }
  throw new CronError(`unrecognized descriptor: ${spec}`);
}

function getField(field: string, bounds: Bounds): FieldSet {
  const set: FieldSet = { bits: new Array<boolean>(bounds.max + 1).fill(false), star: false };
  for (const expr of field.split(',').filter((r) => r.length > 0)) getRange(expr, bounds, set);
  return set;
}

// robfig getRange: `*`/`?`, `a`, `a-b`, any of them `/step`; `N/step` means `N-max/step`;
// a step > 1 clears the star flag, so `*/10` counts as restricted for the day-of-month/week rule.
function getRange(expr: string, r: Bounds, into: FieldSet): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0], r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], r.names);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]);
    if (singleDigit) end = r.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronError(`too many slashes: ${expr}`);
  }
  if (start < r.min) throw new CronError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) into.bits[v] = true;
  if (star) into.star = true;
}

function parseIntOrName(expr: string, names?: Record<string, number>): number {
  const named = names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

function mustParseInt(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new CronError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function setOf(bounds: Bounds, values: number[]): FieldSet {
  const bits = new Array<boolean>(bounds.max + 1).fill(false);
  for (const v of values) bits[v] = true;
  return { bits, star: false };
}

function allOf(bounds: Bounds): FieldSet {
  const bits = new Array<boolean>(bounds.max + 1).fill(false);
  for (let v = bounds.min; v <= bounds.max; v++) bits[v] = true;
  return { bits, star: true };
}

/** Go's time.ParseDuration, in milliseconds (sub-millisecond parts are dropped later anyway); a string is the error. */
export function parseGoDuration(text: string): number | string {
  const quoted = JSON.stringify(text);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return `time: invalid duration ${quoted}`;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  while (s.length > 0) {
    const num = /^(\d*)(\.\d*)?/.exec(s);
    if (!num || (num[1] === '' && (num[2] === undefined || num[2] === '.'))) return `time: invalid duration ${quoted}`;
    s = s.slice(num[0].length);
    const unit = /^[^\d.]+/.exec(s);
    if (!unit) return `time: missing unit in duration ${quoted}`;
    const factor = units[unit[0]];
    if (factor === undefined) return `time: unknown unit ${JSON.stringify(unit[0])} in duration ${quoted}`;
    s = s.slice(unit[0].length);
    total += Number(`${num[1] || '0'}${num[2] ?? ''}`) * factor;
  }
  return sign * total;
}

// ---- time zones: Go's time.Date / t.In(loc) over Intl ----

interface Wall {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
}

interface Zone {
  name: string;
  /** Offset from UTC in ms at an instant. */
  offsetAt(ms: number): number;
}

const OFFSET_BUCKET_MS = 15 * 60_000;
const MAX_CACHED_BUCKETS = 200_000;
const UTC_ZONE: Zone = { name: 'UTC', offsetAt: () => 0 };
const zoneCache = new Map<string, Zone>();

function resolveZone(name: string | undefined): Zone {
  if (name === undefined || name === '' || name === 'UTC') return UTC_ZONE;
  const cached = zoneCache.get(name);
  if (cached) return cached;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new CronError(`unknown time zone ${name}`);
  }
  const exact = (ms: number): number => {
    const parts: Record<string, number> = {};
    for (const p of format.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
    return wall - (ms - (((ms % 1000) + 1000) % 1000));
  };
  // Intl is slow; offsets only change at transitions, so a 15-minute bucket whose two ends agree
  // has one offset throughout (a bucket holding a transition is computed exactly each time).
  const buckets = new Map<number, number | null>();
  const zone: Zone = {
    name,
    offsetAt(ms: number): number {
      const bucket = Math.floor(ms / OFFSET_BUCKET_MS);
      let cached = buckets.get(bucket);
      if (cached === undefined) {
        const start = exact(bucket * OFFSET_BUCKET_MS);
        cached = start === exact((bucket + 1) * OFFSET_BUCKET_MS - 1) ? start : null;
        if (buckets.size > MAX_CACHED_BUCKETS) buckets.clear();
        buckets.set(bucket, cached);
      }
      return cached ?? exact(ms);
    },
  };
  zoneCache.set(name, zone);
  return zone;
}

/**
 * The schedule as the CronJob controller parses it (formatSchedule + cron.ParseStandard): a
 * `TZ=`/`CRON_TZ=` prefix still works there (with an UnsupportedSchedule warning) and wins over
 * spec.timeZone; the API server refuses the prefix for new objects (parseCronSchedule does too).
 */
export function parseControllerSchedule(spec: string, timeZone?: string | null): CronParseResult & { tzInSchedule: boolean } {
  if (typeof spec !== 'string' || !spec.includes('TZ')) return { ...parseCronSchedule(spec, timeZone), tzInSchedule: false };
  const prefixed = /^(?:CRON_)?TZ=(\S*)\s+(.*)$/s.exec(spec);
  if (!prefixed) return { ...parseCronSchedule(spec, undefined), tzInSchedule: true };
  if (!isKnownTimeZone(prefixed[1])) return { ok: false, error: `provided bad location ${prefixed[1]}: unknown time zone ${prefixed[1]}`, tzInSchedule: true };
  return { ...parseCronSchedule(prefixed[2].trim(), prefixed[1]), tzInSchedule: true };
}

/** The IANA zone name is known to this runtime (time.LoadLocation would succeed). */
export function isKnownTimeZone(name: string): boolean {
  try {
    resolveZone(name);
    return true;
  } catch {
    return false;
  }
}

function wallOf(ms: number, zone: Zone): Wall {
  const d = new Date(ms + zone.offsetAt(ms));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

// Go's time.Date: normalise the wall clock, then pick the offset the way Go does in a DST gap
// or overlap (offset valid at wall-as-UTC, unless the result falls outside that offset's span).
function dateIn(zone: Zone, year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const guess = zone.offsetAt(wall);
  const utc = wall - guess;
  const actual = zone.offsetAt(utc);
  return wall - (actual === guess ? guess : actual);
}

/** An instant as RFC 3339 in the zone's offset (`Z` for UTC), second precision. */
export function formatInZone(date: Date, timeZone?: string | null): string {
  const zone = timeZone ? resolveZone(timeZone) : UTC_ZONE;
  const ms = date.getTime();
  const offset = zone.offsetAt(ms);
  const local = new Date(ms + offset).toISOString().slice(0, 19);
  if (offset === 0) return `${local}Z`;
  const abs = Math.abs(offset) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const HOUR_MS = 3_600_000;
const MAX_NEXT_STEPS = 1_000_000;

class SpecSchedule implements CronSchedule {
  constructor(
    private readonly f: SpecFields,
    private readonly zone: Zone,
  ) {}

  get timeZone(): string {
    return this.zone.name;
  }

  firesAt(at: Date): boolean {
    const next = this.next(new Date(at.getTime() - 1000));
    return next !== null && next.getTime() === at.getTime();
  }

  // robfig SpecSchedule.Next: walk month, day, hour, minute, second in the schedule's zone;
  // `added` resets the lower fields the first time a higher one moves. Gives up after five years.
  next(after: Date): Date | null {
    const start = after.getTime();
    if (!Number.isFinite(start)) return null;
    const z = this.zone;
    const f = this.f;
    let t = Math.floor(start / 1000) * 1000 + 1000;
    let added = false;
    const yearLimit = wallOf(t, z).year + 5;
    // The five-year limit ends every walk; the step cap is a backstop should a zone's rules make it circle.
    let steps = 0;
    wrap: for (;;) {
      if (++steps > MAX_NEXT_STEPS) return null;
      let w = wallOf(t, z);
      if (w.year > yearLimit) return null;
      while (!f.month.bits[w.month]) {
        if (++steps > MAX_NEXT_STEPS) return null;
        if (!added) {
          added = true;
          t = dateIn(z, w.year, w.month, 1, 0, 0, 0);
          w = wallOf(t, z);
        }
        t = dateIn(z, w.year, w.month + 1, w.day, w.hour, w.minute, w.second);
        w = wallOf(t, z);
        if (w.month === 1) continue wrap;
      }
      while (!this.dayMatches(w)) {
        if (++steps > MAX_NEXT_STEPS) return null;
        if (!added) {
          added = true;
          t = dateIn(z, w.year, w.month, w.day, 0, 0, 0);
          w = wallOf(t, z);
        }
        t = dateIn(z, w.year, w.month, w.day + 1, w.hour, w.minute, w.second);
        w = wallOf(t, z);
        // Midnight may not exist (or land on 23:00) across DST: snap back to the day's start.
        if (w.hour !== 0) {
          t += w.hour > 12 ? (24 - w.hour) * HOUR_MS : -w.hour * HOUR_MS;
          w = wallOf(t, z);
        }
        if (w.day === 1) continue wrap;
      }
      while (!f.hour.bits[w.hour]) {
        if (++steps > MAX_NEXT_STEPS) return null;
        if (!added) {
          added = true;
          t = dateIn(z, w.year, w.month, w.day, w.hour, 0, 0);
        }
        t += HOUR_MS;
        w = wallOf(t, z);
        if (w.hour === 0) continue wrap;
      }
      while (!f.minute.bits[w.minute]) {
        if (++steps > MAX_NEXT_STEPS) return null;
        if (!added) {
          added = true;
          t -= ((t % 60_000) + 60_000) % 60_000;
        }
        t += 60_000;
        w = wallOf(t, z);
        if (w.minute === 0) continue wrap;
      }
      // The standard parser fixes seconds at 0: robfig adds a second at a time until it wraps to
      // the next minute; jumping there directly gives the same instant.
      if (w.second !== 0) {
        added = true;
        t += (60 - w.second) * 1000;
        continue wrap;
      }
      return new Date(t);
    }
  }

  // Day-of-month and day-of-week are ANDed when either was written as `*`/`?`, ORed otherwise.
  private dayMatches(w: Wall): boolean {
    const domMatch = this.f.dom.bits[w.day] === true;
    const dowMatch = this.f.dow.bits[w.weekday] === true;
    if (this.f.dom.star || this.f.dow.star) return domMatch && dowMatch;
    return domMatch || dowMatch;
  }
}

// robfig ConstantDelaySchedule (`@every`): `after` rounded down to the second plus the delay
// (whole seconds, at least one second); not aligned to the clock.
class ConstantDelaySchedule implements CronSchedule {
  private readonly delayMs: number;

  constructor(
    delayMs: number,
    private readonly zone: Zone,
  ) {
    const atLeastOneSecond = Math.max(delayMs, 1000);
    this.delayMs = atLeastOneSecond - (atLeastOneSecond % 1000);
  }

  get timeZone(): string {
    return this.zone.name;
  }

  next(after: Date): Date | null {
    const ms = after.getTime();
    if (!Number.isFinite(ms)) return null;
    return new Date(ms - (((ms % 1000) + 1000) % 1000) + this.delayMs);
  }

  firesAt(): boolean {
    // An @every schedule has no fixed activations: they depend on when counting starts.
    return false;
  }
}
