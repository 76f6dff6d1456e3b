// An Argo Rollout's pods are selected and admitted like a Deployment's: its ReplicaSets make them
// from spec.template (argo-rollouts rollout/replicaset.go), so Services, PodDisruptionBudgets,
// NetworkPolicies, an autoscaler and the label links see them. Found by a user trial: every canary
// Service of an Argo Rollouts setup was said to select nothing, with a fix pointing it elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objectsActingOn } from '../../server/src/scope/acting-on-workload';
import { referencesAt, renameAt } from '../../server/src/scope/links';
import { findingsIn, uri, workspaceOf } from './helpers';

const rollout = (labels = '{app: web}', resources = '') => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 2
  strategy:
    canary:
      canaryService: web-canary
      stableService: web
  selector:
    matchLabels: ${labels}
  template:
    metadata:
      labels: ${labels}
    spec:
      containers:
      - name: web
        image: "argoproj/rollouts-demo:blue"
${resources}`;

const workloadRefRollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web-template}
`;

const worker = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  selector:
    matchLabels: {app: worker}
  template:
    metadata:
      labels: {app: worker}
    spec:
      containers:
      - name: worker
        image: "ghcr.io/example/worker:1.4.2"
`;

const service = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: web}
  ports:
  - port: 80
`;

const pdb = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: web}
`;

const networkPolicy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
spec:
  podSelector:
    matchLabels: {app: web}
`;

const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web}
  minReplicas: 2
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
`;

test("Services, budgets and network policies that select a Rollout's pods select something", () => {
  const workspace = workspaceOf({
    'app/rollout.yaml': rollout(),
    'app/worker.yaml': worker,
    'app/services.yaml': `${service('web')}---\n${service('web-canary')}`,
    'app/pdb.yaml': `${pdb}---\n${networkPolicy}`,
  });
  assert.deepEqual(findingsIn(workspace, 'app/services.yaml', 'service-selects-nothing'), []);
  assert.deepEqual(findingsIn(workspace, 'app/pdb.yaml', 'selector-selects-nothing'), []);
  // Without the Rollout the same Service selects nothing: the rule is still at work.
  const without = workspaceOf({ 'app/worker.yaml': worker, 'app/services.yaml': service('web') });
  assert.equal(findingsIn(without, 'app/services.yaml', 'service-selects-nothing').length, 1);
});

test("a Service that misses a Rollout's pods is offered the Rollout among the workloads to select", () => {
  const workspace = workspaceOf({ 'app/rollout.yaml': rollout('{app: web-v2}'), 'app/services.yaml': service('web') });
  const [f] = findingsIn(workspace, 'app/services.yaml', 'service-selects-nothing');
  assert.ok(f, 'a Service selecting app=web, which no template carries, is reported');
  assert.match(f.message, /Rollout "web"/);
});

test("a workloadRef Rollout has no template of its own: its pods are the referenced Deployment's", () => {
  const template = worker.replace(/worker/g, 'web-template').replace(/app: web-template/g, 'app: web');
  const workspace = workspaceOf({ 'app/rollout.yaml': workloadRefRollout, 'app/template.yaml': template, 'app/services.yaml': service('web') });
  assert.deepEqual(findingsIn(workspace, 'app/services.yaml', 'service-selects-nothing'), []);
  const alone = workspaceOf({ 'app/rollout.yaml': workloadRefRollout, 'app/worker.yaml': worker, 'app/services.yaml': service('web') });
  assert.equal(findingsIn(alone, 'app/services.yaml', 'service-selects-nothing').length, 1);
});

test('an autoscaler on a Rollout is judged by the Rollout\'s pods (hpa-resource-requests)', () => {
  const bare = workspaceOf({ 'app/rollout.yaml': rollout(), 'app/hpa.yaml': hpa });
  const [f] = findingsIn(bare, 'app/hpa.yaml', 'hpa-resource-requests');
  assert.ok(f, 'a Rollout whose container requests no cpu cannot be scaled on cpu utilization');
  assert.match(f.message, /^Rollout "web": container "web" requests no cpu/);
  const requesting = workspaceOf({ 'app/rollout.yaml': rollout('{app: web}', '        resources: {requests: {cpu: 100m}}\n'), 'app/hpa.yaml': hpa });
  assert.deepEqual(findingsIn(requesting, 'app/hpa.yaml', 'hpa-resource-requests'), []);
});

test("the budgets that select a Rollout's pods act on it in the Dry-run", () => {
  const workspace = workspaceOf({ 'app/rollout.yaml': rollout(), 'app/pdb.yaml': pdb });
  const file = workspace.get(uri('app/rollout.yaml'))!;
  const acting = objectsActingOn(workspace, { uri: file.uri, doc: file.documents[0] }) as { kind: string }[];
  assert.deepEqual(acting.map((o) => o.kind), ['PodDisruptionBudget']);
});

test("a Rollout's template labels link to what selects them, and renaming one renames the selectors", () => {
  const text = rollout();
  const workspace = workspaceOf({ 'app/rollout.yaml': text, 'app/services.yaml': service('web') });
  const file = workspace.get(uri('app/rollout.yaml'))!;
  const label = text.lastIndexOf('app: web');
  assert.deepEqual(
    referencesAt(workspace, file, label).map((p) => p.uri),
    [uri('app/services.yaml')],
  );
  const edits = renameAt(workspace, file, label + 'app: '.length, 'shop') ?? [];
  // the template's label, the Rollout's own selector and the Service's selector
  assert.deepEqual(edits.map((e) => e.uri).sort(), [uri('app/rollout.yaml'), uri('app/rollout.yaml'), uri('app/services.yaml')].sort());
  assert.ok(edits.every((e) => e.newText === 'shop'));
});
