// The links of issue #12 as an editor follows them over stdio, beyond navigation.test.ts: go to
// definition from a claim, an Ingress backend and an autoscaler's target; find references from an
// object's name; rename of a label key within the scope (a look-alike app in another folder keeps
// its labels) and of an object name, each result checked clean by the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, Location, Position, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { inEditor } from '../scope/helpers';
import { applyEdits, type LspClient } from './lsp-client';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: "nginx:1.27"
        ports: [{name: http, containerPort: 8080}]
        resources: {requests: {cpu: 100m}}
        envFrom:
        - configMapRef: {name: web-config}
        volumeMounts: [{name: data, mountPath: /data}]
      volumes:
      - name: data
        persistentVolumeClaim: {claimName: web-data}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web-svc
spec:
  selector:
    app: web
  ports:
  - {name: http, port: 80, targetPort: http}
`;

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: web-svc, port: {name: http}}
`;

const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
`;

const PVC = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: web-data
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`;

const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  LOG_LEVEL: info
`;

const APP = { 'app/deployment.yaml': DEPLOYMENT, 'app/service.yaml': SERVICE, 'app/ingress.yaml': INGRESS, 'app/hpa.yaml': HPA, 'app/pvc.yaml': PVC, 'app/config.yaml': CONFIG };

/** The position of the `nth` occurrence of `needle` in `text`, plus `shift` characters. */
function positionOf(text: string, needle: string, nth = 1, shift = 0): Position {
  let at = -1;
  for (let i = 0; i < nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} is in the text`);
  const before = text.slice(0, at + shift);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

