// PodDisruptionBudgets, the eviction API, `kubectl drain` and the HorizontalPodAutoscaler's bounds,
// written from kubernetes/kubernetes: pkg/controller/disruption/disruption.go (getExpectedPodCount,
// countHealthyPods, updatePdbStatus), pkg/registry/core/pod/storage/eviction.go (Create,
// canIgnorePDB, checkAndDecrement), staging/src/k8s.io/kubectl/pkg/drain/drain.go (evictPods) and
// filters.go (GetPodsForDeletion), pkg/controller/podautoscaler/horizontal.go (reconcileAutoscaler).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetStatus, budgetsFromObjects, type BudgetPod, type PodDisruptionBudget } from '../../server/src/engine/controllers/disruption/budget';
import { evictionOutcome, MULTIPLE_PDB_MESSAGE, PDB_VIOLATION_MESSAGE } from '../../server/src/engine/controllers/disruption/eviction';
import { simulate, podsAtStep, type SimNode, type SimulationResult } from '../../server/src/engine';

const budget = (over: Partial<PodDisruptionBudget> = {}): PodDisruptionBudget => ({ name: 'web', selector: { matchLabels: { app: 'web' } }, unhealthyPodEvictionPolicy: 'IfHealthyBudget', ...over });
const pod = (ready: boolean, over: Partial<BudgetPod> = {}): BudgetPod => ({ labels: { app: 'web' }, ready, phase: 'Running', ...over });

test('disruption controller arithmetic: minAvailable and maxUnavailable, integers and percentages', () => {
  const three = [pod(true), pod(true), pod(true)];
  // maxUnavailable 34% of 3 rounds up to 2: desiredHealthy 1, two disruptions allowed.
  assert.deepEqual(budgetStatus(budget({ maxUnavailable: '34%' }), three, 3), { expectedPods: 3, desiredHealthy: 1, currentHealthy: 3, disruptionsAllowed: 2 });
  // minAvailable 50% of 3 rounds up to 2.
  assert.deepEqual(budgetStatus(budget({ minAvailable: '50%' }), three, 3), { expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 });
  // An integer minAvailable counts the pods selected, not the scale.
  assert.equal(budgetStatus(budget({ minAvailable: 2 }), three, 10).expectedPods, 3);
  // Terminating and unready pods are not healthy; a negative difference allows nothing.
  const status = budgetStatus(budget({ minAvailable: 2 }), [pod(true), pod(false), pod(true, { deletionTimestamp: 4 })], 3);
  assert.deepEqual([status.currentHealthy, status.disruptionsAllowed], [1, 0]);
  // Pods of another app are not counted.
  assert.equal(budgetStatus(budget({ minAvailable: 1 }), [pod(true, { labels: { app: 'db' } })], 1).currentHealthy, 0);
  // Nothing expected (maxUnavailable over a scale of 0): no disruption allowed.
  assert.equal(budgetStatus(budget({ maxUnavailable: 1 }), [], 0).disruptionsAllowed, 0);
});

test('policy/v1: an empty selector selects every pod; policy/v1beta1 and a missing selector select none', () => {
  const pdb = (apiVersion: string, selector?: unknown) => ({ apiVersion, kind: 'PodDisruptionBudget', metadata: { name: 'all' }, spec: { minAvailable: 1, ...(selector ? { selector } : {}) } });
  assert.equal(budgetsFromObjects([pdb('policy/v1', {})], 'default').length, 1);
  assert.equal(budgetsFromObjects([pdb('policy/v1beta1', {})], 'default').length, 0);
  assert.equal(budgetsFromObjects([pdb('policy/v1')], 'default').length, 0);
  assert.equal(budgetsFromObjects([{ ...pdb('policy/v1', {}), metadata: { name: 'x', namespace: 'other' } }], 'default').length, 0);
});

