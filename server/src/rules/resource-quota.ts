// A ResourceQuota in the namespace caps what its pods request and how many objects of a kind exist
// (plugin/pkg/admission/resourcequota, pkg/quota/v1/evaluator/core/pods.go; ported in
// k8s/resource-quota.ts). kdry counts the pods of this workload (after LimitRange defaults) and of
// the other workloads of the namespace in scope; what does not fit is forbidden with the plugin's
// words, the controller recording FailedCreate.
import { keyRange, valueRange, type ManifestDocument, type Offsets } from '../manifest';
import type { Finding } from '../findings';
import { valueAt } from '../manifest/pod-template';
import { addAmounts, subtractAmounts, timesAmount, ZERO } from '../k8s/quantity-amount';
import { checkQuota, podUsage, quotaConstraints, quotaMatchesPod, quotaOf, type Quota, type QuotaExceeded } from '../k8s/resource-quota';
import type { ResourceList } from '../k8s/resource-list';
import { admittedPod, foundElsewhere, namespaceNeighbours, podCountOf, resourceQuotasFor, WORKLOAD_KINDS, type AdmittedPod } from '../scope/namespace-policies';
import { objectsOfBuild, replicasOverride } from '../scope/kustomize-build';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { buildsOf, builtDocument, namespaceInBuild, type Build } from '../scope/built-document';
import type { Unit } from '../scope/units';
import { defineRule } from './define-rule';
import { everyPodForbidden, podNameOf } from './lookup/failed-create';
import { findingsPerBuild } from './lookup/per-build';
import { POD_TEMPLATE_KINDS } from './limit-range';
import type { Rule, RuleContext } from './types';

/** The quota resource that counts objects of a kind (`count/<resource>.<group>`; core kinds have no group). */
const OBJECT_COUNT: Record<string, string[]> = {
  Deployment: ['count/deployments.apps'],
  ReplicaSet: ['count/replicasets.apps'],
  StatefulSet: ['count/statefulsets.apps'],
  DaemonSet: ['count/daemonsets.apps'],
  Job: ['count/jobs.batch'],
  CronJob: ['count/cronjobs.batch'],
  ReplicationController: ['count/replicationcontrollers', 'replicationcontrollers'],
};

export const resourceQuota: Rule = defineRule({
  id: 'resource-quota',
  title: 'Pods or objects over the namespace\'s ResourceQuota',
  severity: 'error',
  kinds: POD_TEMPLATE_KINDS,
  crossDocument: true,
  description: [
    'A ResourceQuota in the namespace (found in scope, docs/scope.md) caps the sum of what the pods there request and limit (`requests.cpu`, `limits.memory`, ...), how many pods run (`pods`) and how many objects of a kind exist (`count/deployments.apps`).',
    'The API server refuses each pod that would go over, and the controller records `FailedCreate`: `pods "web-..." is forbidden: exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=1, limited: requests.cpu=1`.',
    'A quota on cpu or memory also refuses a pod whose containers do not all set it: `failed quota: compute: must specify limits.memory for: web`.',
    'kdry counts this workload\'s pods (replicas, after LimitRange defaults) after those of the other workloads of the namespace in scope; when only the others make it overflow, the finding is a warning, since the order they are created in decides which pods are refused.',
    'Pods of DaemonSets depend on the nodes and are not counted for the others.',
  ].join(' '),
  remediation: 'Lower the replicas or the requests and limits, or raise the quota; set every resource the quota tracks on every container.',
  check,
});

