// A kustomization's `replacements:` (server/src/scope/kustomize-replacements.ts; upstream
// api/filters/replacement/replacement.go), the last transform of each kustomization.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtObject, generatedIn } from '../../server/src/scope/kustomize-build';
import { kustomizeHash } from '../../server/src/scope/kustomize-hash';
import { unitIndex } from '../../server/src/scope/scope';
import { splitFieldPath } from '../../server/src/scope/kustomize-replacements';
import { findingsIn, uri, webDeployment, workspaceOf } from './helpers';

const deployment = webDeployment(`      - name: web
        image: "registry.example/web:1.0"
        env:
        - {name: HOST, value: placeholder}
        - {name: PORT, value: "80"}
      - name: sidecar
        image: "busybox:1.36"
`);

const built = (kustomization: string, files: Record<string, string> = {}) => {
  const w = workspaceOf({ 'app/kustomization.yaml': kustomization, 'app/deployment.yaml': deployment, ...files });
  return builtObject(w, uri('app/deployment.yaml'), w.get(uri('app/deployment.yaml'))!.documents[0].value) as any;
};

test('field paths split at dots outside brackets (kyaml SmarterPathSplitter)', () => {
  assert.deepEqual(splitFieldPath('spec.template.spec.containers.[name=web].env.[name=HOST].value'), ['spec', 'template', 'spec', 'containers', '[name=web]', 'env', '[name=HOST]', 'value']);
  assert.deepEqual(splitFieldPath('metadata.annotations.[example.com/owner]'), ['metadata', 'annotations', '[example.com/owner]']);
});

test('a value from a generated ConfigMap of the build replaces a container variable; a sourceValue writes a constant', () => {
  const d = built(`resources: [deployment.yaml]
configMapGenerator:
- name: endpoints
  literals: [HOST=db.internal, URL=https://api.example:8443/v1]
replacements:
- source: {kind: ConfigMap, name: endpoints, fieldPath: data.HOST}
  targets:
  - select: {kind: Deployment}
    fieldPaths: ['spec.template.spec.containers.[name=web].env.[name=HOST].value']
- source: {kind: ConfigMap, name: endpoints, fieldPath: data.URL, options: {delimiter: '/', index: 2}}
  targets:
  - select: {kind: Deployment, name: web}
    fieldPaths: [metadata.annotations.api]
    options: {create: true}
- sourceValue: "9090"
  targets:
  - select: {kind: Deployment}
    fieldPaths: ['spec.template.spec.containers.*.env.[name=PORT].value']
`);
  const [web] = d.spec.template.spec.containers;
  assert.deepEqual(web.env, [{ name: 'HOST', value: 'db.internal' }, { name: 'PORT', value: '9090' }]);
  assert.deepEqual(d.metadata.annotations, { api: 'api.example:8443' }, 'options.delimiter "/" index 2 of the URL; create makes the map');
});

test('a delimiter writes one part of the target; reject leaves an object out; a target field missing without create is left alone', () => {
  const d = built(`resources: [deployment.yaml]
replacements:
- sourceValue: "2.0"
  targets:
  - select: {kind: Deployment}
    fieldPaths: ['spec.template.spec.containers.[name=web].image']
    options: {delimiter: ':', index: 1}
- sourceValue: nowhere
  targets:
  - select: {kind: Deployment}
    fieldPaths: ['spec.template.spec.containers.[name=sidecar].workingDir']
- sourceValue: rejected
  targets:
  - select: {kind: Deployment}
    reject: [{name: web}]
    fieldPaths: ['spec.template.spec.containers.[name=sidecar].image']
`);
  assert.equal(d.spec.template.spec.containers[0].image, 'registry.example/web:2.0');
  assert.equal(d.spec.template.spec.containers[1].workingDir, undefined);
  assert.equal(d.spec.template.spec.containers[1].image, 'busybox:1.36');
});

