import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { applyFix, findings, fixTitled, slice, valueOf } from './helpers';

const svc = (selector: string, ports: string, ns = '') => `apiVersion: v1
kind: Service
metadata:
  name: web${ns ? `\n  namespace: ${ns}` : ''}
spec:
  selector:
${selector}
  ports:
${ports}
`;
const deploy = (name: string, labels: string, ports = '[{name: http, containerPort: 8080}]') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: ${labels}
  template:
    metadata:
      labels: ${labels}
    spec:
      containers:
      - name: c
        image: "nginx:1.27"
        ports: ${ports}
`;

test('service-selects-nothing: reported on the selector key, listing the templates; fix selects the workload', () => {
  const text = svc('    app: web-frontend\n    tier: fe', '  - port: 80');
  const others = { 'file:///work/web.yaml': deploy('web', '{app: web, tier: fe}'), 'file:///work/db.yaml': deploy('db', '{app: db}') };
  const [f] = findings('service-selects-nothing', text, others);
  assert.equal(slice(text, f.range), 'selector');
  assert.match(f.message, /selects app=web-frontend, tier=fe, which no pod template/);
  assert.match(f.message, /Deployment "web" \(app=web, tier=fe\); Deployment "db" \(app=db\)/);
  const fix = fixTitled(f, 'Select the pods of Deployment "web"');
  assert.equal(fix.preferred, true);
  const fixed = applyFix(text, fix);
  assert.deepEqual((valueOf(fixed) as any).spec.selector, { app: 'web', tier: 'fe' });
  assert.deepEqual(findings('service-selects-nothing', fixed, others), []);
});

test('service-selects-nothing: silent without pod templates in the namespace, and across namespaces', () => {
  const seed = readFileSync('examples/original/service.yaml', 'utf8');
  assert.deepEqual(findings('service-selects-nothing', seed), []);
  const text = svc('    app: web', '  - port: 80', 'prod');
  assert.deepEqual(findings('service-selects-nothing', text, { 'file:///w.yaml': deploy('web', '{app: other}') }), []);
  // pods without a namespace go where `kubectl apply -n` says (docs/scope.md): they may be the Service's
  assert.deepEqual(findings('service-selects-nothing', text, { 'file:///w.yaml': deploy('web', '{app: web}') + '---\n' + deploy('x', '{app: x}').replace('name: x', 'name: x\n  namespace: prod') }), []);
  assert.equal(findings('service-selects-nothing', text, { 'file:///w.yaml': deploy('web', '{app: web}').replace('name: web', 'name: web\n  namespace: shop') + '---\n' + deploy('x', '{app: x}').replace('name: x', 'name: x\n  namespace: prod') }).length, 1);
});

test('service-target-port: a named targetPort nobody declares is an error with a did-you-mean fix', () => {
  const text = svc('    app: web', '  - port: 80\n    targetPort: htpp');
  const others = { 'file:///work/web.yaml': deploy('web', '{app: web}') };
  const [f] = findings('service-target-port', text, others);
  assert.equal(slice(text, f.range), 'htpp');
  assert.equal(f.severity, 'error', 'the rule\'s own severity');
  assert.match(f.message, /names no TCP port of the selected containers \(Deployment "web"; they declare "http"\)/);
  const fixed = applyFix(text, fixTitled(f, 'Change targetPort to http'));
  assert.deepEqual(findings('service-target-port', fixed, others), []);
});

test('service-target-port: numbers no container declares are warnings; the default targetPort is the port', () => {
  const others = { 'file:///work/web.yaml': deploy('web', '{app: web}', '[{containerPort: 8080}, {containerPort: 53, protocol: UDP}]') };
  const text = svc('    app: web', '  - port: 80\n    targetPort: 9376\n  - port: 8080\n  - port: 81\n  - port: 53\n    protocol: UDP');
  const found = findings('service-target-port', text, others);
  assert.deepEqual(found.map((f) => slice(text, f.range)), ['9376', '81']);
  assert.ok(found.every((f) => f.severity === 'warning'));
  assert.match(found[1].message, /targetPort defaults to port 81/);
  // selecting nothing: left to service-selects-nothing
  assert.deepEqual(findings('service-target-port', svc('    app: nope', '  - port: 80'), others), []);
});

test('service-target-port: a quoted number is an invalid port name, fixed by unquoting', () => {
  const text = svc('    app: web', '  - port: 80\n    targetPort: "8080"');
  const [f] = findings('service-target-port', text);
  assert.equal(slice(text, f.range), '"8080"');
  assert.match(f.message, /spec\.ports\[0\]\.targetPort: Invalid value: "8080": must contain at least one letter \(a-z\)/);
  const fixed = applyFix(text, fixTitled(f, 'Change targetPort to 8080'));
  assert.equal((valueOf(fixed) as any).spec.ports[0].targetPort, 8080);
  assert.deepEqual(findings('service-target-port', fixed), []);
});

test('service-selects-nothing: workload-style matchLabels in a Service selector is flattened', () => {
  const text = svc('    matchLabels:\n      app: web\n      tier: fe', '  - port: 80');
  const [f] = findings('service-selects-nothing', text);
  assert.equal(slice(text, f.range), 'matchLabels');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /plain map of labels; `matchLabels` is workload \(Deployment\) syntax/);
  const fixed = applyFix(text, fixTitled(f, 'Use the labels as the Service selector'));
  assert.deepEqual((valueOf(fixed) as any).spec.selector, { app: 'web', tier: 'fe' });
  assert.deepEqual(findings('service-selects-nothing', fixed, { 'file:///w.yaml': deploy('web', '{app: web, tier: fe}') }), []);
});

test('service-selects-nothing: pods that match in another namespace are named; an unset namespace is left to kubectl apply -n', () => {
  const others = { 'file:///w.yaml': deploy('web', '{app: web}').replace('name: web', 'name: web\n  namespace: shop') };
  const [f] = findings('service-selects-nothing', svc('    app: web', '  - port: 80', 'prod'), others);
  assert.match(f.message, /Service "web" \(namespace "prod"\) selects app=web, which Deployment "web" in namespace "shop" carries: a Service selects only pods of its own namespace/);
  assert.equal(f.fixes, undefined, 'which namespace is wrong is the user\'s call');
  assert.deepEqual(findings('service-selects-nothing', svc('    app: web', '  - port: 80'), others), []);
});

// A NetworkPolicy port name resolves on the destination pods, the ones the policy selects
// (k8s.io/api networking/v1 types.go NetworkPolicyPort); the trial's L7.
test('network-policy-named-port: an ingress port name no selected pod declares, per protocol; numbers, egress and unselected pods say nothing', () => {
  const deployment = (ports: string) => `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n      - name: api\n        image: "example/api:1"\n        ports: ${ports}\n`;
  const policy = (ports: string, selector = '{matchLabels: {app: api}}') => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: ${selector}\n  ingress:\n  - ports: ${ports}\n`;
  const messages = (text: string) => findings('network-policy-named-port', text).map((f) => [slice(text, f.range), f.message]);
  const grpc = deployment('[{name: grpc, containerPort: 9090}, {name: dns, containerPort: 53, protocol: UDP}]');
  assert.deepEqual(messages(policy('[{port: grpc}]') + grpc), []);
  assert.deepEqual(messages(policy('[{port: grpc}]', '{}') + grpc), [], 'an empty selector selects the namespace\'s pods');
  assert.deepEqual(messages(policy('[{port: 9090}, {port: dns, protocol: UDP}]') + grpc), []);
  assert.deepEqual(messages(policy('[{port: web}]', '{matchLabels: {app: other}}') + grpc), [], 'no selected template: nothing to compare with');
  const [[at, typo]] = messages(policy('[{port: grcp}]') + grpc);
  assert.equal(at, 'grcp');
  assert.match(typo, /^port "grcp" names no TCP port of the pods this policy selects \(Deployment "api"; they declare "grpc"\): a named port is resolved on each selected pod, so this rule allows no traffic on it\.$/);
  const [[, protocol]] = messages(policy('[{port: dns}]') + grpc);
  assert.match(protocol, /they declare "dns" as UDP, and the rule's protocol is TCP \(the default\)/);
});

