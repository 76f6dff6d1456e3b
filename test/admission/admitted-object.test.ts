// What a ValidatingAdmissionPolicy reads on CREATE, as the API server builds it, not the manifest as written:
// - `object` is decoded with the release's defaults (pkg/apis/*/v1/defaults.go SetDefaults_*; a custom
//   resource's structural defaults) and the namespace of the request (handlers/create.go,
//   rest.EnsureObjectNamespaceMatchesRequestNamespace); uid, creationTimestamp and generation are set
//   by rest.BeforeCreate before validating admission (registry/generic/registry/store.go Create);
// - `request` is cel/condition.go CreateAdmissionRequest as runtime.DefaultUnstructuredConverter
//   serialises it: requestKind/requestResource, CreateOptions, no empty omitempty field; userInfo only
//   the cluster knows;
// - a namespaceSelector on a namespaced object without a namespace needs kubectl's context namespace
//   (predicates/namespace/matcher.go MatchNamespaceSelector skips the selector only for cluster-scoped kinds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings } from '../rules/helpers';
import { checkFile } from '../../server/src/check';
import { parseManifest } from '../../server/src/manifest';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { WorkspaceIndex } from '../../server/src/workspace';

function policy(expression: string, opts: { resources?: string; group?: string; extra?: string } = {}): string {
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: demo-policy.example.com
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - { apiGroups: ["${opts.group ?? 'apps'}"], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ${opts.resources ?? '["deployments"]'} }
${opts.extra ?? ''}  validations:
    - expression: ${JSON.stringify(expression)}
`;
}

const BINDING = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: demo-binding
spec:
  policyName: demo-policy.example.com
  validationActions: [Deny]
`;

const deployment = (namespace?: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: "nginx:1.27" }]
`;

function check(doc: string, vap: string, others: Record<string, string> = {}): [string, string][] {
  return findings('admission-policy', doc, { 'file:///work/p/vap.yaml': vap, 'file:///work/p/b.yaml': BINDING, ...others }).map((f): [string, string] => [f.severity ?? '', f.message]);
}

const DENIED = "The API server refuses this object: ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding' denied request: ";

test("the Kubernetes docs' example policy on a Deployment without replicas: the API server defaults replicas to 1, so it holds", () => {
  for (const holds of ['object.spec.replicas <= 5', "object.spec.strategy.type == 'RollingUpdate'", "object.spec.strategy.rollingUpdate.maxSurge == '25%'", "object.spec.template.spec.containers.all(c, c.imagePullPolicy == 'IfNotPresent' && has(c.resources))", 'object.spec.template.spec.terminationGracePeriodSeconds == 30']) {
    assert.deepEqual(check(deployment('team'), policy(holds)), [], holds);
  }
  assert.deepEqual(check(deployment('team'), policy('object.spec.replicas > 1')), [['error', `${DENIED}failed expression: object.spec.replicas > 1`]]);
});

test("a custom resource gets its CRD's structural defaults", () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets, singular: widget, listKind: WidgetList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: string, default: small }
`;
  const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w, namespace: team }\nspec: {}\n';
  const vap = policy("object.spec.size == 'small'", { group: 'example.com', resources: '["widgets"]' });
  assert.deepEqual(check(widget, vap, { 'file:///work/crds/widgets.yaml': crd }), []);
});

test('a kind kdry does not model: a field the document leaves out is noted (the API server may default it), not an error', () => {
  const doc = 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: { name: g, namespace: team }\nspec: {}\n';
  const [only, ...rest] = check(doc, policy('object.spec.size == 1', { group: 'example.com', resources: '["gadgets"]' }));
  assert.deepEqual(rest, []);
  assert.equal(only[0], 'info');
  assert.match(only[1], /reads `size`, which the document leaves out and the API server may default for a Gadget/);
});