test('the source is read as built so far: an overlay reads the base object with its prefix, from a replacements file', () => {
  const w = workspaceOf({
    'base/kustomization.yaml': 'namePrefix: b-\nresources: [deployment.yaml, service.yaml]\n',
    'base/deployment.yaml': deployment,
    'base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {ports: [{port: 5432}]}\n',
    'prod/kustomization.yaml': 'resources: [../base]\nreplacements:\n- path: replacements.yaml\n',
    'prod/replacements.yaml': '- source: {kind: Service}\n  targets:\n  - select: {kind: Deployment}\n    fieldPaths: ["spec.template.spec.containers.[name=web].env.[name=HOST].value"]\n',
  });
  const { unitIndex } = require('../../server/src/scope/scope') as typeof import('../../server/src/scope/scope');
  const prod = unitIndex(w).kustomization(uri('prod/kustomization.yaml'));
  const d = builtObject(w, uri('base/deployment.yaml'), w.get(uri('base/deployment.yaml'))!.documents[0].value, prod) as any;
  assert.equal(d.spec.template.spec.containers[0].env[0].value, 'b-db', "the Service's name (the default fieldPath) as the base built it");
});

test('vars: $(NAME) in container command, args, env values and mount paths takes the field of its object as built; $$(NAME) stays literal (refvartransformer)', () => {
  const pod = webDeployment(`      - name: web
        image: "nginx:1.27"
        command: ["/bin/serve", "--db=$(DB_HOST):$(DB_PORT)", "--keep=$$(DB_HOST)", "--other=$(UNDECLARED)"]
        env:
        - {name: TARGET, value: "$(DB_HOST)"}
`);
  const w = workspaceOf({
    'app/kustomization.yaml': 'namePrefix: p-\nresources: [deployment.yaml, service.yaml]\nvars:\n- name: DB_HOST\n  objref: {kind: Service, name: db, apiVersion: v1}\n- name: DB_PORT\n  objref: {kind: Service, name: db, apiVersion: v1}\n  fieldref: {fieldpath: "spec.ports[0].port"}\n',
    'app/deployment.yaml': pod,
    'app/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {ports: [{port: 5432}]}\n',
  });
  const d = builtObject(w, uri('app/deployment.yaml'), w.get(uri('app/deployment.yaml'))!.documents[0].value) as any;
  const [c] = d.spec.template.spec.containers;
  assert.deepEqual(c.command, ['/bin/serve', '--db=p-db:5432', '--keep=$(DB_HOST)', '--other=$(UNDECLARED)']);
  assert.deepEqual(c.env, [{ name: 'TARGET', value: 'p-db' }]);
});

