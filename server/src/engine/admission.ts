// The API server's admission of the pods the simulated controllers create, from the policy
// objects it is given (those of the simulated file, and those the editor and `kdry simulate` find
// in the workload's scope: scope/acting-on-workload.ts): the namespace's LimitRanges (defaults, then min/max), its Pod
// Security enforce level (a Namespace labelled pod-security.kubernetes.io/enforce) and its
// ResourceQuotas (against the pods already running), in the order the admission plugins run
// (LimitRanger, PodSecurity, ResourceQuota). A refused pod is not created; its controller records
// FailedCreate with the error (rules limit-range, pod-security and resource-quota say the same
// from the editor, with the same objects in scope).
import { evaluatePod, policyToEvaluate, violatesMessage } from '../k8s/pod-security';
import { aggregateMessage, applyLimitRangeDefaults, limitRangeItems, podResourcesOf, validateLimitRange } from '../k8s/limit-range';
import { checkQuota, podUsage, quotaConstraints, quotaMatchesPod, quotaOf, quotaPodOf, type Quota, type QuotaPod } from '../k8s/resource-quota';
import { addAmounts, ZERO } from '../k8s/quantity-amount';
import type { ResourceList } from '../k8s/resource-list';
import type { PodTemplate } from './types';
import type { ReleaseBehaviour } from './release-behaviour';

/**
 * The refusal (`pods "web-x" is forbidden: ...`) of a pod about to be created, or undefined. The
 * template's spec is the one the API server stores in the release simulated (fields of gates that
 * are off dropped: world/disabled-fields.ts).
 */
export type PodAdmission = (name: string, template: PodTemplate, running: readonly { spec: Record<string, unknown>; phase?: string }[]) => string | undefined;

type Obj = Record<string, unknown>;

interface Counted {
  pod: QuotaPod;
  usage: ResourceList;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const meta = (o: Obj) => (isObj(o.metadata) ? o.metadata : {});

/**
 * The admission of the namespace the workload lives in, from the objects given; undefined when
 * they hold no policy for it (then nothing is checked and nothing costs).
 */
export function podAdmissionFrom(objects: readonly unknown[], namespace: string | undefined, release: ReleaseBehaviour): PodAdmission | undefined {
  // an object without a namespace is applied with the workload (`kubectl apply -f` the file)
  const inNamespace = (o: Obj) => meta(o).namespace === undefined || namespace === undefined || meta(o).namespace === namespace;
  const of = (kind: string) => objects.filter(isObj).filter((o) => o.kind === kind && o.apiVersion === 'v1');
  const limitRanges = of('LimitRange').filter(inNamespace).map((o) => limitRangeItems(o.spec));
  const quotas = of('ResourceQuota').filter(inNamespace).map((o) => quotaOf(String(meta(o).name ?? ''), o.spec)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const ns = of('Namespace').find((o) => namespace !== undefined && meta(o).name === namespace);
  const labels = ns && isObj(meta(ns).labels) ? (meta(ns).labels as Record<string, unknown>) : {};
  const enforce = policyToEvaluate(Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)]))).policy.enforce;
  if (limitRanges.length === 0 && quotas.length === 0 && enforce.level === 'privileged') return undefined;
  const usageOf = new WeakMap<object, Counted>();
  const emulatedMinor = Number(release.release.split('.')[1]);
  return (name, template, running) => {
    const { pod } = applyLimitRangeDefaults(limitRanges, podResourcesOf(template.spec));
    const quotaPod = quotaPodOf(template.spec, pod);
    for (const items of limitRanges) {
      const violations = validateLimitRange(items, pod, quotaPod.podLevel);
      if (violations.length) return `pods ${JSON.stringify(name)} is forbidden: ${aggregateMessage(violations.map((v) => v.message))}`;
    }
    if (enforce.level !== 'privileged') {
      // `latest` is the API server's own release: the one simulated knows no check of a later one
      // (hostProbesAndHostLifecycle from 1.34), as the pod-security rule judges it
      const result = evaluatePod(enforce, { metadata: { labels: template.labels, annotations: template.annotations ?? {} }, spec: template.spec }, emulatedMinor);
      if (!result.allowed) return violatesMessage(name, enforce, result);
    }
    const matching = quotas.filter((q) => quotaMatchesPod(q, quotaPod));
    if (matching.length === 0) return undefined;
    for (const q of matching) {
      const missing = quotaConstraints(q, quotaPod);
      if (missing) return `pods ${JSON.stringify(name)} is forbidden: failed quota: ${q.name}: ${missing}`;
    }
    const usage = podUsage(quotaPod);
    for (const q of matching) {
      const exceeded = checkQuota(q, used(q, running, limitRanges, usageOf), new Map([...usage].filter(([k]) => q.hard.has(k))));
      if (exceeded) return `pods ${JSON.stringify(name)} is forbidden: ${exceeded.message}`;
    }
    return undefined;
  };
}

/** What the running (not terminal) pods the quota matches use: the quota controller's status.used. */
function used(q: Quota, running: readonly { spec: Record<string, unknown>; phase?: string }[], limitRanges: ReturnType<typeof limitRangeItems>[], cache: WeakMap<object, Counted>): ResourceList {
  const total: ResourceList = new Map();
  for (const p of running) {
    if (p.phase === 'Succeeded' || p.phase === 'Failed') continue;
    // pods of one template share its spec object: each is measured once
    let counted = cache.get(p.spec);
    if (!counted) {
      const pod = quotaPodOf(p.spec, applyLimitRangeDefaults(limitRanges, podResourcesOf(p.spec)).pod);
      counted = { pod, usage: podUsage(pod) };
      cache.set(p.spec, counted);
    }
    if (!quotaMatchesPod(q, counted.pod)) continue;
    for (const [k, v] of counted.usage) if (q.hard.has(k)) total.set(k, addAmounts(total.get(k) ?? ZERO, v));
  }
  return total;
}