test('request: requestKind and requestResource as kind and resource, CreateOptions, no empty omitempty field; userInfo unknown', () => {
  for (const holds of [
    "request.requestKind == request.kind && request.requestResource.resource == 'deployments'",
    "request.options.kind == 'CreateOptions' && request.options.apiVersion == 'meta.k8s.io/v1'",
    "!has(request.subResource) && !has(request.requestSubResource) && request.namespace == 'team' && request.name == 'web'",
    "request.operation == 'CREATE' && request.dryRun == false",
  ]) {
    assert.deepEqual(check(deployment('team'), policy(holds)), [], holds);
  }
  // runtime.DefaultUnstructuredConverter leaves the empty subResource out: cel-go's "no such key", as in the cluster.
  assert.deepEqual(check(deployment('team'), policy("request.subResource == ''")), [['error', `${DENIED}expression 'request.subResource == ''' resulted in error: no such key: subResource`]]);
  for (const unknown of ["request.userInfo.username != 'x'", "request.options.fieldManager == 'kubectl'"]) {
    const [[severity, message], ...rest] = check(deployment('team'), policy(unknown));
    assert.deepEqual([severity, rest], ['info', []], unknown);
    assert.match(message, /kdry did not evaluate ValidatingAdmissionPolicy/);
  }
  // compile.go BuildRequestType declares no uid: the API server refuses the policy, which then judges nothing.
  assert.deepEqual(check(deployment('team'), policy("request.uid != ''")), []);
  // Only one side unknown, the other settles it.
  assert.deepEqual(check(deployment('team'), policy("request.userInfo.username == 'x' || true")), []);
});

test('the metadata the API server sets on create is unknown: uid, creationTimestamp; generation where kdry does not know the strategy', () => {
  const role = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n  namespace: team\nrules: []\n';
  const [[severity, message]] = check(role, policy('has(object.metadata.generation)', { resources: '["roles"]', group: 'rbac.authorization.k8s.io' }));
  assert.equal(severity, 'info');
  assert.match(message, /object\.metadata\.generation, which the API server sets/);
  for (const field of ['uid', 'creationTimestamp']) {
    const [[severity, message]] = check(deployment('team'), policy(`has(object.metadata.${field})`));
    assert.equal(severity, 'info');
    assert.match(message, new RegExp(`object\\.metadata\\.${field}, which the API server sets`));
  }
});

test('a namespaced document without a namespace: the request namespace is unknown, in object, request and the namespaceSelector', () => {
  for (const reads of ["object.metadata.namespace != 'kube-system'", "request.namespace.startsWith('team-')"]) {
    const [[severity, message], ...rest] = check(deployment(), policy(reads));
    assert.deepEqual([severity, rest], ['info', []], reads);
    assert.match(message, /names none \(kubectl applies it in the namespace of its context\)/);
  }
  const selected = policy('false', { extra: '    namespaceSelector:\n      matchLabels: { env: prod }\n' });
  const [[severity, message], ...rest] = check(deployment(), selected);
  assert.deepEqual([severity, rest], ['info', []]);
  assert.match(message, /its namespaceSelector needs the labels of the namespace, and the document names none/);
  // With the namespace written, the object carries it and the selector reads the workspace's Namespace.
  assert.deepEqual(check(deployment('team'), policy("object.metadata.namespace == 'team'")), []);
  const prod = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels: { env: prod }\n';
  assert.deepEqual(check(deployment('team'), selected, { 'file:///work/ns.yaml': prod }), [['error', `${DENIED}failed expression: false`]]);
});

test('a cluster-scoped object: no namespace in the request or the object, and a namespaceSelector does not apply', () => {
  const role = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n  namespace: stray\nrules: []\n';
  const vap = (e: string, extra = '') => policy(e, { group: 'rbac.authorization.k8s.io', resources: '["clusterroles"]', extra });
  assert.deepEqual(check(role, vap('!has(object.metadata.namespace) && !has(request.namespace)')), []);
  assert.deepEqual(check(role, vap('false', '    namespaceSelector:\n      matchLabels: { env: prod }\n')), [['error', `${DENIED}failed expression: false`]]);
});

test('a target release kdry does not bundle (1.28, 1.36, 1.37): the object is defaulted with the stand-in schemas and judged', () => {
  const workspace = new WorkspaceIndex();
  const file = parseManifest(deployment('team'), 'file:///work/test.yaml');
  workspace.set(file);
  workspace.set(parseManifest(policy('object.spec.replicas > 1'), 'file:///work/p/vap.yaml'));
  workspace.set(parseManifest(BINDING, 'file:///work/p/b.yaml'));
  for (const kubernetesVersion of ['1.28', '1.36', '1.37']) {
    const out = checkFile(file, workspace, { ...DEFAULT_SETTINGS, kubernetesVersion }).filter((f) => f.ruleId === 'admission-policy' || f.ruleId === 'kdry-internal');
    assert.deepEqual(out.map((f) => [f.severity, f.message]), [['error', `${DENIED}failed expression: object.spec.replicas > 1`]], kubernetesVersion);
  }
});

