// The pods prometheus-operator makes for a Prometheus or an Alertmanager carry `spec.podMetadata.labels`
// and the operator's own (pkg/prometheus/server/statefulset.go makeStatefulSetSpec podSelectorLabels;
// pkg/alertmanager/statefulset.go makeSelectorLabels), so the Services, PodDisruptionBudgets and
// NetworkPolicies of kube-prometheus select them. Found by a user trial (T9): six "selects nothing" warnings
// on the reference deployment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsIn, workspaceOf } from './helpers';

const prometheus = (podLabels: string) => `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: k8s
  namespace: monitoring
spec:
  replicas: 2
  podMetadata:
    labels: ${podLabels}
`;

const alertmanager = `apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata:
  name: main
  namespace: monitoring
spec:
  replicas: 3
`;

const service = (selector: string) => `apiVersion: v1
kind: Service
metadata:
  name: prometheus-k8s
  namespace: monitoring
spec:
  selector: ${selector}
  ports:
  - {name: web, port: 9090, targetPort: web}
`;

const pdb = (selector: string) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: pdb
  namespace: monitoring
spec:
  maxUnavailable: 1
  selector:
    matchLabels: ${selector}
`;

const networkPolicy = (selector: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np
  namespace: monitoring
spec:
  podSelector:
    matchLabels: ${selector}
  policyTypes: [Ingress]
`;

// Another workload in the namespace, so the selector rules speak there.
const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x, namespace: monitoring}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: x, image: "x:1"}]}\n`;

const kubePrometheusLabels = '{app.kubernetes.io/component: prometheus, app.kubernetes.io/name: prometheus, app.kubernetes.io/part-of: kube-prometheus}';

test('a Service, PDB and NetworkPolicy select the pods of a Prometheus by its podMetadata labels and the operator\'s', () => {
  for (const selector of [
    '{app.kubernetes.io/component: prometheus, app.kubernetes.io/name: prometheus, app.kubernetes.io/part-of: kube-prometheus}',
    '{prometheus: k8s}',
    '{app.kubernetes.io/instance: k8s, operator.prometheus.io/name: k8s}',
  ]) {
    const workspace = workspaceOf({ 'prometheus.yaml': prometheus(kubePrometheusLabels), 'service.yaml': service(selector), 'pdb.yaml': pdb(selector), 'np.yaml': networkPolicy(selector) });
    assert.deepEqual(findingsIn(workspace, 'service.yaml', 'service-selects-nothing'), [], selector);
    assert.deepEqual(findingsIn(workspace, 'pdb.yaml', 'selector-selects-nothing'), [], selector);
    assert.deepEqual(findingsIn(workspace, 'np.yaml', 'selector-selects-nothing'), [], selector);
  }
  // A label neither the podMetadata nor the operator gives: still nothing selected.
  const wrong = workspaceOf({ 'prometheus.yaml': prometheus(kubePrometheusLabels), 'service.yaml': service('{prometheus: other}'), 'pdb.yaml': pdb('{app.kubernetes.io/part-of: kube-prometheuss}') });
  assert.equal(findingsIn(wrong, 'service.yaml', 'service-selects-nothing').length, 1);
  assert.equal(findingsIn(wrong, 'pdb.yaml', 'selector-selects-nothing').length, 1);
});

test('an Alertmanager\'s pods carry alertmanager=<name> and app.kubernetes.io labels; another group\'s Prometheus kind makes no pods', () => {
  const selector = '{alertmanager: main, app.kubernetes.io/name: alertmanager, app.kubernetes.io/managed-by: prometheus-operator}';
  const workspace = workspaceOf({ 'am.yaml': alertmanager, 'deploy.yaml': deployment, 'pdb.yaml': pdb(selector), 'np.yaml': networkPolicy('{app.kubernetes.io/instance: main}') });
  assert.deepEqual(findingsIn(workspace, 'pdb.yaml', 'selector-selects-nothing'), []);
  assert.deepEqual(findingsIn(workspace, 'np.yaml', 'selector-selects-nothing'), []);
  const otherGroup = prometheus(kubePrometheusLabels).replace('monitoring.coreos.com/v1', 'example.com/v1');
  assert.equal(findingsIn(workspaceOf({ 'prometheus.yaml': otherGroup, 'deploy.yaml': deployment, 'pdb.yaml': pdb('{prometheus: k8s}') }), 'pdb.yaml', 'selector-selects-nothing').length, 1);
});