test('vars reach every field varreference.go lists: Ingress hosts and TLS, Service ports (a whole-field var keeps its number), labels; a generated ConfigMap can be the var\'s object', () => {
  const w = workspaceOf({
    'app/kustomization.yaml': `resources: [ingress.yaml, service.yaml]
configMapGenerator:
- name: settings
  literals: [HOST=shop.example.com]
vars:
- {name: HOST, objref: {kind: ConfigMap, name: settings, apiVersion: v1}, fieldref: {fieldpath: data.HOST}}
- {name: PORT, objref: {kind: Service, name: db, apiVersion: v1}, fieldref: {fieldpath: "spec.ports[0].port"}}
`,
    'app/ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, labels: {host: "$(HOST)"}}
spec:
  tls: [{hosts: ["$(HOST)", "www.$(HOST)"], secretName: "tls-$(HOST)"}]
  rules: [{host: "$(HOST)"}]
`,
    'app/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {ports: [{port: 5432}, {port: 80, targetPort: "$(PORT)"}]}\n',
  });
  const ingress = builtObject(w, uri('app/ingress.yaml'), w.get(uri('app/ingress.yaml'))!.documents[0].value) as any;
  assert.deepEqual(ingress.spec.tls, [{ hosts: ['shop.example.com', 'www.shop.example.com'], secretName: 'tls-shop.example.com' }]);
  assert.equal(ingress.spec.rules[0].host, 'shop.example.com');
  assert.equal(ingress.metadata.labels.host, 'shop.example.com');
  const service = builtObject(w, uri('app/service.yaml'), w.get(uri('app/service.yaml'))!.documents[0].value) as any;
  assert.equal(service.spec.ports[1].targetPort, 5432, 'the var\'s type, as refvar DoReplacements keeps it for a whole field');
});

test('a later replacement\'s source sees what an earlier replacement wrote (replacement.go Filter runs them in order over the build)', () => {
  const d = built(`resources: [deployment.yaml, settings.yaml]
replacements:
- sourceValue: db.internal
  targets:
  - select: {kind: ConfigMap, name: settings}
    fieldPaths: [data.HOST]
- source: {kind: ConfigMap, name: settings, fieldPath: data.HOST}
  targets:
  - select: {kind: Deployment}
    fieldPaths: ["spec.template.spec.containers.[name=web].env.[name=HOST].value"]
`, { 'app/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {HOST: written}\n' });
  assert.equal(d.spec.template.spec.containers[0].env[0].value, 'db.internal');
});

test('replacements and vars that cannot resolve fail the build: kustomize-build errors on their entries', () => {
  const w = workspaceOf({
    'app/kustomization.yaml': `resources: [deployment.yaml]
replacements:
- source: {kind: ConfigMap, name: nowhere}
  targets: [{select: {kind: Deployment}, fieldPaths: [metadata.name]}]
- source: {kind: Deployment, name: web, fieldPath: spec.missing}
  targets: [{select: {kind: Deployment}, fieldPaths: [metadata.name]}]
- sourceValue: x
  targets: [{select: {kind: Deployment}, fieldPaths: [spec.nothing.here]}]
vars:
- {name: GONE, objref: {kind: Service, name: db, apiVersion: v1}}
- {name: NOFIELD, objref: {kind: Deployment, name: web, apiVersion: apps/v1}, fieldref: {fieldpath: spec.paused}}
`,
    'app/deployment.yaml': deployment,
  });
  const found = findingsIn(w, 'app/kustomization.yaml', 'kustomize-build').map((f) => f.message);
  assert.deepEqual(found, [
    'kustomize build fails: nothing selected by the source {kind: ConfigMap, name: nowhere}.',
    'kustomize build fails: fieldPath `spec.missing` is missing for replacement source Deployment "web".',
    'kustomize build fails: unable to find field "spec.nothing.here" in replacement target Deployment "web".',
    'kustomize build fails: var \'GONE\' cannot be mapped to a field in the set of known resources (no Service "db" in the build).',
    'kustomize build fails: field specified in var \'NOFIELD\' not found in corresponding resource (Deployment "web" has no spec.paused).',
  ]);
});

test('a var naming a generated ConfigMap reads its name with the content hash (kusttarget.go makeCustomizedResMap: addHashesToNames, then ResolveVars)', () => {
  const w = workspaceOf({
    'app/kustomization.yaml': `namePrefix: p-
resources: [deployment.yaml]
configMapGenerator:
- name: settings
  literals: [LEVEL=info]
vars:
- {name: CM_NAME, objref: {kind: ConfigMap, name: settings, apiVersion: v1}}
`,
    'app/deployment.yaml': webDeployment(`      - name: web
        image: "nginx:1.27"
        args: ["--settings=$(CM_NAME)"]
`),
  });
  const generated = generatedIn(w, unitIndex(w).kustomization(uri('app/kustomization.yaml'))!, 'ConfigMap', 'settings')!;
  assert.equal(generated.name, `p-settings-${kustomizeHash(generated.object.value)}`);
  const d = builtObject(w, uri('app/deployment.yaml'), w.get(uri('app/deployment.yaml'))!.documents[0].value) as any;
  assert.deepEqual(d.spec.template.spec.containers[0].args, [`--settings=${generated.name}`]);
});

test('vars reach annotations, a Deployment\'s pod template annotations and NFS volume servers, as varreference.go lists them', () => {
  const w = workspaceOf({
    'app/kustomization.yaml': 'resources: [deployment.yaml, service.yaml, pv.yaml]\nvars:\n- {name: SVC, objref: {kind: Service, name: nfs, apiVersion: v1}}\n',
    'app/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: nfs, annotations: {self: "$(SVC)"}}\nspec: {ports: [{port: 2049}]}\n',
    'app/pv.yaml': 'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: share}\nspec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteMany], nfs: {server: "$(SVC).svc", path: /}}\n',
    'app/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, annotations: {backend: "$(SVC)"}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}, annotations: {backend: "$(SVC)"}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
      volumes: [{name: share, nfs: {server: "$(SVC).svc", path: /}}]
`,
  });
  const build = (path: string) => builtObject(w, uri(path), w.get(uri(path))!.documents[0].value) as any;
  const d = build('app/deployment.yaml');
  assert.deepEqual(d.metadata.annotations, { backend: 'nfs' });
  assert.deepEqual(d.spec.template.metadata.annotations, { backend: 'nfs' });
  assert.equal(d.spec.template.spec.volumes[0].nfs.server, 'nfs.svc');
  assert.equal(build('app/service.yaml').metadata.annotations.self, 'nfs');
  assert.equal(build('app/pv.yaml').spec.nfs.server, 'nfs.svc');
});