// Labels a controller or the API server adds to pods (the trial's U1): stateful_set_utils.go updateIdentity,
// batch/job strategy.go generateSelector, indexed_job_utils.go addCompletionIndexLabel.
test('selectors on the labels controllers add to pods: per-pod Services of a StatefulSet, an Indexed Job\'s headless Service; an ordinal past replicas still selects nothing', () => {
  const sts = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\nspec:\n  replicas: 3\n  serviceName: redis\n  selector: {matchLabels: {app: redis}}\n  template:\n    metadata: {labels: {app: redis}}\n    spec:\n      containers: [{name: r, image: "redis:7", ports: [{name: redis, containerPort: 6379}]}]\n';
  const service = (name: string, selector: string) => `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  selector: ${selector}\n  ports: [{port: 6379}]\n`;
  const nothing = (text: string) => findings('service-selects-nothing', text).map((f) => f.message.split(':')[0]);
  assert.deepEqual(nothing(sts + service('redis-announce-2', '{statefulset.kubernetes.io/pod-name: redis-2}')), []);
  assert.deepEqual(nothing(sts + service('redis-idx-1', '{app: redis, apps.kubernetes.io/pod-index: "1"}')), []);
  assert.deepEqual(nothing(sts + service('redis-hash', '{app: redis, controller-revision-hash: redis-5d4f}')), [], 'a hash kdry cannot know may match');
  assert.deepEqual(nothing(sts + service('redis-3', '{statefulset.kubernetes.io/pod-name: redis-3}')), ['Service "redis-3" selects statefulset.kubernetes.io/pod-name=redis-3, which no pod template in the workspace carries'], 'ordinals 0-2 only');
  assert.deepEqual(nothing(sts.replace('replicas: 3', 'replicas: 3\n  ordinals: {start: 5}') + service('redis-5', '{statefulset.kubernetes.io/pod-name: redis-5}')), [], 'ordinals.start moves them');
  const pdb = '---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: redis-0}\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: {statefulset.kubernetes.io/pod-name: redis-0}\n';
  assert.deepEqual(findings('selector-selects-nothing', sts + pdb), []);
  assert.equal(findings('selector-selects-nothing', sts + pdb.replace('pod-name: redis-0}', 'pod-name: redis-9}')).length, 1);

  const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: example-job\nspec:\n  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n  template:\n    spec:\n      restartPolicy: Never\n      subdomain: headless-svc\n      containers: [{name: c, image: "busybox:1.36"}]\n';
  assert.deepEqual(nothing(job + service('headless-svc', '{job-name: example-job}')), []);
  assert.deepEqual(nothing(job + service('idx-2', '{batch.kubernetes.io/job-name: example-job, batch.kubernetes.io/job-completion-index: "2"}')), []);
  assert.equal(nothing(job + service('other', '{job-name: other-job}')).length, 1);
  const manual = job.replace('  completions: 3\n', '  manualSelector: true\n  selector: {matchLabels: {run: x}}\n  completions: 3\n').replace('    spec:\n      restartPolicy', '    metadata: {labels: {run: x}}\n    spec:\n      restartPolicy');
  assert.equal(nothing(manual + service('headless-svc', '{job-name: example-job}')).length, 1, 'manualSelector: no generated job-name label');
});