test('eviction API: pending and finished pods go at once; two budgets are a 500; a full budget is a 429 with its cause', () => {
  const full = { budget: budget({ minAvailable: 3 }), status: { expectedPods: 3, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 } };
  assert.deepEqual(evictionOutcome(pod(false, { phase: 'Pending' }), [full]), { evicted: true });
  assert.deepEqual(evictionOutcome(pod(false, { phase: 'Succeeded' }), [full]), { evicted: true });
  assert.deepEqual(evictionOutcome(pod(true), [full]), {
    evicted: false,
    code: 429,
    message: PDB_VIOLATION_MESSAGE,
    cause: 'The disruption budget web needs 3 healthy pods and has 3 currently',
  });
  assert.deepEqual(evictionOutcome(pod(true), [full, { ...full, budget: budget({ name: 'other' }) }]), { evicted: false, code: 500, message: MULTIPLE_PDB_MESSAGE });
  // An unready pod costs a healthy budget nothing (IfHealthyBudget); with the budget short it waits, unless AlwaysAllow.
  assert.deepEqual(evictionOutcome(pod(false), [full]), { evicted: true });
  const short = { ...full, status: { ...full.status, currentHealthy: 2 } };
  assert.equal(evictionOutcome(pod(false), [short]).evicted, false);
  assert.equal(evictionOutcome(pod(false), [{ ...short, budget: budget({ minAvailable: 3, unhealthyPodEvictionPolicy: 'AlwaysAllow' }) }]).evicted, true);
  assert.deepEqual(evictionOutcome(pod(true), []), { evicted: true });
});

const node = (name: string): SimNode => ({ name, labels: { 'kubernetes.io/hostname': name }, taints: [], unschedulable: false, ready: true, allocatable: { cpu: 4000, memory: 16 * 2 ** 30, pods: 110 } });
const deployment = (replicas: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }, ...extra },
});
const pdb = (spec: Record<string, unknown>) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
const drainLines = (r: SimulationResult, node: string) => r.steps.flatMap((s) => s.events.filter((e) => e.object === `kubectl drain ${node}`).map((e) => [s.time, e.message] as const));

// drain.go evictPods: "evicting pod ns/name" per attempt; a 429 prints
// `error when evicting pods/"x" -n "ns" (will retry after 5s): <message>` and sleeps 5 s.
test('drain with a budget that allows no disruption: kubectl retries every 5 s with the eviction API message', () => {
  const nodes = [node('n1'), node('n2'), node('n3')];
  const r = simulate({ objects: [deployment(3), pdb({ minAvailable: 3 })], nodes, faults: { drain: [{ node: 'n1' }] } });
  const lines = drainLines(r, 'n1');
  const start = lines[0][0];
  const victim = podsAtStep(r, r.steps.length - 1).find((p) => p.node === 'n1')?.name as string;
  assert.ok(victim, 'the pod on n1 is still there');
  const refusal = `error when evicting pods/"${victim}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`;
  assert.deepEqual(lines, [
    [start, 'node/n1 cordoned'],
    [start, `evicting pod default/${victim}`],
    [start, refusal],
    [start + 5, `evicting pod default/${victim}`],
    [start + 5, refusal],
  ]);
  // Started a second after the Deployment was up (Ready after 3 s).
  assert.equal(start, 4);
  assert.equal(r.summary.completed, false);
  assert.ok(r.notes.some((n) => n.startsWith('kubectl drain n1 would keep retrying every 5 s for ') && n.includes('The disruption budget web needs 3 healthy pods and has 3 currently')), r.notes.join('\n'));
  const last = r.steps[r.steps.length - 1].status;
  assert.deepEqual(last.find((row) => row.object === 'node/n1')?.columns, { STATUS: 'Ready,SchedulingDisabled' });
  assert.deepEqual(last.find((row) => row.object === 'poddisruptionbudget.policy/web')?.columns, { 'MIN AVAILABLE': '3', 'MAX UNAVAILABLE': 'N/A', 'ALLOWED DISRUPTIONS': 0 });
  assert.ok(r.steps.some((s) => s.events.some((e) => e.object === 'node/n1' && e.message === 'Node n1 status is now: NodeNotSchedulable')));
});