test('a var whose objref matches objects of two namespaces fails the build (resaccumulator.go MergeVars: unable to disambiguate); objref.namespace picks one', () => {
  const settings = (ns: string, host: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: ${ns}}\ndata: {HOST: ${host}}\n`;
  const files = (objref: string) => ({
    'app/kustomization.yaml': `resources: [deployment.yaml, a.yaml, b.yaml]\nvars:\n- {name: HOST, objref: ${objref}, fieldref: {fieldpath: data.HOST}}\n`,
    'app/deployment.yaml': webDeployment(`      - name: web
        image: "nginx:1.27"
        args: ["--host=$(HOST)"]
`),
    'app/a.yaml': settings('team-a', 'a.internal'),
    'app/b.yaml': settings('team-b', 'b.internal'),
  });
  const ambiguous = workspaceOf(files('{kind: ConfigMap, name: settings, apiVersion: v1}'));
  assert.deepEqual(findingsIn(ambiguous, 'app/kustomization.yaml', 'kustomize-build').map((f) => f.message), [
    'kustomize build fails: found 2 resId matches for var HOST (unable to disambiguate): ConfigMap "settings" in namespace team-a and namespace team-b.',
  ]);
  const d = builtObject(ambiguous, uri('app/deployment.yaml'), ambiguous.get(uri('app/deployment.yaml'))!.documents[0].value) as any;
  assert.deepEqual(d.spec.template.spec.containers[0].args, ['--host=$(HOST)'], 'not the first one found');

  const chosen = workspaceOf(files('{kind: ConfigMap, name: settings, apiVersion: v1, namespace: team-b}'));
  assert.deepEqual(findingsIn(chosen, 'app/kustomization.yaml', 'kustomize-build'), []);
  const built = builtObject(chosen, uri('app/deployment.yaml'), chosen.get(uri('app/deployment.yaml'))!.documents[0].value) as any;
  assert.deepEqual(built.spec.template.spec.containers[0].args, ['--host=b.internal']);
});

test('a var matches only within the build of the kustomization that declares it (kusttarget.go MergeVars per sub-build); objref namespace default matches one with none written', () => {
  const settings = (host: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {HOST: ${host}}\n`;
  const files = (objref: string) => ({
    'app/kustomization.yaml': 'resources: [../a, ../b]\n',
    'a/kustomization.yaml': `resources: [deployment.yaml, settings.yaml]\nvars:\n- {name: HOST, objref: ${objref}, fieldref: {fieldpath: data.HOST}}\n`,
    'a/deployment.yaml': webDeployment(`      - name: web
        image: "nginx:1.27"
        args: ["--host=$(HOST)"]
`),
    'a/settings.yaml': settings('a.internal'),
    'b/kustomization.yaml': 'resources: [settings.yaml]\nnamespace: team-b\n',
    'b/settings.yaml': settings('b.internal'),
  });
  for (const objref of ['{kind: ConfigMap, name: settings, apiVersion: v1}', '{kind: ConfigMap, name: settings, apiVersion: v1, namespace: default}']) {
    const w = workspaceOf(files(objref));
    assert.deepEqual(findingsIn(w, 'app/kustomization.yaml', 'kustomize-build'), [], objref);
    assert.deepEqual(findingsIn(w, 'a/kustomization.yaml', 'kustomize-build'), [], objref);
    const d = builtObject(w, uri('a/deployment.yaml'), w.get(uri('a/deployment.yaml'))!.documents[0].value) as any;
    assert.deepEqual(d.spec.template.spec.containers[0].args, ['--host=a.internal'], objref);
  }
});

