// The scope model (docs/scope.md): which objects see each other, by file, deployment unit
// (kustomization or chart), folder and workspace, and by namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { findingsIn, uri, workspaceOf } from './helpers';
import { placementOf, Ring, ringBetween } from '../../server/src/scope/scope';
import { unitIndex } from '../../server/src/scope/scope';

/** A pod owner of `kind` (the ReplicaSet's replicas default to 1, as the API server's would). */
const podOwner = (kind: string) => (name: string, labels: string, ports: string, extra = '') => `apiVersion: apps/v1
kind: ${kind}
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
      - name: ${name}
        image: "example/${name}:1.0"
        ports: ${ports}
${extra}`;
const deployment = podOwner('Deployment');
const replicaSet = podOwner('ReplicaSet');

const service = (name: string, selector: string, targetPort: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: ${selector}
  ports:
  - port: 80
    targetPort: ${targetPort}
`;

test('a Service is judged against the pods of its own folder, not a look-alike app elsewhere (real-repository case 1)', () => {
  const workspace = workspaceOf({
    'guestbook/frontend-service.yaml': service('frontend', '{app: guestbook, tier: frontend}', 'http-server'),
    'guestbook/frontend-rs.yaml': replicaSet('frontend', '{app: guestbook, tier: frontend}', '[{name: http, containerPort: 80}]'),
    // another example of the repository carries the same labels and the port name
    'guestbook-go/frontend.yaml': deployment('frontend', '{app: guestbook, tier: frontend}', '[{name: http-server, containerPort: 3000}]'),
  });
  const found = findingsIn(workspace, 'guestbook/frontend-service.yaml', 'service-target-port');
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0].text, 'http-server');
  assert.equal(found[0].severity, 'error', 'the defect is certain within the folder');
  assert.match(found[0].message, /ReplicaSet "frontend"/);
  assert.doesNotMatch(found[0].message, /Deployment/);
});

test('pods found only in another folder are named with their folder, and give a warning (real-repository case 2)', () => {
  const workspace = workspaceOf({
    'redis-example/redis-service.yaml': service('redis', '{app: redis}', 'redis-server'),
    'other-app/redis.yaml': deployment('redis', '{app: redis}', '[{containerPort: 6379}]'),
  });
  const found = findingsIn(workspace, 'redis-example/redis-service.yaml', 'service-target-port');
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /Deployment "redis" in `other-app\/`, a different folder/);
});

test('a ReplicationController in the same folder owns the pods a Service selects (real-repository case 2, fixed by scope)', () => {
  const rc = `apiVersion: v1
kind: ReplicationController
metadata:
  name: redis-master
spec:
  replicas: 1
  selector: {app: redis, role: master}
  template:
    metadata:
      labels: {app: redis, role: master}
    spec:
      containers:
      - name: master
        image: "redis:7"
        ports: [{name: redis-server, containerPort: 6379}]
`;
  const workspace = workspaceOf({
    'redis-example/redis-master-service.yaml': service('redis-master', '{app: redis, role: master}', 'redis-server'),
    'redis-example/redis-master-controller.yaml': rc,
    'other-app/redis.yaml': deployment('redis', '{app: redis, role: master}', '[{containerPort: 6379}]'),
  });
  assert.deepEqual(findingsIn(workspace, 'redis-example/redis-master-service.yaml', 'service-target-port'), []);
  assert.deepEqual(findingsIn(workspace, 'redis-example/redis-master-service.yaml', 'service-selects-nothing'), []);
});

test('the rings: file, kustomization unit (resources, bases, components, nested folders), folder, workspace', () => {
  const workspace = workspaceOf({
    'apps/web/base/kustomization.yaml': 'resources:\n- deployment.yaml\n- ../shared\ncomponents:\n- ../monitoring\n',
    'apps/web/monitoring/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [metrics.yaml]\n',
    'apps/web/monitoring/metrics.yaml': service('web-metrics', '{app: web}', '9090'),
    'apps/web/monitoring/unlisted.yaml': service('stray', '{app: web}', '9090'),
    'apps/web/base/deployment.yaml': deployment('web', '{app: web}', '[]'),
    'apps/web/shared/kustomization.yaml': 'resources: [service.yaml]\n',
    'apps/web/shared/service.yaml': service('web', '{app: web}', '80'),
    'apps/web/base/notes.yaml': deployment('other', '{app: other}', '[]'),
    'apps/api/deployment.yaml': deployment('api', '{app: api}', '[]'),
  });
  const place = (path: string) => {
    const file = workspace.get(uri(path))!;
    return placementOf(workspace, file.uri, file.documents[0]);
  };
  const web = place('apps/web/base/deployment.yaml');
  assert.equal(ringBetween(web, web), Ring.File);
  assert.equal(ringBetween(web, place('apps/web/shared/service.yaml')), Ring.Unit, 'a folder the kustomization names as a resource is in the unit');
  assert.equal(ringBetween(web, place('apps/web/monitoring/metrics.yaml')), Ring.Unit, 'a resource of a component the kustomization names is in the unit');
  assert.equal(ringBetween(web, place('apps/web/monitoring/unlisted.yaml')), Ring.Workspace, "a file of the component's folder it does not list is not");
  assert.equal(ringBetween(web, place('apps/web/base/notes.yaml')), Ring.Folder, 'same folder, not listed by the kustomization');
  assert.equal(ringBetween(web, place('apps/api/deployment.yaml')), Ring.Workspace);
});

test("a kustomization's namespace overrides metadata.namespace; a plain folder leaves it unknown", () => {
  const workspace = workspaceOf({
    'prod/kustomization.yaml': 'namespace: prod\nresources: [app.yaml]\n',
    'prod/app.yaml': deployment('web', '{app: web}', '[]').replace('  name: web\n', '  name: web\n  namespace: dev\n'),
    'plain/app.yaml': deployment('web', '{app: web}', '[]'),
  });
  const prod = workspace.get(uri('prod/app.yaml'))!;
  const p = placementOf(workspace, prod.uri, prod.documents[0]);
  assert.equal(p.namespace, 'prod');
  assert.equal(p.namespaceFrom, 'kustomization');
  const plain = workspace.get(uri('plain/app.yaml'))!;
  assert.equal(placementOf(workspace, plain.uri, plain.documents[0]).namespaceFrom, 'unknown');
});

test('a Helm chart folder is one unit; units are rebuilt when a kustomization changes, not on every edit', () => {
  const workspace = workspaceOf({
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    'charts/web/crds/thing.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    'charts/web/examples/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
  });
  const a = workspace.get(uri('charts/web/crds/thing.yaml'))!;
  const b = workspace.get(uri('charts/web/examples/x.yaml'))!;
  assert.equal(ringBetween(placementOf(workspace, a.uri, a.documents[0]), placementOf(workspace, b.uri, b.documents[0])), Ring.Unit);
  const before = unitIndex(workspace);
  workspace.set(parseManifest('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a2\n', a.uri));
  assert.equal(unitIndex(workspace), before, 'an edit of a manifest keeps the units');
  workspace.set(parseManifest('resources: [thing.yaml]\n', uri('charts/web/crds/kustomization.yaml')));
  assert.notEqual(unitIndex(workspace), before, 'a new kustomization rebuilds them');
});
