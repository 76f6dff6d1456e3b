// A workload kind under the wrong apiVersion, or a misspelt kind in a group kdry knows whole:
// kubectl finds no such resource and applies nothing. CRDs and other groups are left alone.
import { valueRange, KNOWN_KINDS } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding } from '../findings';
import { defineRule } from './define-rule';
import { yamlScalar } from '../text-edits';
import { suggestNames } from '../schema/did-you-mean';

/** Every kind these group-versions serve (1.33), so anything else in them is a typo. */
const GROUP_KINDS: Record<string, string[]> = {
  'apps/v1': ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ControllerRevision'],
  'batch/v1': ['Job', 'CronJob'],
};
/** Core kinds: only a different capitalisation of one of them is reported (v1 has many more). */
const CORE_KINDS = ['Pod', 'Service', 'ConfigMap', 'Secret', 'Namespace', 'ServiceAccount', 'PersistentVolumeClaim', 'PersistentVolume', 'Endpoints', 'LimitRange', 'ResourceQuota', 'ReplicationController', 'PodTemplate', 'Node', 'Event'];
/** Old group-versions removed-api-version explains. */
const REMOVED = /^(extensions\/|apps\/v1beta|batch\/v1beta|batch\/v2alpha)/;

export const unknownKind: Rule = defineRule({
  id: 'unknown-kind',
  title: 'Kind not served at this apiVersion',
  severity: 'error',
  partialObjects: true,
  templates: true,
  description: [
    'kubectl looks the kind up in the apiVersion\'s group and fails with `no matches for kind "Deployment" in version "v1"` (`resource mapping not found` in kubectl apply) when the group does not serve it,',
    'so nothing is created. This catches a workload kind under the wrong apiVersion (Deployment is `apps/v1`, Job and CronJob `batch/v1`, Pod and Service `v1`),',
    'a misspelt kind in apps/v1 or batch/v1 (`Deploymnet`), and a core kind written with the wrong capitalisation (`service`): kinds are case-sensitive.',
    'Kinds of other groups and custom resources are not checked.',
  ].join(' '),
  remediation: 'Use the apiVersion that serves the kind (`apps/v1` for Deployment, ReplicaSet, StatefulSet, DaemonSet; `batch/v1` for Job and CronJob; `v1` for Pod and Service) and the kind\'s exact spelling.',
  check,
});

function check({ doc }: RuleContext): Finding[] {
  const { apiVersion, kind } = doc;
  // Other groups have kinds of the same name (Knative's serving.knative.dev/v1 Service): not ours.
  if (!apiVersion || !kind || REMOVED.test(apiVersion) || !(apiVersion === 'v1' || apiVersion in GROUP_KINDS)) return [];
  const home = KNOWN_KINDS.find((k) => k.kind === kind);
  if (home && home.apiVersion !== apiVersion) {
    const range = valueRange(doc, ['apiVersion'])!;
    return [
      {
        ruleId: unknownKind.id,
        range,
        message: `kubectl fails with \`no matches for kind "${kind}" in version "${apiVersion}"\`: ${kind} is served by ${home.apiVersion}. Nothing would be created.`,
        fixes: () => [{ title: `Change apiVersion to ${home.apiVersion}`, edits: [{ range, newText: yamlScalar(home.apiVersion) }], preferred: true }],
      },
    ];
  }
  const served = GROUP_KINDS[apiVersion];
  const caseOnly = apiVersion === 'v1' ? CORE_KINDS.find((k) => k !== kind && k.toLowerCase() === kind.toLowerCase()) : undefined;
  if (served ? served.includes(kind) : !caseOnly) return [];
  const names = caseOnly ? [caseOnly] : suggestNames(kind, served!).names;
  const range = valueRange(doc, ['kind'])!;
  const known = served ? ` (${apiVersion} serves ${served.join(', ')})` : '';
  return [
    {
      ruleId: unknownKind.id,
      range,
      message: `kubectl fails with \`no matches for kind "${kind}" in version "${apiVersion}"\`${known}.${names.length ? ` Did you mean ${names.map((n) => `"${n}"`).join(' or ')}?` : ''}${names.some((n) => n.toLowerCase() === kind.toLowerCase()) ? ' Kinds are case-sensitive.' : ''} Nothing would be created.`,
      fixes: () => names.map((n) => ({ title: `Change kind to ${n}`, edits: [{ range, newText: n }], preferred: names.length === 1 })),
    },
  ];
}
