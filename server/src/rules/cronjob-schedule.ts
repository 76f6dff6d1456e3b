// CronJob schedule and time zone as the API server validates them (robfig/cron ParseStandard,
// time.LoadLocation), via the engine's parser so the editor and the simulator agree.
import { isRecord, valueRange, type ManifestDocument, type ManifestFile } from '../manifest';
import { isKnownTimeZone, parseCronSchedule } from '../k8s/cron';
import type { Rule, RuleContext } from './types';
import type { Finding, Fix } from '../findings';
import { defineRule } from './define-rule';
import { yamlScalar } from '../text-edits';
import { setMapEntries } from './edits/map-edit';
import { valueAt } from '../manifest/pod-template';

const TZ_PREFIX = /^(CRON_TZ|TZ)=(\S+)\s+(.*)$/;

export const cronjobSchedule: Rule = defineRule({
  id: 'cronjob-schedule',
  title: 'Invalid CronJob schedule or time zone',
  severity: 'error',
  partialObjects: true,
  templates: true,
  kinds: ['batch/v1/CronJob'],
  description: [
    'The API server parses `spec.schedule` with the cron parser the CronJob controller uses (standard 5 fields: minute hour day-of-month month day-of-week;',
    'names like `MON`/`JAN`, ranges, steps, `?`, and the macros `@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly`, `@every <duration>`).',
    'A sixth (seconds) field, Quartz extensions such as `L`, `W` or `#`, and out-of-range values are rejected (`spec.schedule: Invalid value: ...: expected exactly 5 fields, found 6`),',
    'as is a `TZ=`/`CRON_TZ=` prefix (`cannot use TZ or CRON_TZ in schedule, use timeZone field instead`).',
    '`spec.timeZone` must be an IANA zone name the API server knows (`unknown time zone ...`); `Local` is refused because it depends on the controller manager\'s host.',
  ].join(' '),
  remediation: 'Write five fields (e.g. `*/5 * * * *` for every five minutes) and put the zone in `spec.timeZone` (e.g. `Europe/Berlin`).',
  check,
});

function check({ file, doc }: RuleContext): Finding[] {
  const spec = valueAt(doc.value, ['spec']);
  if (!isRecord(spec)) return [];
  const findings: Finding[] = [];
  const { schedule, timeZone } = spec;
  if (typeof schedule === 'string') {
    const parsed = parseCronSchedule(schedule);
    if (!parsed.ok) {
      const range = valueRange(doc, ['spec', 'schedule'])!;
      findings.push({
        ruleId: cronjobSchedule.id,
        range,
        message: `The API server rejects this CronJob: \`spec.schedule: Invalid value: ${JSON.stringify(schedule)}: ${parsed.error}\`.${hint(schedule)}`,
        fixes: scheduleFixes(file, doc, schedule, timeZone, range),
      });
    }
  }
  if (spec.timeZone !== undefined && spec.timeZone !== null) {
    const problem = timeZoneProblem(spec.timeZone);
    if (problem)
      findings.push({
        ruleId: cronjobSchedule.id,
        range: valueRange(doc, ['spec', 'timeZone'])!,
        message: `The API server rejects this CronJob: \`spec.timeZone: Invalid value: ${JSON.stringify(spec.timeZone)}: ${problem}\`.`,
      });
  }
  return findings;
}

function timeZoneProblem(tz: unknown): string | undefined {
  if (typeof tz !== 'string') return undefined;
  if (tz === '') return 'timeZone must be nil or non-empty string';
  if (tz.toLowerCase() === 'local') return 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones';
  return isKnownTimeZone(tz) ? undefined : `unknown time zone ${tz}`;
}

function hint(schedule: string): string {
  const fields = schedule.trim().split(/\s+/);
  // A TZ=/CRON_TZ= prefix is a sixth word, not a seconds field: its own error says what to do.
  if (fields.length === 6 && !schedule.startsWith('@') && !TZ_PREFIX.test(schedule)) return ' Kubernetes has no seconds field: six fields usually mean a Quartz/Spring expression whose first field is seconds.';
  return '';
}

/** The fix for a schedule when there is an obvious one (decided from the string; the edits are built on request). */
function scheduleFixes(file: ManifestFile, doc: ManifestDocument, schedule: string, timeZone: unknown, range: [number, number]): (() => Fix[]) | undefined {
  const tz = TZ_PREFIX.exec(schedule);
  if (tz && timeZone === undefined && parseCronSchedule(tz[3]).ok && isKnownTimeZone(tz[2])) {
    return () => {
      const zone = setMapEntries(file.text, doc, ['spec'], { timeZone: tz[2] });
      return zone ? [{ title: `Move ${tz[2]} to spec.timeZone`, preferred: true, edits: [{ range, newText: yamlScalar(tz[3]) }, ...zone] }] : [];
    };
  }
  const fields = schedule.trim().split(/\s+/);
  // `0 */5 * * * *`: seconds first; firing at second 0 is what Kubernetes does anyway
  if (fields.length === 6 && fields[0] === '0' && parseCronSchedule(fields.slice(1).join(' ')).ok) {
    const five = fields.slice(1).join(' ');
    return () => [{ title: `Drop the seconds field: "${five}"`, preferred: true, edits: [{ range, newText: JSON.stringify(five) }] }];
  }
  return undefined;
}
