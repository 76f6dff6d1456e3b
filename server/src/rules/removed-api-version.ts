// Workload apiVersions that current Kubernetes no longer serves.
import { isRecord, valueRange } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding, Fix } from '../findings';
import { defineRule } from './util/define-rule';
import { setMapEntries } from './util/map-edit';
import { podTemplatePath, stringMap, valueAt } from './util/pod-template';

interface Removal {
  apiVersion: string;
  kinds: string[];
  removedIn: string;
  replacement: string;
}

const REMOVALS: Removal[] = [
  { apiVersion: 'extensions/v1beta1', kinds: ['Deployment', 'ReplicaSet', 'DaemonSet'], removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta1', kinds: ['Deployment', 'StatefulSet'], removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', kinds: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'], removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], removedIn: '1.25', replacement: 'batch/v1' },
  { apiVersion: 'batch/v2alpha1', kinds: ['CronJob'], removedIn: '1.21', replacement: 'batch/v1' },
];

export const removedApiVersion: Rule = defineRule({
  id: 'removed-api-version',
  title: 'apiVersion removed from Kubernetes',
  severity: 'error',
  partialObjects: true,
  templates: true,
  kinds: REMOVALS.flatMap((r) => r.kinds.map((k) => `${r.apiVersion}/${k}`)),
  description: [
    'The beta workload APIs were removed: `extensions/v1beta1`, `apps/v1beta1` and `apps/v1beta2` Deployments, ReplicaSets, StatefulSets and DaemonSets in Kubernetes 1.16,',
    '`batch/v1beta1` CronJobs in 1.25 (`batch/v2alpha1` earlier). A current API server answers `no matches for kind "Deployment" in version "extensions/v1beta1"` and creates nothing.',
    'The replacement is `apps/v1` (or `batch/v1`); note that apps/v1 requires `spec.selector`, which the old versions defaulted from the template labels, and that its defaults differ',
    '(e.g. an extensions/v1beta1 Deployment kept every old ReplicaSet and rolled with maxSurge 1 / maxUnavailable 1; apps/v1 keeps 10 and uses 25% / 25%).',
  ].join(' '),
  remediation: 'Change `apiVersion` to `apps/v1` (workloads) or `batch/v1` (CronJob) and add `spec.selector.matchLabels` equal to the pod template labels if it is missing.',
  check,
  fixtures: {
    good: [
      `apiVersion: batch/v1
kind: CronJob
metadata:
  name: c
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox}]
`,
    ],
    bad: [
      `apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: "nginx:1.27"
`,
    ],
  },
});

function check({ file, doc }: RuleContext): Finding[] {
  const removal = REMOVALS.find((r) => r.apiVersion === doc.apiVersion && r.kinds.includes(doc.kind ?? ''));
  if (!removal) return [];
  const range = valueRange(doc, ['apiVersion'])!;
  const fix: Fix = { title: `Change apiVersion to ${removal.replacement}`, edits: [{ range, newText: removal.replacement }], preferred: true };
  let selectorNote = '';
  const spec = valueAt(doc.value, ['spec']);
  if (removal.replacement === 'apps/v1' && isRecord(spec) && spec.selector === undefined) {
    const labels = stringMap(valueAt(doc.value, [...podTemplatePath(doc)!, 'metadata', 'labels'])) ?? {};
    selectorNote = ' apps/v1 also requires spec.selector, which the old version defaulted from the template labels.';
    const edits = Object.keys(labels).length ? setMapEntries(file.text, doc, ['spec', 'selector', 'matchLabels'], labels) : undefined;
    if (edits) {
      fix.title += ' and add spec.selector from the template labels';
      fix.edits.push(...edits);
    } else fix.preferred = undefined;
  }
  return [
    {
      ruleId: removedApiVersion.id,
      range,
      message: `${removal.apiVersion} ${doc.kind} was removed in Kubernetes ${removal.removedIn}: the API server answers \`no matches for kind "${doc.kind}" in version "${removal.apiVersion}"\`. Use ${removal.replacement}.${selectorNote}`,
      fixes: [fix],
    },
  ];
}