test('an unknown entry met inside a macro is noted, not denied: cel-es merges the loop errors (celErrorMerge) and the unknown is found behind the first', () => {
  // Both uid and creationTimestamp are unknown: `all` meets two errors and merges them.
  const [[severity, message], ...rest] = check(deployment('team'), policy("object.metadata.all(k, object.metadata[k] != '')"));
  assert.deepEqual([severity, rest], ['info', []]);
  assert.match(message, /which the API server sets when it creates the object/);
});

test("an objectSelector is matched against the admitted object's labels (predicates/object/matcher.go MatchObjectSelector reads attr.GetObject()): a Job or ReplicationController without labels gets its template's", () => {
  const job = 'apiVersion: batch/v1\nkind: Job\nmetadata: { name: j, namespace: team }\nspec:\n  template:\n    metadata: { labels: { tier: batch } }\n    spec:\n      restartPolicy: Never\n      containers: [{ name: j, image: "busybox:1" }]\n';
  const selector = (tier: string) => `    objectSelector:\n      matchLabels: { tier: ${tier} }\n`;
  assert.deepEqual(check(job, policy('false', { group: 'batch', resources: '["jobs"]', extra: selector('batch') })), [['error', `${DENIED}failed expression: false`]], 'SetDefaults_Job copies the template labels');
  assert.deepEqual(check(job, policy('false', { group: 'batch', resources: '["jobs"]', extra: selector('web') })), []);
  const rc = 'apiVersion: v1\nkind: ReplicationController\nmetadata: { name: r, namespace: team }\nspec:\n  template:\n    metadata: { labels: { tier: batch } }\n    spec:\n      containers: [{ name: r, image: "busybox:1" }]\n';
  assert.deepEqual(check(rc, policy('false', { group: '', resources: '["replicationcontrollers"]', extra: selector('batch') })), [['error', `${DENIED}failed expression: false`]], 'SetDefaults_ReplicationController');
});

test('object as CEL reads it (runtime.DefaultUnstructuredConverter.ToUnstructured): canonical quantities, no empty omitempty maps', () => {
  const limited = (cpu: string) => deployment('team').replace('image: "nginx:1.27" }', `image: "nginx:1.27", resources: { limits: { cpu: ${cpu} } } }`);
  // cpu: 1 is the quantity "1", not an int that quantity() has no overload for.
  assert.deepEqual(check(limited('1'), policy("object.spec.template.spec.containers.all(c, quantity(c.resources.limits.cpu).compareTo(quantity('2')) <= 0)")), []);
  assert.deepEqual(check(limited('"0.5"'), policy("object.spec.template.spec.containers.all(c, c.resources.limits.cpu == '500m')")), []);
  // SetDefaults_ConfigMap's empty data, and a written empty labels map, are left out.
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: team, labels: {} }\n';
  assert.deepEqual(check(configMap, policy('has(object.data) || has(object.binaryData) || has(object.metadata.labels)', { group: '', resources: '["configmaps"]' })), [['error', `${DENIED}failed expression: has(object.data) || has(object.binaryData) || has(object.metadata.labels)`]]);
});

test('a Namespace as admitted: SetDefaults_Namespace labels it with its name, PrepareForCreate makes it Active with the kubernetes finalizer', () => {
  const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: team }\n';
  const vap = (expression: string) => policy(expression, { group: '', resources: '["namespaces"]' });
  assert.deepEqual(check(namespace, vap('!has(object.metadata.labels)')), [['error', `${DENIED}failed expression: !has(object.metadata.labels)`]]);
  assert.deepEqual(check(namespace, vap("object.metadata.labels['kubernetes.io/metadata.name'] == 'team' && object.status.phase == 'Active' && object.spec.finalizers == ['kubernetes']")), []);
});

test('a Job reads manualSelector false (SetDefaults_Job since PR #120206)', () => {
  const job = 'apiVersion: batch/v1\nkind: Job\nmetadata: { name: j, namespace: team }\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{ name: j, image: "busybox:1" }]\n';
  assert.deepEqual(check(job, policy('object.spec.manualSelector == false', { group: 'batch', resources: '["jobs"]' })), []);
});

test('a written zero of an omitempty field is not there for has() (converter.go structToUnstructured)', () => {
  const zero = deployment('team').replace('spec:\n', 'spec:\n  minReadySeconds: 0\n');
  assert.deepEqual(check(zero, policy('!has(object.spec.minReadySeconds) || object.spec.minReadySeconds >= 10')), []);
});