const definition = (client: LspClient, uri: string, position: Position) => client.connection.sendRequest<Location[]>('textDocument/definition', { textDocument: { uri }, position });
const referencesOf = (client: LspClient, uri: string, position: Position) => client.connection.sendRequest<Location[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: false } });
const renameAt = (client: LspClient, uri: string, position: Position, newName: string) => client.connection.sendRequest<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName });
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.code}: ${d.message}`);

const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web-pdb
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: web}
`;

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-ingress
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: [Ingress]
`;

test("F12 from a claimName, an Ingress backend and an HPA target lands on the object's name; find references from an object's name lists what names it and, for a workload, what selects its pods", async () => {
  // A look-alike app in another folder has the same labels and names: its Service selects its own Deployment, not this one.
  const files = { ...APP, 'app/pdb.yaml': PDB, 'app/policy.yaml': POLICY, 'other/deployment.yaml': DEPLOYMENT, 'other/service.yaml': SERVICE, 'other/config.yaml': CONFIG };
  await inEditor(files, async (client, uriOf) => {
    const at = (path: string, text: string, needle: string) => definition(client, uriOf(path), positionOf(text, needle, 1, needle.length - 2));
    const nameOf = (path: string, text: string, name: string) => [uriOf(path), positionOf(text, `name: ${name}`, 1, 6)];
    const where = (found: Location[]) => found.map((l) => [l.uri, l.range.start]);
    assert.deepEqual(where(await at('app/deployment.yaml', DEPLOYMENT, 'claimName: web-data')), [nameOf('app/pvc.yaml', PVC, 'web-data')]);
    assert.deepEqual(where(await at('app/ingress.yaml', INGRESS, 'name: web-svc')), [nameOf('app/service.yaml', SERVICE, 'web-svc')]);
    assert.deepEqual(where(await at('app/hpa.yaml', HPA, 'name: web}')), [nameOf('app/deployment.yaml', DEPLOYMENT, 'web')]);

    const toService = await referencesOf(client, uriOf('app/service.yaml'), positionOf(SERVICE, 'name: web-svc', 1, 8));
    assert.deepEqual(where(toService), [[uriOf('app/ingress.yaml'), positionOf(INGRESS, 'web-svc')]]);
    const toDeployment = await referencesOf(client, uriOf('app/deployment.yaml'), positionOf(DEPLOYMENT, 'name: web', 1, 7));
    const selectorAt = (path: string, text: string, key: string) => [uriOf(path), positionOf(text, `${key}:`)];
    assert.deepEqual(
      where(toDeployment).map((l) => JSON.stringify(l)).sort(),
      [
        [uriOf('app/hpa.yaml'), positionOf(HPA, 'name: web}', 1, 6)],
        selectorAt('app/service.yaml', SERVICE, 'selector'),
        selectorAt('app/pdb.yaml', PDB, 'selector'),
        selectorAt('app/policy.yaml', POLICY, 'podSelector'),
      ].map((l) => JSON.stringify(l)).sort(),
    );
    // A workload's labels lead to the same selectors, without the HPA (it names, it does not select).
    const toLabels = await referencesOf(client, uriOf('app/deployment.yaml'), positionOf(DEPLOYMENT, 'app: web', 2, 1));
    assert.equal(toLabels.length, 3);
    const toConfig = await referencesOf(client, uriOf('app/config.yaml'), positionOf(CONFIG, 'web-config', 1, 3));
    assert.deepEqual(where(toConfig), [[uriOf('app/deployment.yaml'), positionOf(DEPLOYMENT, 'web-config')]]);
  });
});

test('rename of a label key changes the selectors and templates in scope, leaves the look-alike app in another folder alone, and the result checks clean', async () => {
  // Another folder holds a copy of the app: same labels, same names.
  const files = { ...APP, 'other/deployment.yaml': DEPLOYMENT, 'other/service.yaml': SERVICE, 'other/config.yaml': CONFIG };
  await inEditor(files, async (client, uriOf) => {
    const edit = await renameAt(client, uriOf('app/deployment.yaml'), positionOf(DEPLOYMENT, 'app: web', 2, 1), 'component');
    const changes = edit.changes!;
    assert.deepEqual(Object.keys(changes).sort(), [uriOf('app/deployment.yaml'), uriOf('app/service.yaml')].sort(), 'nothing in other/');
    const deployment = applyEdits(DEPLOYMENT, changes[uriOf('app/deployment.yaml')]);
    const service = applyEdits(SERVICE, changes[uriOf('app/service.yaml')]);
    assert.match(deployment, /matchLabels:\n      component: web\n/);
    assert.match(deployment, /labels:\n        component: web\n/);
    assert.match(service, /selector:\n    component: web\n/);
    await client.change(uriOf('app/deployment.yaml'), deployment);
    assert.deepEqual(codes(await client.change(uriOf('app/service.yaml'), service)), [], 'the Service still selects the pods and their port');
    assert.deepEqual(codes(await client.change(uriOf('app/deployment.yaml'), deployment)), []);
  });
});

test('rename of an object name changes every reference in scope, not the same name in another folder; the result checks clean', async () => {
  const files = { ...APP, 'other/deployment.yaml': DEPLOYMENT, 'other/config.yaml': CONFIG };
  await inEditor(files, async (client, uriOf) => {
    const edit = await renameAt(client, uriOf('app/service.yaml'), positionOf(SERVICE, 'web-svc', 1, 2), 'frontend');
    const changes = edit.changes!;
    assert.deepEqual(Object.keys(changes).sort(), [uriOf('app/ingress.yaml'), uriOf('app/service.yaml')].sort());
    const service = applyEdits(SERVICE, changes[uriOf('app/service.yaml')]);
    const ingress = applyEdits(INGRESS, changes[uriOf('app/ingress.yaml')]);
    assert.match(ingress, /service: \{name: frontend, port: \{name: http\}\}/);
    await client.change(uriOf('app/service.yaml'), service);
    assert.deepEqual(codes(await client.change(uriOf('app/ingress.yaml'), ingress)), [], 'the backend resolves, its port too');

    const config = await renameAt(client, uriOf('app/config.yaml'), positionOf(CONFIG, 'web-config', 1, 2), 'web-settings');
    assert.deepEqual(Object.keys(config.changes!).sort(), [uriOf('app/config.yaml'), uriOf('app/deployment.yaml')].sort(), 'other/ names its own web-config');
    await client.change(uriOf('app/config.yaml'), applyEdits(CONFIG, config.changes![uriOf('app/config.yaml')]));
    assert.deepEqual(codes(await client.change(uriOf('app/deployment.yaml'), applyEdits(DEPLOYMENT, config.changes![uriOf('app/deployment.yaml')]))), []);
  });
});

test('hover on a reference a Helm chart template may create says kdry cannot resolve the templated names, and lists them', async () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: "nginx:1.27"\n    envFrom:\n    - configMapRef: {name: web-config}\n';
  const files = {
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    'charts/web/templates/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "web.fullname" . }}-config\ndata:\n  LOG_LEVEL: info\n',
    'charts/web/templates/pod.yaml': pod,
  };
  await inEditor(files, async (client, uriOf) => {
    const hover = await client.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uriOf('charts/web/templates/pod.yaml') }, position: positionOf(pod, 'web-config', 1, 2) });
    assert.match(hover?.contents.value ?? '', /\*\*ConfigMap `web-config` is not in scope\.\*\* The chart's templates name a ConfigMap with template actions \(`\{\{ include "web\.fullname" \. \}\}-config` in `templates\/configmap\.yaml`\), which kdry cannot resolve without rendering the chart/);
  });
});

test('hover on a schedulerName names the profile that declares it, or says the pods stay Pending with no event; a declared one is a document link to the profile', async () => {
  const podWith = (scheduler: string, extra = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  schedulerName: ${scheduler}\n${extra}  containers:\n  - name: web\n    image: "nginx:1.27"\n`;
  // As Kubernetes' "Configure Multiple Schedulers" task deploys one: the configuration is a ConfigMap's text.
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: my-scheduler-config, namespace: kube-system}\ndata:\n  my-scheduler-config.yaml: |\n    apiVersion: kubescheduler.config.k8s.io/v1\n    kind: KubeSchedulerConfiguration\n    profiles:\n    - schedulerName: my-scheduler\n';
  const config = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: no-scoring\n';
  const files = {
    'platform/scheduler.yaml': configMap,
    'sched/config.yaml': config,
    'app/mine.yaml': podWith('my-scheduler'),
    'app/profile.yaml': podWith('no-scoring'),
    'app/typo.yaml': podWith('my-schedular'),
    'app/bound.yaml': podWith('my-schedular', '  nodeName: node-1\n'),
  };
  await inEditor(files, async (client, uriOf) => {
    const hoverOn = async (path: string, scheduler: string) => {
      const hover = await client.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uriOf(path) }, position: positionOf(files[path as keyof typeof files], `schedulerName: ${scheduler}`, 1, 16) });
      return hover?.contents.value ?? '';
    };
    assert.match(await hoverOn('app/mine.yaml', 'my-scheduler'), /\*\*Scheduler `my-scheduler`\*\*: a KubeSchedulerConfiguration profile declares it in `scheduler\.yaml` \(ConfigMap `my-scheduler-config`, key `my-scheduler-config\.yaml`\)\. F12 goes there\./);
    assert.match(await hoverOn('app/profile.yaml', 'no-scoring'), /\*\*Scheduler `no-scoring`\*\*: a KubeSchedulerConfiguration profile declares it in `config\.yaml`\. F12 goes there\./);
    const typo = await hoverOn('app/typo.yaml', 'my-schedular');
    assert.match(typo, /\*\*Scheduler `my-schedular`: no KubeSchedulerConfiguration profile in the workspace declares it\.\*\* Unless a scheduler of that name runs in the cluster, no scheduler takes these pods: they stay Pending and no event says why\./);
    assert.match(await hoverOn('app/bound.yaml', 'my-schedular'), /`nodeName` is set, so the pod is bound to that node and no scheduler takes it/);

    const linksIn = (path: string) => client.connection.sendRequest<{ range: { start: Position }; target?: string }[]>('textDocument/documentLink', { textDocument: { uri: uriOf(path) } });
    const mine = await linksIn('app/mine.yaml');
    assert.deepEqual(mine.map((l) => l.range.start), [positionOf(podWith('my-scheduler'), 'my-scheduler')]);
    assert.ok(mine[0].target?.startsWith(uriOf('platform/scheduler.yaml')), mine[0].target);
    assert.ok((await linksIn('app/profile.yaml'))[0].target?.startsWith(uriOf('sched/config.yaml')));
    assert.deepEqual(await linksIn('app/typo.yaml'), []);
  });
});

