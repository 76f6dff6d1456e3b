// Jobs finish, so their pods must not restart forever; controllers that keep pods running need
// pods that always restart. The API server enforces both on the pod template's restartPolicy.
import { keyRange, valueRange } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding, Fix } from '../findings';
import { defineRule } from './define-rule';
import { setMapEntries } from './edits/map-edit';
import { yamlScalar } from '../text-edits';
import { podTemplatePath, valueAt } from '../manifest/pod-template';

const JOB_POLICIES = ['OnFailure', 'Never'];

export const restartPolicy: Rule = defineRule({
  id: 'restart-policy',
  title: 'Pod template restartPolicy the controller does not allow',
  severity: 'error',
  kinds: ['apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob'],
  description: [
    'A pod\'s `restartPolicy` defaults to `Always`. A Job runs pods to completion, so the API server accepts only `OnFailure` or `Never` in its pod template (also in a CronJob\'s jobTemplate):',
    'a Job or CronJob that leaves restartPolicy out is rejected with `spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"`.',
    'Deployments, ReplicaSets, StatefulSets and DaemonSets keep their pods running, so they accept only `Always` (`Unsupported value: "Never": supported values: "Always"`).',
  ].join(' '),
  remediation: 'For a Job or CronJob set `restartPolicy: OnFailure` (retry in the same pod) or `Never` (a new pod per retry); elsewhere remove restartPolicy or set it to `Always`.',
  check,
});

function check({ file, doc }: RuleContext): Finding[] {
  const template = podTemplatePath(doc);
  if (!template) return [];
  const specPath = [...template, 'spec'];
  const value = valueAt(doc.value, [...specPath, 'restartPolicy']);
  if (value !== undefined && value !== null && typeof value !== 'string') return []; // a type error: schema reports it
  const policy = typeof value === 'string' && value !== '' ? value : undefined;
  const isJob = doc.kind === 'Job' || doc.kind === 'CronJob';
  const allowed = isJob ? JOB_POLICIES : ['Always'];
  const effective = policy ?? 'Always';
  if (allowed.includes(effective)) return [];
  const field = [...specPath, 'restartPolicy'].join('.');
  const rejected = `The API server rejects this ${doc.kind}: \`${field}: Unsupported value: "${effective}": supported values: ${allowed.map((a) => `"${a}"`).join(', ')}\``;
  if (policy === undefined) {
    const range = keyRange(doc, specPath);
    if (!range) return [];
    const fixes = () =>
      JOB_POLICIES.map((p): Fix | undefined => {
        const edits = setMapEntries(file.text, doc, specPath, { restartPolicy: p });
        return edits ? { title: `Add restartPolicy: ${p}`, edits } : undefined;
      }).filter((f): f is Fix => f !== undefined);
    return [
      {
        ruleId: restartPolicy.id,
        range,
        message: `${rejected} (restartPolicy defaults to Always). A ${doc.kind} runs its pods to completion: use OnFailure to retry in the same pod or Never to get a new pod per retry.`,
        fixes,
      },
    ];
  }
  const range = valueRange(doc, [...specPath, 'restartPolicy'])!;
  return [
    {
      ruleId: restartPolicy.id,
      range,
      message: `${rejected}. ${isJob ? `A ${doc.kind}'s pods must end, or the Job never completes.` : `A ${doc.kind} keeps its pods running, so a pod that exits must be restarted.`}`,
      fixes: () => allowed.map((a) => ({ title: `Change restartPolicy to ${a}`, edits: [{ range, newText: yamlScalar(a) }], preferred: allowed.length === 1 })),
    },
  ];
}