// With maxUnavailable 1 and two of the three pods on the drained node: the first eviction uses the
// one disruption allowed; the second is refused until the replacement (created at once, placed on
// another node since n1 is cordoned) is Ready at +3 s, and goes at kubectl's next retry, +5 s.
test('drain waits for the replacement to be Ready before evicting the second pod', () => {
  const nodes = [node('n1'), node('n2')];
  const probe = simulate({ objects: [deployment(3)], nodes });
  const busy = ['n1', 'n2'].find((n) => podsAtStep(probe, probe.steps.length - 1).filter((p) => p.node === n).length === 2) as string;
  assert.ok(busy);
  const r = simulate({ objects: [deployment(3), pdb({ maxUnavailable: 1 })], nodes, faults: { drain: [{ node: busy, at: 10 }] } });
  const lines = drainLines(r, busy);
  const evicting = lines.filter(([, m]) => m.startsWith('evicting pod')).map(([t]) => t);
  assert.deepEqual(evicting, [10, 10, 15]);
  assert.equal(lines.filter(([, m]) => m.startsWith('error when evicting')).length, 1);
  const evicted = lines.filter(([, m]) => / evicted$/.test(m)).map(([t]) => t);
  assert.deepEqual(evicted, [13, 18], 'each pod is gone 3 s after its eviction');
  assert.deepEqual(lines[lines.length - 1], [18, `node/${busy} drained`]);
  assert.ok(r.summary.completed);
  assert.ok(podsAtStep(r, r.steps.length - 1).every((p) => p.node !== busy));
  assert.equal(r.summary.minAvailable, 2, 'the budget kept two pods available throughout');
});

test('drain leaves DaemonSet pods with kubectl\'s warning; a node that does not exist is an error', () => {
  const daemonSet = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } };
  const r = simulate({ objects: [daemonSet], nodes: [node('n1')], faults: { drain: [{ node: 'n1' }] } });
  const lines = drainLines(r, 'n1').map(([, m]) => m);
  assert.equal(lines.length, 3);
  assert.match(lines[1], /^Warning: ignoring DaemonSet-managed Pods: default\/agent-\w+$/);
  assert.equal(lines[2], 'node/n1 drained');
  assert.ok(r.summary.completed);
  const missing = simulate({ objects: [deployment(1)], nodes: [node('n1')], faults: { drain: [{ node: 'nope', at: 0 }] } });
  assert.deepEqual(drainLines(missing, 'nope').map(([, m]) => m), ['Error from server (NotFound): nodes "nope" not found']);
});

// horizontal.go reconcileAutoscaler: below minReplicas -> minReplicas, above maxReplicas ->
// maxReplicas, at the next sync (15 s period), with the SuccessfulRescale event.
test('HPA bounds: a count below minReplicas is raised at once, one above maxReplicas lowered at the next 15 s sync', () => {
  const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5 } };
  const r = simulate({ objects: [deployment(1), hpa], then: [{ at: 35, replicas: 8 }] });
  const hpaEvents = r.steps.flatMap((s) => s.events.filter((e) => e.object === 'horizontalpodautoscaler.autoscaling/web').map((e) => [s.time, e.message]));
  assert.deepEqual(hpaEvents, [
    [0, 'New size: 2; reason: Current number of replicas below Spec.MinReplicas'],
    [45, 'New size: 5; reason: Current number of replicas above Spec.MaxReplicas'],
  ]);
  const row = r.steps[r.steps.length - 1].status.find((s) => s.object === 'horizontalpodautoscaler.autoscaling/web')?.columns;
  assert.deepEqual(row, { REFERENCE: 'Deployment/web', TARGETS: 'cpu: <unknown>/80%', MINPODS: 2, MAXPODS: 5, REPLICAS: 5 });
  assert.equal(r.steps[r.steps.length - 1].status.find((s) => s.object === 'deployment.apps/web')?.columns.READY, '5/5');
  assert.ok(r.notes.some((n) => n.startsWith('HorizontalPodAutoscaler web keeps Deployment/web between 2 and 5 replicas')));
});
