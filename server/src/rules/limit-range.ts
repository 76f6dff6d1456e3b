// A LimitRange in the namespace fills in missing requests and limits and refuses pods outside its
// min, max and maxLimitRequestRatio (plugin/pkg/admission/limitranger, ported in k8s/limit-range.ts):
// the workload is accepted, its pods are forbidden with the plugin's words.
import { isRecord, keyRange, type ManifestDocument, type ObjectPath, type Offsets } from '../manifest';
import { valueAt } from '../manifest/pod-template';
import type { Finding } from '../findings';
import { aggregateMessage, validateLimitRange, type LimitRangeViolation } from '../k8s/limit-range';
import { admittedPod, foundElsewhere, limitRangesFor } from '../scope/namespace-policies';
import { buildsOf, namespaceInBuild, type Build } from '../scope/built-document';
import { defineRule } from './define-rule';
import { findingsPerBuild } from './lookup/per-build';
import { everyPodForbidden, podNameOf } from './lookup/failed-create';
import type { Rule, RuleContext } from './types';

export const POD_TEMPLATE_KINDS = ['v1/Pod', 'v1/ReplicationController', 'apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob'];

export const limitRange: Rule = defineRule({
  id: 'limit-range',
  title: 'Pods outside the namespace\'s LimitRange',
  severity: 'error',
  kinds: POD_TEMPLATE_KINDS,
  crossDocument: true,
  description: [
    'A LimitRange in the namespace (found in scope, docs/scope.md) is applied by the LimitRanger admission plugin to every pod created there:',
    'a container without a request or limit gets the `Container` item\'s `defaultRequest` and `default` (which the API server itself defaults from `max` and `min`),',
    'then every container must stay within `min` and `max` and the limit-to-request `maxLimitRequestRatio`, and a `Pod` item bounds the pod\'s totals',
    '(from Kubernetes 1.34, where PodLevelResources is on by default, the pod\'s own `spec.resources` cpu and memory stand for the containers\' totals, as the plugin\'s podRequests and podLimits read them).',
    'A workload whose pods break it is accepted, but every pod is forbidden and the controller records `FailedCreate` with the plugin\'s words:',
    '`pods "web-..." is forbidden: maximum cpu usage per Container is 1, but limit is 2`.',
    'The defaults also count where requests matter (autoscaler utilization, quota): the other rules see the pod as admitted.',
  'A file that kustomizations build is judged as each build applies it (an overlay may patch the resources or set the namespace), and the finding names the build.',
  ].join(' '),
  remediation: 'Set the container\'s requests and limits within the LimitRange (or change the LimitRange).',
  check,
});

/**
 * The pods of the object each build applies (an overlay's patch may set or drop the requests and
 * limits, and its `namespace:` chooses the namespace whose LimitRanges admit them).
 */
function check(ctx: RuleContext): Finding[] {
  return findingsPerBuild(buildsOf(ctx.workspace, ctx.file.uri, ctx.doc), (build) => buildFindings(ctx, build));
}

function buildFindings({ file, doc: written, workspace, kubernetes }: RuleContext, build: Build): Finding[] {
  const { doc } = build;
  const from = { uri: file.uri, doc };
  const namespace = namespaceInBuild(workspace, { uri: file.uri, doc: written }, build);
  const found = limitRangesFor(workspace, from, namespace, build.root);
  if (found.matches.length === 0) return [];
  const elsewhere = foundElsewhere(workspace, from, found);
  const admitted = admittedPod(workspace, from, kubernetes.version, namespace, build.root);
  if (!admitted) return [];
  // the plugin stops at the first LimitRange that refuses the pod (runLimitFunc)
  for (const { entry, items } of admitted.limitRanges) {
    const violations = validateLimitRange(items, admitted.pod.resources, admitted.pod.podLevel);
    if (violations.length === 0) continue;
    const forbidden = `pods ${JSON.stringify(podNameOf(doc))} is forbidden: ${aggregateMessage(violations.map((v) => v.message))}`;
    const range = rangeOf(written, admitted.specPath, violations[0], admitted.pod.podLevel !== undefined);
    const message = `${everyPodForbidden(doc, forbidden)} LimitRange "${entry.doc.name ?? ''}"${entry.uri === file.uri || elsewhere ? '' : ' of the namespace'} sets these bounds.`;
    return [elsewhere ? { ruleId: limitRange.id, range, severity: elsewhere.severity, message: message + elsewhere.note } : { ruleId: limitRange.id, range, message }];
  }
  return [];
}

/** The container's `resources` (or its name when it has none); for a Pod item the pod's own `resources` when they count, else the pod spec. */
function rangeOf(doc: ManifestDocument, specPath: ObjectPath, v: LimitRangeViolation, podLevel: boolean): Offsets {
  const list = v.init ? 'initContainers' : 'containers';
  const containers = valueAt(doc.value, [...specPath, list]);
  const index = Array.isArray(containers) ? containers.findIndex((c) => isRecord(c) && c.name === v.container) : -1;
  if (v.container !== undefined && index >= 0) {
    const at = [...specPath, list, index];
    return keyRange(doc, [...at, 'resources']) ?? keyRange(doc, [...at, 'name']) ?? keyRange(doc, at)!;
  }
  return (podLevel ? keyRange(doc, [...specPath, 'resources']) : undefined) ?? keyRange(doc, specPath) ?? keyRange(doc, ['kind'])!;
}