test("a var naming a generated ConfigMap is looked up in the declaring kustomization's build (kusttarget.go accumulateTarget: MergeVars per sub-build), read as the root builds it", () => {
  const base = (prefix: string, host: string) => ({
    [`${prefix}/kustomization.yaml`]: `namePrefix: ${prefix}-
resources: [deployment.yaml]
configMapGenerator:
- {name: settings, literals: [HOST=${host}]}
vars:
- {name: ${prefix}_CM, objref: {kind: ConfigMap, name: settings, apiVersion: v1}}
- {name: ${prefix}_HOST, objref: {kind: ConfigMap, name: settings, apiVersion: v1}, fieldref: {fieldpath: data.HOST}}
`,
    [`${prefix}/deployment.yaml`]: webDeployment(`      - name: web
        image: "nginx:1.27"
        args: ["--settings=$(${prefix}_CM)", "--host=$(${prefix}_HOST)"]
`).replace('name: web\n', `name: web-${prefix}\n`),
  });
  const w = workspaceOf({ 'app/kustomization.yaml': 'namePrefix: app-\nresources: [../a, ../b]\n', ...base('a', 'a.internal'), ...base('b', 'b.internal') });
  const index = unitIndex(w);
  const [app, b] = [index.kustomization(uri('app/kustomization.yaml'))!, index.kustomization(uri('b/kustomization.yaml'))!];
  const d = builtObject(w, uri('b/deployment.yaml'), w.get(uri('b/deployment.yaml'))!.documents[0].value, app) as any;
  const settings = generatedIn(w, app, 'ConfigMap', 'settings', b)!;
  assert.match(settings.name, /^app-b-settings-/);
  assert.deepEqual(d.spec.template.spec.containers[0].args, [`--settings=${settings.name}`, '--host=b.internal'], "b's own ConfigMap, not its sibling's of the same name");
  assert.deepEqual(findingsIn(w, 'app/kustomization.yaml', 'kustomize-build'), []);

  // Var names are one set over the build (varSet.MergeSlice refuses a second "CM"): each base names its own.
  // A base's var cannot see what an overlay generates: kustomize build of the overlay fails on it.
  const overlay = workspaceOf({
    'base/kustomization.yaml': 'resources: [deployment.yaml]\nvars:\n- {name: x_CM, objref: {kind: ConfigMap, name: settings, apiVersion: v1}}\n',
    'base/deployment.yaml': base('x', '')['x/deployment.yaml'],
    'prod/kustomization.yaml': 'resources: [../base]\nconfigMapGenerator:\n- {name: settings, literals: [HOST=prod]}\n',
  });
  const prod = unitIndex(overlay).kustomization(uri('prod/kustomization.yaml'))!;
  const built = builtObject(overlay, uri('base/deployment.yaml'), overlay.get(uri('base/deployment.yaml'))!.documents[0].value, prod) as any;
  assert.equal(built.spec.template.spec.containers[0].args[0], '--settings=$(x_CM)');
  assert.deepEqual(findingsIn(overlay, 'base/kustomization.yaml', 'kustomize-build').map((f) => f.message), [
    'kustomize build fails: var \'x_CM\' cannot be mapped to a field in the set of known resources (no ConfigMap "settings" in the build).',
  ]);
});
