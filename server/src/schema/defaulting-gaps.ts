// Required fields the bundled schemas exempt because the API server's defaulting fills them, in the
// places where a release's defaulting did not reach. The schema data is per definition and shared by
// every kind that embeds it, so a gap that depends on the kind and the release is kept here.
//
//   CronJob before 1.34: SetObjectDefaults_CronJob did not call
//   SetDefaults_PodFailurePolicyOnPodConditionsPattern for the jobTemplate (a Job's did), so a pattern
//   without `status` was refused: "spec.jobTemplate.spec.podFailurePolicy.rules[0].onPodConditions[0].status:
//   Required value" (kubernetes#131512, fixed by PR #131525 in 1.34, not cherry-picked).
import { compareVersions } from '../k8s/release-version';
import type { SchemaError } from './validate-value';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): [number, Obj][] => (Array.isArray(v) ? v.flatMap((item, i): [number, Obj][] => (isObj(item) ? [[i, item]] : [])) : []);

interface DefaultingGap {
  kindKey: string;
  /** The first release whose defaulting fills the field. */
  filledSince: string;
  /** Where a required field was left empty: the object's path segments and the field's name. */
  missing(value: Obj): { at: string[]; field: string }[];
}

const GAPS: readonly DefaultingGap[] = [
  {
    kindKey: 'batch/v1/CronJob',
    filledSince: '1.34',
    missing(value) {
      const jobTemplate = isObj(value.spec) && isObj(value.spec.jobTemplate) ? value.spec.jobTemplate : undefined;
      const policy = jobTemplate && isObj(jobTemplate.spec) && isObj(jobTemplate.spec.podFailurePolicy) ? jobTemplate.spec.podFailurePolicy : undefined;
      const out: { at: string[]; field: string }[] = [];
      for (const [r, rule] of objects(policy?.rules)) {
        for (const [p, pattern] of objects(rule.onPodConditions)) {
          if (!Object.hasOwn(pattern, 'status')) out.push({ at: ['spec', 'jobTemplate', 'spec', 'podFailurePolicy', 'rules', String(r), 'onPodConditions', String(p)], field: 'status' });
        }
      }
      return out;
    },
  },
];

/** `required` errors for the fields the target release leaves empty where the schema data exempts them. */
export function defaultingGapErrors(kindKey: string, value: unknown, release: string): SchemaError[] {
  if (!isObj(value)) return [];
  const errors: SchemaError[] = [];
  for (const gap of GAPS) {
    if (gap.kindKey !== kindKey || compareVersions(release, gap.filledSince) >= 0) continue;
    for (const { at, field } of gap.missing(value)) {
      errors.push({ keyword: 'required', instancePath: at.map((segment) => `/${segment}`).join(''), params: { missingProperty: field } });
    }
  }
  return errors;
}