function quotasOf(entries: IndexedDocument[]): Quota[] {
  return entries.map((e) => quotaOf(e.doc.name ?? '', valueAt(e.doc.value, ['spec']))).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The pods of the object each build applies (an overlay may patch the requests, set the replicas
 * or the namespace), counted with the other workloads of that namespace as the same build applies them.
 */
function check(ctx: RuleContext): Finding[] {
  return findingsPerBuild(buildsOf(ctx.workspace, ctx.file.uri, ctx.doc), (build) => buildFindings(ctx, build));
}

function buildFindings(ctx: RuleContext, build: Build): Finding[] {
  const from = { uri: ctx.file.uri, doc: build.doc };
  const namespace = namespaceInBuild(ctx.workspace, { uri: ctx.file.uri, doc: ctx.doc }, build);
  const found = resourceQuotasFor(ctx.workspace, from, namespace, build.root);
  if (found.matches.length === 0) return [];
  const findings = quotaFindings(ctx, build, namespace, found.matches);
  const elsewhere = foundElsewhere(ctx.workspace, from, found);
  return elsewhere ? findings.map((f) => ({ ...f, severity: elsewhere.severity, message: f.message + elsewhere.note })) : findings;
}

/**
 * The other workloads of the namespace as `build` applies them: those it builds as it builds
 * them (its replicas and patches applied), and those of the namespace it does not build as written.
 */
function neighboursIn(workspace: WorkspaceIndex, written: IndexedDocument, build: Build, namespace: string | undefined): IndexedDocument[] {
  const { root } = build;
  const outside = namespaceNeighbours(workspace, written, namespace);
  if (!root) return outside;
  const built: IndexedDocument[] = [];
  for (const n of objectsOfBuild(workspace, root).files) {
    if (n.doc === written.doc || !n.doc.kind || !WORKLOAD_KINDS.has(n.doc.kind)) continue;
    const doc = buildsOf(workspace, n.uri, n.doc).find((b) => b.root === root)?.doc ?? builtDocument(workspace, n.uri, n.doc, root);
    if (doc.namespace === namespace) built.push({ ...n, doc });
  }
  return [...built, ...outside.filter((n) => !root.members?.has(n.uri))];
}

function quotaFindings({ file, doc: written, workspace, kubernetes }: RuleContext, build: Build, namespace: string | undefined, entries: IndexedDocument[]): Finding[] {
  const { doc } = build;
  const from = { uri: file.uri, doc };
  const quotas = quotasOf(entries);
  const neighbours = neighboursIn(workspace, { uri: file.uri, file, doc: written }, build, namespace);
  const objectFinding = objectCountFinding(doc, quotas, neighbours);
  if (objectFinding) return [objectFinding];
  const admitted = admittedPod(workspace, from, kubernetes.version, namespace, build.root);
  const count = (build.root ? undefined : replicasOverride(workspace, from)) ?? podCountOf(doc);
  if (!admitted || count === undefined || count === 0) return [];
  const range = rangeOf(doc, admitted);
  const matching = quotas.filter((q) => quotaMatchesPod(q, admitted.pod));
  for (const q of matching) {
    const missing = quotaConstraints(q, admitted.pod);
    if (missing) return [{ ruleId: resourceQuota.id, range, message: everyPodForbidden(doc, `pods ${JSON.stringify(podNameOf(doc))} is forbidden: failed quota: ${q.name}: ${missing}`) }];
  }
  const usage = usageOf(admitted);
  const others = (): Neighbour[] =>
    neighbours.flatMap((n) => {
      const pod = admittedPod(workspace, n, kubernetes.version, namespace, build.root);
      // One the build builds carries its replicas already.
      const pods = (build.root?.members?.has(n.uri) ? undefined : replicasOverride(workspace, n)) ?? podCountOf(n.doc);
      return pod && pods ? [{ entry: n, pod, pods }] : [];
    });
  // alone first: a workload that overflows the quota by itself is refused whatever else runs
  const alone = firstRefused(matching, usage, count, () => new Map());
  const refused = alone ?? firstRefused(matching, usage, count, (q) => usedByOthers(workspace, build.root, namespace, q, others, timesList(usage, count)));
  const counted = (q: Quota) => others().filter((o) => quotaMatchesPod(q, o.pod.pod));
  if (!refused) return [];
  const forbidden = `pods ${JSON.stringify(podNameOf(doc))} is forbidden: ${refused.exceeded.message}`;
  const message =
    refused.fit === 0
      ? everyPodForbidden(doc, forbidden)
      : `Only ${refused.fit} of the ${count} pods fit the quota: the others are forbidden and ${doc.kind === 'Deployment' ? 'the ReplicaSet' : `the ${doc.kind}`} records FailedCreate \`Error creating: ${forbidden}\`.`;
  const othersText = alone ? '' : ` Counted after the pods of ${counted(refused.quota).map((o) => `${o.entry.doc.kind} "${o.entry.doc.name ?? ''}" (${o.pods})`).join(', ')} in the same namespace; whichever is created last is refused.`;
  return [{ ruleId: resourceQuota.id, severity: alone ? 'error' : 'warning', range, message: message + othersText }];
}

const usages = new WeakMap<AdmittedPod, ResourceList>();

/** One pod's quota usage, measured once per admitted pod (every workload of the namespace counts the others). */
function usageOf(admitted: AdmittedPod): ResourceList {
  let usage = usages.get(admitted);
  if (!usage) usages.set(admitted, (usage = podUsage(admitted.pod)));
  return usage;
}

function timesList(list: ResourceList, n: number): ResourceList {
  return new Map([...list].map(([k, v]) => [k, timesAmount(v, n)]));
}

const totalsCache = new WeakMap<WorkspaceIndex, { revision: number; totals: Map<string, ResourceList> }>();

/**
 * What the other workloads of the namespace use of a quota's resources. For a known namespace the
 * sum over all of them (this one included) is kept per workspace revision and this one's share
 * taken off, so a namespace of n workloads costs n sums, not n².
 */
function usedByOthers(workspace: WorkspaceIndex, root: Unit | undefined, namespace: string | undefined, q: Quota, others: () => Neighbour[], own: ResourceList): ResourceList {
  const sum = () => {
    const used: ResourceList = new Map();
    for (const o of others()) if (quotaMatchesPod(q, o.pod.pod)) for (const [k, v] of usageOf(o.pod)) if (q.hard.has(k)) used.set(k, addAmounts(used.get(k) ?? ZERO, timesAmount(v, o.pods)));
    return used;
  };
  if (namespace === undefined) return sum();
  let cached = totalsCache.get(workspace);
  if (!cached || cached.revision !== workspace.revision) totalsCache.set(workspace, (cached = { revision: workspace.revision, totals: new Map() }));
  // Per build: each build applies the namespace's workloads its own way.
  const key = `${root?.uri ?? ''}\0${namespace}\0${q.name}`;
  let total = cached.totals.get(key);
  if (!total) {
    total = sum();
    for (const [k, v] of own) if (q.hard.has(k)) total.set(k, addAmounts(total.get(k) ?? ZERO, v));
    cached.totals.set(key, total);
  }
  const used: ResourceList = new Map();
  for (const [k, v] of total) {
    const mine = own.get(k);
    used.set(k, mine ? subtractAmounts(v, mine) : v);
  }
  return used;
}

interface Neighbour {
  entry: IndexedDocument;
  pod: AdmittedPod;
  pods: number;
}

/**
 * The first of `count` pods (each using `usage`) that a quota refuses once the `counted` pods of
 * others use their share; across quotas, the one that refuses earliest (checkRequest stops at the
 * first quota it exceeds, in name order).
 */
function firstRefused(quotas: Quota[], usage: ResourceList, count: number, usedFor: (q: Quota) => ResourceList): { fit: number; exceeded: QuotaExceeded; quota: Quota } | undefined {
  let first: { fit: number; exceeded: QuotaExceeded; quota: Quota } | undefined;
  for (const q of quotas) {
    const used = new Map(usedFor(q));
    const requested = new Map([...usage].filter(([k]) => q.hard.has(k)));
    for (let fit = 0; fit < count; fit++) {
      const exceeded = checkQuota(q, used, requested);
      if (exceeded) {
        if (!first || fit < first.fit) first = { fit, exceeded, quota: q };
        break;
      }
      for (const [k, v] of requested) used.set(k, addAmounts(used.get(k) ?? ZERO, v));
    }
  }
  return first;
}

/** The workload object itself over a `count/<kind>` quota: the API server refuses it. */
function objectCountFinding(doc: ManifestDocument, quotas: Quota[], neighbours: IndexedDocument[]): Finding | undefined {
  const names = OBJECT_COUNT[doc.kind ?? ''];
  if (!names) return undefined;
  const existing = neighbours.filter((n) => n.doc.kind === doc.kind && n.doc.apiVersion === doc.apiVersion).length;
  for (const q of quotas) {
    const counted = names.filter((n) => q.hard.has(n));
    if (counted.length === 0) continue;
    const one = { numerator: 1n, denominator: 1n, format: 'DecimalSI' as const };
    const used: ResourceList = new Map(counted.map((n) => [n, { ...one, numerator: BigInt(existing) }]));
    const exceeded = checkQuota(q, used, new Map(counted.map((n) => [n, one])));
    if (!exceeded) continue;
    const resource = names[0].slice('count/'.length);
    const range = valueRange(doc, ['kind']) ?? keyRange(doc, ['kind'])!;
    const others = existing > 0 ? ` Counted after the ${existing} other ${doc.kind} object${existing > 1 ? 's' : ''} of the namespace in scope; whichever is applied last is refused.` : '';
    return { ruleId: resourceQuota.id, severity: existing > 0 ? 'warning' : 'error', range, message: `The API server refuses this ${doc.kind}: ${resource} ${JSON.stringify(doc.name ?? '')} is forbidden: ${exceeded.message}.${others}` };
  }
  return undefined;
}

/** `replicas` when the count is what overflows, else the first container's resources or name. */
function rangeOf(doc: ManifestDocument, admitted: AdmittedPod): Offsets {
  const at = [...admitted.specPath, 'containers', 0];
  return keyRange(doc, ['spec', 'replicas']) ?? keyRange(doc, [...at, 'resources']) ?? keyRange(doc, [...at, 'name']) ?? keyRange(doc, ['kind'])!;
}

