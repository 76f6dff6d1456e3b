// Strings of `format: byte`, `duration`, `date` and `date-time` as CEL sees them
// (k8s.io/apiserver/pkg/cel/common/values.go UnstructuredToVal): bytes by base64, a
// google.protobuf.Duration by strfmt.ParseDuration, a timestamp by `time.Parse("2006-01-02")` or
// strfmt.ParseDateTime. A value that does not parse is a CEL error value, as upstream's
// types.NewErr: only the rules that read it fail.
import { celError, type CelError, type CelValue } from '@bufbuild/cel';
import { create } from '@bufbuild/protobuf';
import { reflect } from '@bufbuild/protobuf/reflect';
import { DurationSchema, TimestampSchema } from '@bufbuild/protobuf/wkt';
import { parseGoDuration } from '../k8s/cron';

/** The CEL value of `value` in `format`, or undefined when the format leaves it a string. */
export function formattedToCel(value: string, format: string | undefined): CelValue | CelError | undefined {
  switch (format) {
    case 'duration': {
      const nanos = parseStrfmtDuration(value);
      return nanos === undefined ? celError(`Invalid duration ${value}: unable to parse ${value} as duration`) : durationOf(nanos);
    }
    case 'date': {
      const time = parseFullDate(value);
      return time === undefined ? celError(`Invalid date formatted string ${value}: parsing time "${value}" as "2006-01-02": cannot parse`) : timestampOf(time);
    }
    case 'date-time': {
      const time = parseDateTime(value);
      return time === undefined ? celError(`Invalid date-time formatted string ${value}: parsing time "${value}": cannot parse`) : timestampOf(time);
    }
    case 'byte': {
      const bytes = decodeStdBase64(value);
      return bytes === undefined ? celError(`Invalid byte formatted string ${value}: illegal base64 data`) : bytes;
    }
  }
  return undefined;
}

interface Instant {
  seconds: bigint;
  nanos: number;
}

function durationOf(nanos: bigint): CelValue {
  return reflect(DurationSchema, create(DurationSchema, { seconds: nanos / 1_000_000_000n, nanos: Number(nanos % 1_000_000_000n) }));
}

function timestampOf(time: Instant): CelValue {
  return reflect(TimestampSchema, create(TimestampSchema, time));
}

const SCALA_VALIDATOR = /^\s*(?:\d+\s*[A-Za-zµ]+\s*)+$/;
const SCALA_MATCHER = /(\d+)\s*([A-Za-zµ]+)/g;
/** strfmt duration.go timeUnits: the last variant of each is also a prefix ("hours", "seconds"). */
const SCALA_UNITS: readonly [readonly string[], bigint][] = [
  [['ns', 'nano'], 1n],
  [['us', 'µs', 'micro'], 1_000n],
  [['ms', 'milli'], 1_000_000n],
  [['s', 'sec'], 1_000_000_000n],
  [['m', 'min'], 60_000_000_000n],
  [['h', 'hr', 'hour'], 3_600_000_000_000n],
  [['d', 'day'], 86_400_000_000_000n],
  [['w', 'wk', 'week'], 604_800_000_000_000n],
];

/** kube-openapi strfmt.ParseDuration in nanoseconds: Go's time.ParseDuration, else the Scala forms ("3 days"). */
export function parseStrfmtDuration(text: string): bigint | undefined {
  const go = parseGoDuration(text);
  if (typeof go === 'number') return BigInt(Math.round(go * 1e6));
  if (!SCALA_VALIDATOR.test(text)) return undefined;
  let total = 0n;
  let ok = false;
  for (const [, digits, rawUnit] of text.matchAll(SCALA_MATCHER)) {
    const unit = rawUnit.trim().toLowerCase();
    for (const [variants, multiplier] of SCALA_UNITS) {
      variants.forEach((variant, i) => {
        if ((i === variants.length - 1 && unit.startsWith(variant)) || variant === unit) {
          ok = true;
          total += BigInt(digits) * multiplier;
        }
      });
    }
  }
  return ok ? total : undefined;
}

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** strfmt time.go DateTimeFormats: RFC 3339 with or without fractional seconds, or ISO 8601 local time (UTC). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;

function parseFullDate(text: string): Instant | undefined {
  const m = FULL_DATE.exec(text);
  return m ? instant(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0, '', 0) : undefined;
}

/** strfmt.ParseDateTime: "" is the Unix epoch. */
function parseDateTime(text: string): Instant | undefined {
  if (text === '') return { seconds: 0n, nanos: 0 };
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  let offset = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const hours = Number(zone.slice(1, 3));
    const minutes = Number(zone.slice(4, 6));
    if (hours > 23 || minutes > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  }
  return instant(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7] ?? '', offset);
}

/** Go's time.Parse range checks: month 1-12, the month's days, hour < 24, minute and second < 60. */
function instant(year: number, month: number, day: number, hour: number, minute: number, second: number, fraction: string, offsetSeconds: number): Instant | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
  if (day > daysInMonth) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return { seconds: BigInt(date.getTime() / 1000 - offsetSeconds), nanos: Number(fraction.slice(0, 9).padEnd(9, '0')) };
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** strfmt.Base64.UnmarshalText: encoding/base64 StdEncoding, which skips \r and \n. */
function decodeStdBase64(text: string): Uint8Array | undefined {
  const data = text.replace(/[\r\n]/g, '');
  return STD_BASE64.test(data) ? new Uint8Array(Buffer.from(data, 'base64')) : undefined;
}