test("a chart template's references named by template actions: a CodeLens counts them, the hover says kdry cannot resolve them and never guesses; a literal one resolves as written", async () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
spec:
  template:
    spec:
      serviceAccountName: {{ include "web.serviceAccountName" . }}
      containers:
      - name: web
        image: "nginx:1.27"
        envFrom:
        - configMapRef: {name: "{{ .Release.Name }}-config"}
        - configMapRef: {name: static-config}
        - secretRef: {name: shared-secrets}
`;
  const files = {
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    'charts/web/templates/deployment.yaml': deployment,
    'charts/web/templates/static.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: static-config}\ndata: {A: "1"}\n',
    'charts/web/templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ include "web.fullname" . }}-secrets\nstringData: {A: "1"}\n',
  };
  await inEditor(files, async (client, uriOf) => {
    const uri = uriOf('charts/web/templates/deployment.yaml');
    const lenses = await client.connection.sendRequest<{ range: { start: Position }; command?: { title: string; command: string; tooltip?: string } }[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses.map((l) => [l.range.start, l.command?.title, l.command?.command]), [[{ line: 0, character: 0 }, '2 references not resolved: named by template actions', '']]);
    assert.equal(
      lenses[0].command?.tooltip,
      'ServiceAccount {{ include "web.serviceAccountName" . }} (serviceAccountName), ConfigMap "{{ .Release.Name }}-config" (envFrom): kdry cannot resolve a name made by template actions without rendering the chart, and does not guess, so these references are not checked against the objects in scope. Check what the chart renders: `helm template . | kdry check -`.',
    );
    const hoverOn = async (needle: string) => {
      const hover = await client.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(deployment, needle, 1, 2) });
      return hover?.contents.value ?? '';
    };
    assert.match(await hoverOn('{{ include "web.serviceAccountName"'), /\*\*ServiceAccount `\{\{ include "web\.serviceAccountName" \. \}\}`\*\*: its name is made by template actions, so kdry cannot resolve it without rendering the chart\. It does not guess which object this is, and checks nothing about it\. Check what the chart renders: `helm template \. \| kdry check -`\./);
    assert.match(await hoverOn('"{{ .Release.Name }}-config"'), /\*\*ConfigMap `"\{\{ \.Release\.Name \}\}-config"`\*\*: its name is made by template actions/);
    assert.match(await hoverOn('static-config'), /\*\*ConfigMap `static-config`\*\*: `static\.yaml` \(the same kustomization or chart\)\. F12 goes there\./);
    const secret = await hoverOn('shared-secrets');
    assert.match(secret, /\*\*Secret `shared-secrets`\*\* is written literally, but no object of that name is in scope outside the chart's templates, and kdry does not report it missing: a template's objects exist only once the chart renders\. The chart's templates name a Secret with template actions \(`\{\{ include "web\.fullname" \. \}\}-secrets` in `templates\/secret\.yaml`\)/);
    // F12 follows the literal name, as the hover says; a templated one leads nowhere (no guess).
    const definition = (needle: string) => client.connection.sendRequest<Location[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(deployment, needle, 1, 2) });
    assert.deepEqual((await definition('static-config')).map((l) => [l.uri, l.range.start]), [[uriOf('charts/web/templates/static.yaml'), { line: 2, character: 17 }]]);
    assert.deepEqual(await definition('"{{ .Release.Name }}-config"'), []);
    const links = await client.connection.sendRequest<{ range: { start: Position }; target?: string }[]>('textDocument/documentLink', { textDocument: { uri } });
    assert.deepEqual(links.map((l) => [l.range.start, l.target?.split('#')[0]]), [[positionOf(deployment, 'static-config'), uriOf('charts/web/templates/static.yaml')]], 'the literal reference that resolves is the only link');
    // Nothing is judged in the template: no missing-reference for the literal name, none for the templated ones.
    assert.deepEqual(client.lastDiagnostics(uri), []);
  });
});

test("find references and rename from an object reach the names chart templates write literally; a name made by template actions is left alone", async () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
spec:
  template:
    spec:
      serviceAccountName: web-sa
      containers:
      - name: web
        image: "{{ .Values.image }}"
        envFrom:
        - configMapRef: {name: "{{ .Release.Name }}-config"}
        - configMapRef: {name: static-config}
`;
  const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: static-config}\ndata: {A: "1"}\n';
  const account = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web-sa\n';
  const job = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: migrate\nspec:\n  containers:\n  - name: migrate\n    image: "busybox:1.36"\n    envFrom:\n    - configMapRef: {name: static-config}\n';
  const files = {
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    'charts/web/templates/deployment.yaml': deployment,
    'charts/web/templates/static.yaml': config,
    'charts/web/templates/account.yaml': account,
    'charts/web/templates/migrate.yaml': job,
  };
  await inEditor(files, async (client, uriOf) => {
    const template = uriOf('charts/web/templates/deployment.yaml');
    const found = (await referencesOf(client, uriOf('charts/web/templates/static.yaml'), positionOf(config, 'static-config', 1, 2))).map((l) => [l.uri, l.range.start]);
    assert.deepEqual(found.sort(), [[template, positionOf(deployment, 'static-config')], [uriOf('charts/web/templates/migrate.yaml'), positionOf(job, 'static-config')]].sort(), 'the template\'s literal name and the plain Pod\'s; not "{{ .Release.Name }}-config"');
    assert.deepEqual((await referencesOf(client, uriOf('charts/web/templates/account.yaml'), positionOf(account, 'web-sa', 1, 2))).map((l) => [l.uri, l.range.start]), [[template, positionOf(deployment, 'web-sa')]]);

    const notes: string[] = [];
    client.connection.onNotification('window/showMessage', (p: { message: string }) => void notes.push(p.message));
    const edit = await renameAt(client, uriOf('charts/web/templates/static.yaml'), positionOf(config, 'static-config', 1, 2), 'web-settings');
    const changes = edit.changes!;
    assert.deepEqual(notes, ['kdry left alone a reference to a ConfigMap in the chart whose name is made by template actions ("{{ .Release.Name }}-config" in templates/deployment.yaml): it cannot tell without rendering the chart whether it names ConfigMap static-config. Check it by hand.'], 'the editor is told what the rename left out');
    await renameAt(client, uriOf('charts/web/templates/account.yaml'), positionOf(account, 'web-sa', 1, 2), 'web-runner');
    assert.equal(notes.length, 1, 'no ServiceAccount of the chart is named by template actions: nothing to say');
    assert.deepEqual(Object.keys(changes).sort(), [template, uriOf('charts/web/templates/static.yaml'), uriOf('charts/web/templates/migrate.yaml')].sort());
    const renamed = applyEdits(deployment, changes[template]);
    assert.equal(renamed, deployment.replace('{name: static-config}', '{name: web-settings}'), 'only the literal name changes; the template actions are untouched');
    await client.change(uriOf('charts/web/templates/static.yaml'), applyEdits(config, changes[uriOf('charts/web/templates/static.yaml')]));
    assert.deepEqual(codes(await client.change(uriOf('charts/web/templates/migrate.yaml'), applyEdits(job, changes[uriOf('charts/web/templates/migrate.yaml')]))), [], 'the Pod resolves the new name');
    assert.deepEqual(codes(await client.change(template, renamed)), []);
    assert.deepEqual((await definition(client, template, positionOf(renamed, 'web-settings', 1, 2))).map((l) => l.uri), [uriOf('charts/web/templates/static.yaml')], 'F12 from the renamed literal still lands on the ConfigMap');
  });
});
