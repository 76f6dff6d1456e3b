import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { applyFix, findings, fixTitled, slice, valueOf } from './helpers';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../server/src/k8s/validation';
import { imageTag } from '../../server/src/k8s/image-reference';
import { fixesOf } from '../../server/src/findings';

test('apimachinery validators: limits, regexes and messages', () => {
  assert.deepEqual(isDNS1123Subdomain('my.app-1'), []);
  assert.deepEqual(isDNS1123Subdomain('My_App'), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.deepEqual(isQualifiedName('app.kubernetes.io/name'), []);
  assert.deepEqual(isQualifiedName('x'.repeat(63)), []);
  assert.deepEqual(isQualifiedName('x'.repeat(64)), ['name part must be no more than 63 characters']);
  assert.deepEqual(isQualifiedName('/name'), ['prefix part must be non-empty']);
  assert.match(isQualifiedName('Example.com/tier')[0], /^prefix part a lowercase RFC 1123 subdomain/);
  assert.match(isQualifiedName('a/b/c')[0], /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  assert.deepEqual(isValidLabelValue(''), []);
  assert.match(isValidLabelValue('-x')[0], /^a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '\.', and must start and end with an alphanumeric character \(e\.g\. 'MyValue', or 'my_value', or '12345', regex used/);
});

test('invalid-name: object, container and port names, with the nearest valid name as fix', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: My_App
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: Web.Server
        image: "nginx:1.27"
        ports: [{name: http_port, containerPort: 80}, {name: "8080", containerPort: 8080}]
`;
  const found = findings('invalid-name', text);
  assert.deepEqual(found.map((f) => slice(text, f.range)), ['My_App', 'Web.Server', 'http_port', '"8080"']);
  assert.match(found[0].message, /`metadata\.name: Invalid value: "My_App": a lowercase RFC 1123 subdomain must consist of/);
  assert.match(found[1].message, /spec\.template\.spec\.containers\[0\]\.name: Invalid value: "Web\.Server": a lowercase RFC 1123 label/);
  assert.match(found[3].message, /must contain at least one letter \(a-z\)/);
  assert.equal(found[3].fixes, undefined, 'no letter to build a port name from');
  let fixed = text;
  for (const title of ['Rename to my-app']) fixed = applyFix(fixed, fixTitled(findings('invalid-name', fixed)[0], title));
  assert.equal((valueOf(fixed) as any).metadata.name, 'my-app');
  fixed = applyFix(fixed, fixTitled(findings('invalid-name', fixed)[0], 'Rename to web-server'));
  fixed = applyFix(fixed, fixTitled(findings('invalid-name', fixed)[0], 'Rename to http-port'));
  assert.equal(findings('invalid-name', fixed).length, 1);
});


test('invalid-name: every kind with its own validator; custom resources are subdomains; RBAC names are path segments (found by a user trial)', () => {
  const object = (apiVersion: string, kind: string, name: string, ns = '') => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}`;
  const rejected = (text: string) => findings('invalid-name', text).map((f) => slice(text, f.range));
  // ValidateNamespaceName: a DNS label, so no dots either
  assert.deepEqual(rejected(object('v1', 'Namespace', 'team.a')), ['team.a']);
  assert.deepEqual(rejected(object('v1', 'Namespace', 'team-a')), []);
  for (const [apiVersion, kind] of [['v1', 'ConfigMap'], ['v1', 'Secret'], ['networking.k8s.io/v1', 'Ingress'], ['policy/v1', 'PodDisruptionBudget'], ['autoscaling/v2', 'HorizontalPodAutoscaler'], ['example.com/v1', 'Widget'], ['gateway.networking.k8s.io/v1', 'HTTPRoute']]) {
    assert.deepEqual(rejected(object(apiVersion, kind, 'Db_Creds')), ['Db_Creds'], kind);
    assert.deepEqual(rejected(object(apiVersion, kind, 'db.creds')), [], kind);
  }
  const [f] = findings('invalid-name', object('example.com/v1', 'Widget', 'My_Widget'));
  assert.match(f.message, /^The API server rejects this Widget: `metadata.name: Invalid value: "My_Widget": a lowercase RFC 1123 subdomain/);
  assert.deepEqual(fixesOf(f).map((x) => x.title), ['Rename to my-widget']);
  // rbac ValidateRBACName: path.IsValidPathSegmentName
  assert.deepEqual(rejected(object('rbac.authorization.k8s.io/v1', 'ClusterRole', 'system:aggregate-to-view')), []);
  const [rbac] = findings('invalid-name', object('rbac.authorization.k8s.io/v1', 'Role', 'team/reader', 'shop'));
  assert.match(rbac.message, /`metadata.name: Invalid value: "team\/reader": may not contain '\/'`/);
  // metadata.namespace of a namespaced object is a DNS label; a cluster-scoped object's is left out by kubectl
  assert.deepEqual(rejected(object('networking.k8s.io/v1', 'Ingress', 'web', 'Team_A')), ['Team_A']);
  assert.deepEqual(rejected(object('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader', 'Team_A')), []);
  // a built-in group's kind whose validator kdry does not know is not judged
  assert.deepEqual(rejected(object('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', 'Odd_Name')), []);
});
test('invalid-name: Services are DNS-1035 labels, CronJobs at most 52 characters', () => {
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\nspec:\n  ports: [{port: 80}]\n';
  const [s] = findings('invalid-name', svc);
  assert.match(s.message, /a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/);
  const long = 'a'.repeat(53);
  const cron = `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${long}\nspec:\n  schedule: "@daily"\n  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}\n`;
  const [c] = findings('invalid-name', cron);
  assert.match(c.message, /must be no more than 52 characters/);
  assert.equal((valueOf(applyFix(cron, fixesOf(c)[0])) as any).metadata.name.length, 52);
  assert.deepEqual(findings('invalid-name', cron.replace(long, 'a'.repeat(52))), []);
});

test('invalid-label: keys on the key, values on the value, selectors included', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app name: web
spec:
  selector:
    matchLabels:
      tier: front end
    matchExpressions:
    - {key: Example.com/x, operator: Exists}
  template:
    metadata:
      labels:
        tier: front end
        version: ${'v'.repeat(64)}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
`;
  const found = findings('invalid-label', text);
  assert.deepEqual(found.map((f) => slice(text, f.range)), ['app name', 'front end', 'v'.repeat(64), 'front end', 'Example.com/x']);
  assert.equal(found[0].range[0], text.indexOf('app name'));
  assert.match(found[0].message, /`metadata\.labels: Invalid value: "app name": name part must consist of alphanumeric characters/);
  assert.match(found[2].message, /must be no more than 63 characters/);
  assert.match(found[4].message, /matchExpressions\[0\]\.key: Invalid value: "Example\.com\/x": prefix part/);
});

test('removed-api-version: the preferred fix moves to apps/v1 and adds the selector apps/v1 requires', () => {
  const text = `apiVersion: extensions/v1beta1
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
`;
  const [f] = findings('removed-api-version', text);
  assert.equal(slice(text, f.range), 'extensions/v1beta1');
  assert.match(f.message, /removed in Kubernetes 1\.16.*no matches for kind "Deployment" in version "extensions\/v1beta1".*requires spec\.selector/);
  const fix = fixesOf(f)[0];
  assert.equal(fix.preferred, true);
  const fixed = applyFix(text, fix);
  const v = valueOf(fixed) as any;
  assert.equal(v.apiVersion, 'apps/v1');
  assert.deepEqual(v.spec.selector, { matchLabels: { app: 'web' } });
  assert.deepEqual(findings('removed-api-version', fixed), []);
  assert.deepEqual(findings('selector-mismatch', fixed), []);

  const cron = 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "@daily"\n';
  const [c] = findings('removed-api-version', cron);
  assert.match(c.message, /removed in Kubernetes 1\.25/);
  assert.equal((valueOf(applyFix(cron, fixesOf(c)[0])) as any).apiVersion, 'batch/v1');
  assert.deepEqual(findings('removed-api-version', 'apiVersion: apps/v1beta1\nkind: ControllerRevision\nmetadata:\n  name: x\n'), []);
});

test('image-latest-tag: registry ports are not tags; digests are pinned', () => {
  assert.equal(imageTag('registry.local:5000/app'), undefined);
  assert.equal(imageTag('registry.local:5000/app:1.2'), '1.2');
  assert.equal(imageTag('nginx@sha256:abc'), '@digest');
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: busybox\n  - name: b\n    image: nginx:latest\n  - name: c\n    image: nginx:1.27\n';
  const found = findings('image-latest-tag', text);
  assert.deepEqual(found.map((f) => slice(text, f.range)), ['busybox', 'nginx:latest']);
});

test('the seed manifests, original and corrected: no name, label or version findings', () => {
  for (const dir of ['examples/original', 'examples/corrected'])
    for (const f of readdirSync(dir)) {
      const text = readFileSync(`${dir}/${f}`, 'utf8');
      for (const id of ['invalid-name', 'invalid-label', 'removed-api-version', 'duplicate-container-name', 'duplicate-port-name', 'min-ready-seconds-deadline', 'rolling-update-params'])
        assert.deepEqual(findings(id, text), [], `${id} on ${dir}/${f}`);
    }
});

test('invalid-name: a StatefulSet name is a DNS label (no dots), unlike a Deployment name', () => {
  const sts = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db.primary\nspec:\n  serviceName: db\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers: [{name: db, image: "postgres:16"}]\n';
  const [f] = findings('invalid-name', sts);
  assert.match(f.message, /a lowercase RFC 1123 label must consist of/);
  assert.equal((valueOf(applyFix(sts, fixTitled(f, 'Rename to db-primary'))) as any).metadata.name, 'db-primary');
  assert.deepEqual(findings('invalid-name', sts.replace('kind: StatefulSet', 'kind: Deployment').replace('  serviceName: db\n', '')), []);
});

test('invalid-name: a Job name longer than 63 characters cannot be a label value', () => {
  const job = (n: string) => `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${n}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n`;
  const [f] = findings('invalid-name', job('j'.repeat(64)));
  assert.match(f.message, /must be no more than 63 characters \(it is the value of the pods' batch\.kubernetes\.io\/job-name label\)/);
  assert.deepEqual(findings('invalid-name', job('j'.repeat(63))), []);
});
