// Generated ConfigMaps and Secrets as kustomize makes and names them (server/src/scope/
// kustomize-generators.ts, kustomize-hash.ts): the content hash of api/hasher/hasher.go, checked
// against upstream's own expected values, and the references rewritten to the hashed name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { checkFile } from '../../server/src/check';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { builtObject } from '../../server/src/scope/kustomize-build';
import { kustomizeHash } from '../../server/src/scope/kustomize-hash';
import { inSourcesPass } from '../../server/src/scope/kustomize-sources';
import { inEditor, onDisk, uri, webDeployment, workspaceOf } from './helpers';

test('the hash of a ConfigMap and of a Secret is upstream\'s (api/hasher/hasher_test.go TestConfigMapHash, TestSecretHash)', () => {
  const cases: [string, string][] = [
    ['apiVersion: v1\nkind: ConfigMap', '6ct58987ht'],
    ['apiVersion: v1\nkind: ConfigMap\ndata:\n  one: ""', '9g67k2htb6'],
    ['apiVersion: v1\nkind: ConfigMap\ndata:\n  two: 2\n  one: ""\n  three: 3', '7757f9kkct'],
    ['apiVersion: v1\nkind: ConfigMap\nbinaryData:\n  one: ""', '6mtk2m274t'],
    ['apiVersion: v1\nkind: ConfigMap\nbinaryData:\n  two: 2\n  one: ""\n  three: 3', '9th7kc28dg'],
    ['apiVersion: v1\nkind: ConfigMap\ndata:\n  one: ""\nbinaryData:\n  two: ""', '698h7c7t9m'],
    ['apiVersion: v1\nkind: Secret\ntype: my-type', '5gmgkf8578'],
    ['apiVersion: v1\nkind: Secret\ntype: my-type\ndata:\n  one: ""', '74bd68bm66'],
    ['apiVersion: v1\nkind: Secret\ntype: my-type\ndata:\n  two: 2\n  one: ""\n  three: 3', '4gf75c7476'],
    ['apiVersion: v1\nkind: Secret\ntype: my-type\ndata:\n  one: ""\nstringData:\n  two: 2', 'c4h4264gdb'],
  ];
  for (const [yaml, hash] of cases) assert.equal(kustomizeHash(parse(yaml)), hash, yaml);
  // The name is not part of it (getNodeValues looks up "metadata/name" as one field).
  assert.equal(kustomizeHash(parse('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  one: ""')), '9g67k2htb6');
});

const consumer = webDeployment(`      - name: web
        image: "nginx:1.27"
        envFrom:
        - configMapRef: {name: bob}
        env:
        - name: PASS
          valueFrom: {secretKeyRef: {name: bob, key: passphrase}}
        - name: DRUID
          valueFrom: {configMapKeyRef: {name: json, key: v2}}
      volumes:
      - name: secret
        secret: {secretName: bob}
      - name: both
        projected:
          sources:
          - configMap: {name: json}
          - secret: {name: bob}
`);

test('generated names carry the hash kustomize computes, and envFrom, valueFrom and volumes name them so (upstream api/krusty/configmaps_test.go TestGeneratorBasics)', () => {
  // The kustomization and files of TestGeneratorBasics, as written upstream, and a Deployment using them.
  const files = {
    'kustomization.yaml': `namePrefix: blah-
resources: [deployment.yaml]
configMapGenerator:
- name: bob
  literals:
  - fruit=apple
  - vegetable=broccoli
  envs:
  - foo.env
  env: bar.env
  files:
  - passphrase=phrase.dat
  - forces.txt
- name: json
  literals:
  - 'v2=[{"path": "var/druid/segment-cache"}]'
  - >-
    druid_segmentCache_locations=[{"path":
    "var/druid/segment-cache",
    "maxSize": 32000000000,
    "freeSpacePercent": 1.0}]
secretGenerator:
- name: bob
  literals:
  - fruit=apple
  - vegetable=broccoli
  envs:
  - foo.env
  files:
  - passphrase=phrase.dat
  - forces.txt
  env: bar.env
`,
    'deployment.yaml': consumer,
    'foo.env': '\nMOUNTAIN=everest\nOCEAN=pacific\n',
    'bar.env': '\nBIRD=falcon\n',
    'phrase.dat': '\nLife is short.\nBut the years are long.\nNot while the evil days come not.\n',
    'forces.txt': '\ngravitational\nelectromagnetic\nstrong nuclear\nweak nuclear\n',
  };
  onDisk(files, (workspace, uriOf) => {
    const w = builtObject(workspace, uriOf('deployment.yaml'), workspace.get(uriOf('deployment.yaml'))!.documents[0].value) as any;
    const spec = w.spec.template.spec;
    assert.equal(spec.containers[0].envFrom[0].configMapRef.name, 'blah-bob-g9df72cd5b');
    assert.equal(spec.containers[0].env[0].valueFrom.secretKeyRef.name, 'blah-bob-58g62h555c');
    assert.equal(spec.containers[0].env[1].valueFrom.configMapKeyRef.name, 'blah-json-m8529t979f');
    assert.equal(spec.volumes[0].secret.secretName, 'blah-bob-58g62h555c');
    assert.deepEqual(spec.volumes[1].projected.sources, [{ configMap: { name: 'blah-json-m8529t979f' } }, { secret: { name: 'blah-bob-58g62h555c' } }]);
  });
});

test('disableNameSuffixHash: generatorOptions for every generator, options for one; a global true wins over a local false (MergeGlobalOptionsIntoLocal)', () => {
  const kustomization = (extra: string, options = '') =>
    `resources: [deployment.yaml]\n${extra}configMapGenerator:\n- name: bob\n  literals: [fruit=Indian Gooseberry, year=2020, crisis=true]\n${options}- name: json\n  literals: [v2=x]\nsecretGenerator:\n- name: bob\n  literals: [a=b]\n`;
  const names = (k: string) => {
    const w = workspaceOf({ 'app/kustomization.yaml': k, 'app/deployment.yaml': consumer });
    const spec = (builtObject(w, uri('app/deployment.yaml'), w.get(uri('app/deployment.yaml'))!.documents[0].value) as any).spec.template.spec;
    return [spec.containers[0].envFrom[0].configMapRef.name, spec.containers[0].env[1].valueFrom.configMapKeyRef.name, spec.volumes[0].secret.secretName];
  };
  const [bob, json, secret] = names(kustomization(''));
  assert.equal(bob, 'bob-79t79mt227', 'TestGeneratorIntVsStringNoMerge');
  assert.match(json, /^json-[a-z0-9]{10}$/);
  assert.match(secret, /^bob-[a-z0-9]{10}$/);
  assert.notEqual(secret.slice(4), bob.slice(4), 'a Secret hashes its own data and type');
  assert.deepEqual(names(kustomization('generatorOptions: {disableNameSuffixHash: true}\n')), ['bob', 'json', 'bob']);
  assert.deepEqual(names(kustomization('', '  options: {disableNameSuffixHash: true}\n')), ['bob', json, secret]);
  assert.deepEqual(names(kustomization('generatorOptions: {disableNameSuffixHash: true}\n', '  options: {disableNameSuffixHash: false}\n')), ['bob', 'json', 'bob']);
});

test('overlays: a base\'s generated name gets every prefix and the same hash (upstream TestSimpleMultiplePatches: a-b-configmap-in-base-798k5k7g9f)', () => {
  const w = workspaceOf({
    'base/kustomization.yaml': 'namePrefix: b-\nresources: [deployment.yaml]\nconfigMapGenerator:\n- name: bob\n  literals: [foo=bar]\n',
    'base/deployment.yaml': consumer,
    'overlay/kustomization.yaml': 'namePrefix: a-\nresources: [../base]\n',
  });
  const value = w.get(uri('base/deployment.yaml'))!.documents[0].value;
  const { unitIndex } = require('../../server/src/scope/scope') as typeof import('../../server/src/scope/scope');
  const overlay = unitIndex(w).kustomization(uri('overlay/kustomization.yaml'));
  assert.equal((builtObject(w, uri('base/deployment.yaml'), value, overlay) as any).spec.template.spec.containers[0].envFrom[0].configMapRef.name, 'a-b-bob-798k5k7g9f');
  assert.equal((builtObject(w, uri('base/deployment.yaml'), value) as any).spec.template.spec.containers[0].envFrom[0].configMapRef.name, 'b-bob-798k5k7g9f');
});

test('a generator file kdry cannot read (missing, or outside the kustomization\'s folder as kustomize\'s loader refuses) leaves the name without a hash', () => {
  onDisk({ 'app/kustomization.yaml': 'resources: [deployment.yaml]\nconfigMapGenerator:\n- name: bob\n  envs: [../secret.env]\n- name: json\n  files: [missing.txt]\n', 'app/deployment.yaml': consumer, 'secret.env': 'A=1\n' }, (workspace, uriOf) => {
    const spec = (builtObject(workspace, uriOf('app/deployment.yaml'), workspace.get(uriOf('app/deployment.yaml'))!.documents[0].value) as any).spec.template.spec;
    assert.equal(spec.containers[0].envFrom[0].configMapRef.name, 'bob');
    assert.equal(spec.containers[0].env[1].valueFrom.configMapKeyRef.name, 'json');
  });
});

test('a generator\'s file outside the kustomization\'s folder is refused even when the editor holds it (loader RestrictionRootOnly)', () => {
  onDisk({ 'app/kustomization.yaml': 'resources: [deployment.yaml]\nconfigMapGenerator:\n- name: bob\n  envs: [../shared.yaml]\n', 'app/deployment.yaml': consumer, 'shared.yaml': 'A: "1"\n' }, (workspace, uriOf) => {
    assert.ok(workspace.get(uriOf('shared.yaml')), 'the editor holds the file');
    const spec = (builtObject(workspace, uriOf('app/deployment.yaml'), workspace.get(uriOf('app/deployment.yaml'))!.documents[0].value) as any).spec.template.spec;
    assert.equal(spec.containers[0].envFrom[0].configMapRef.name, 'bob', 'no hash: its pairs are not read');
    const [warning] = checkFile(workspace.get(uriOf('app/kustomization.yaml'))!, workspace).filter((f) => f.ruleId === 'kustomize-build');
    assert.match(warning?.message ?? '', /kdry cannot read the generator's file "\.\.\/shared\.yaml": it is not in or below the kustomization's folder .*\(RootOnly\)/);
  });
});

test("a generator's file outside the kustomization's folder (`../outside.env`, an absolute path) is not among the watched sources: kdry never reads it", async () => {
  const { generatorSourcePaths } = await import('../../server/src/scope/generator-sources');
  const outsideAbsolute = fileURLToPath(uri('elsewhere/absolute.env'));
  onDisk({ 'app/kustomization.yaml': `resources: [deployment.yaml]\nconfigMapGenerator:\n- name: bob\n  envs: [../outside.env, ${JSON.stringify(outsideAbsolute)}, app.env]\n`, 'app/deployment.yaml': consumer, 'outside.env': 'A=1\n', 'app/app.env': 'B=2\n' }, (workspace, uriOf) => {
    assert.deepEqual([...generatorSourcePaths(workspace)], [fileURLToPath(uriOf('app/app.env'))]);
  });
});

test('a generator file kdry cannot read (missing, too large, a FIFO) is a kustomize-build warning on its entry, with why', () => {
  onDisk({ 'app/kustomization.yaml': 'resources: [deployment.yaml]\nconfigMapGenerator:\n- name: bob\n  files: [missing.txt, big.txt, pipe]\n', 'app/deployment.yaml': consumer, 'app/big.txt': 'x'.repeat(1024 * 1024 + 1) }, (workspace, uriOf) => {
    const pipe = uriOf('app/pipe').replace('file://', '');
    execFileSync('mkfifo', [pipe]);
    const file = workspace.get(uriOf('app/kustomization.yaml'))!;
    const found = checkFile(file, workspace).filter((f) => f.ruleId === 'kustomize-build').map((f) => [f.severity, file.text.slice(f.range[0], f.range[1]), f.message]);
    assert.deepEqual(found.map(([severity, text]) => [severity, text]), [['warning', 'missing.txt'], ['warning', 'big.txt'], ['warning', 'pipe']]);
    assert.match(String(found[0][2]), /"missing\.txt": no such file or directory\. ConfigMap "bob" is shown without the pairs of that file, its name without kustomize's content hash/);
    assert.match(String(found[1][2]), /"big\.txt": file is 1\.0 MB; kdry reads files up to 1 MB/);
    assert.match(String(found[2][2]), /"pipe": not a regular file \(a FIFO\); not read/);
  });
});

test('hover on a reference to a generated ConfigMap names it as kustomize builds it', async () => {
  const { hover } = await import('../../server/src/lsp/hover');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const w = workspaceOf({ 'app/kustomization.yaml': 'namePrefix: p-\nresources: [deployment.yaml]\nconfigMapGenerator:\n- name: bob\n  literals: [fruit=Indian Gooseberry, year=2020, crisis=true]\n', 'app/deployment.yaml': consumer });
  const file = w.get(uri('app/deployment.yaml'))!;
  const offset = file.text.indexOf('{name: bob}') + '{name: '.length;
  const shown = hover(TextDocument.create(file.uri, 'yaml', 1, file.text), file, offset, w);
  assert.match((shown?.contents as { value: string }).value, /ConfigMap `bob`\*\* is generated by the kustomization as `p-bob-79t79mt227`/);
});

test('the keys of a generator with an envs file are read as kustomize reads them: a missing key is an error, a present one none', async () => {
  const { checkFile } = await import('../../server/src/check');
  const pod = (key: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: "busybox:1.36"\n    env:\n    - name: X\n      valueFrom: {configMapKeyRef: {name: settings, key: ${key}}}\n`;
  const files = (key: string) => ({ 'app/kustomization.yaml': 'resources: [pod.yaml]\nconfigMapGenerator:\n- name: settings\n  envs: [settings.env]\n', 'app/pod.yaml': pod(key), 'app/settings.env': '# comment\nLOG_LEVEL=info\nREGION=eu\n' });
  const keyFindings = (key: string) => {
    let found: string[] = [];
    onDisk(files(key), (workspace, uriOf) => {
      found = checkFile(workspace.get(uriOf('app/pod.yaml'))!, workspace).filter((f) => f.ruleId === 'missing-config-key').map((f) => f.message);
    });
    return found;
  };
  assert.deepEqual(keyFindings('REGION'), []);
  const [missing] = keyFindings('REGON');
  assert.match(missing ?? '', /ConfigMap "settings" \(generated by the kustomization\) has no key "REGON" \(it has "LOG_LEVEL", "REGION"\)/);
});

test('a component acts on what was generated before it (a base\'s, its own), not on what its kustomization generates after it (kusttarget.go accumulateTarget: runGenerators after accumulateComponents)', async () => {
  const { generatedIn } = await import('../../server/src/scope/kustomize-build');
  const { unitIndex } = await import('../../server/src/scope/scope');
  const w = workspaceOf({
    'base/kustomization.yaml': 'configMapGenerator:\n- name: from-base\n  literals: [A=1]\n',
    'component/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnameSuffix: -c\ncommonLabels: {c: "yes"}\nconfigMapGenerator:\n- name: from-component\n  literals: [B=2]\n',
    'overlay/kustomization.yaml': 'resources: [../base]\ncomponents: [../component]\nconfigMapGenerator:\n- name: from-overlay\n  literals: [C=3]\n',
  });
  const overlay = unitIndex(w).kustomization(uri('overlay/kustomization.yaml'))!;
  const built = (name: string) => generatedIn(w, overlay, 'ConfigMap', name)!;
  const hash = (name: string) => kustomizeHash(built(name).object.value);
  assert.equal(built('from-base').name, `from-base-c-${hash('from-base')}`);
  assert.deepEqual((built('from-base').object.value as any).metadata.labels, { c: 'yes' });
  assert.equal(built('from-component').name, `from-component-c-${hash('from-component')}`);
  assert.equal(built('from-overlay').name, `from-overlay-${hash('from-overlay')}`);
  assert.equal((built('from-overlay').object.value as any).metadata.labels, undefined);
});

test('editing a generator\'s file (not a manifest: the workspace revision stays) gives the new hash, var and replacement, not the memo\'s old ones', () => {
  const deployment = webDeployment(`      - name: web
        image: "nginx:1.27"
        command: ["run", "$(LEVEL)"]
        envFrom:
        - configMapRef: {name: settings}
`);
  const kustomization = `resources: [deployment.yaml]
configMapGenerator:
- name: settings
  envs: [app.env]
vars:
- {name: LEVEL, objref: {kind: ConfigMap, name: settings, apiVersion: v1}, fieldref: {fieldpath: data.LEVEL}}
replacements:
- source: {kind: ConfigMap, name: settings, fieldPath: data.IMAGE}
  targets:
  - select: {kind: Deployment}
    fieldPaths: ["spec.template.spec.containers.[name=web].image"]
`;
  onDisk({ 'app/kustomization.yaml': kustomization, 'app/deployment.yaml': deployment, 'app/app.env': 'LEVEL=info\nIMAGE=nginx:1.27\n' }, (workspace, uriOf) => {
    const build = () => (builtObject(workspace, uriOf('app/deployment.yaml'), workspace.get(uriOf('app/deployment.yaml'))!.documents[0].value) as any).spec.template.spec.containers[0];
    const before = build();
    assert.deepEqual(before.command, ['run', 'info']);
    assert.equal(before.image, 'nginx:1.27');
    const revision = workspace.revision;
    writeFileSync(fileURLToPath(uriOf('app/app.env')), 'LEVEL=debug\nIMAGE=nginx:1.28\n');
    assert.equal(workspace.revision, revision, 'the workspace did not change');
    const after = build();
    assert.deepEqual(after.command, ['run', 'debug']);
    assert.equal(after.image, 'nginx:1.28');
    assert.match(after.envFrom[0].configMapRef.name, /^settings-[a-z0-9]{10}$/);
    assert.notEqual(after.envFrom[0].configMapRef.name, before.envFrom[0].configMapRef.name, 'the hash of the new data');
  });
});

test("inside one check pass a generator's file is checked once per memo entry: the pass sees one state of app.env, the next pass the new one", () => {
  const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: "nginx:1.27"\n    env:\n    - name: L\n      valueFrom: {configMapKeyRef: {name: settings, key: LEVEL}}\n`;
  onDisk({ 'app/kustomization.yaml': 'resources: [pod.yaml]\nconfigMapGenerator:\n- name: settings\n  envs: [app.env]\n', 'app/pod.yaml': pod, 'app/app.env': 'LEVEL=info\n' }, (workspace, uriOf) => {
    const missingKeys = () => checkFile(workspace.get(uriOf('app/pod.yaml'))!, workspace).filter((f) => f.ruleId === 'missing-config-key').length;
    inSourcesPass(() => {
      assert.equal(missingKeys(), 0);
      writeFileSync(fileURLToPath(uriOf('app/app.env')), 'OTHER=1\n');
      assert.equal(missingKeys(), 0, 'the same pass: the memo entry verified in it is reused without a stat');
    });
    assert.equal(missingKeys(), 1, 'the next pass stats the file again and sees LEVEL gone');
  });
});

test("in the editor, a generator's env file is watched by name and saving it checks the open files again (it is no manifest: no revision moves)", async () => {
  const deployment = webDeployment(`      - name: web
        image: "nginx:1.27"
        env:
        - name: LEVEL
          valueFrom: {configMapKeyRef: {name: settings, key: LEVEL}}
`);
  const files = { 'app/kustomization.yaml': 'resources: [deployment.yaml]\nconfigMapGenerator:\n- name: settings\n  envs: [app.env]\n', 'app/deployment.yaml': deployment };
  await inEditor(files, async (client, uriOf) => {
    const env = uriOf('app/app.env');
    const watched = () => client.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles').flatMap((r) => (r.registerOptions as { watchers: { globPattern: unknown }[] }).watchers.map((w) => w.globPattern));
    const keyFindings = (p: { diagnostics: { code?: unknown; message: unknown }[] }) => p.diagnostics.filter((d) => d.code === 'missing-config-key').map((d) => String(d.message));
    // Waits for the publication the saved file brings (an earlier one, of the scan, may still arrive first).
    const saved = async (text: string, expected: number) => {
      writeFileSync(fileURLToPath(env), text);
      const next = client.nextDiagnostics(uriOf('app/deployment.yaml'), (p) => keyFindings(p).length === expected);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: env, type: 2 }] });
      return keyFindings(await next);
    };
    for (let i = 0; i < 400 && !watched().includes('**/app.env'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(watched(), ['**/*.{yaml,yml,json}', '**/app.env'], 'the manifests, then the generator file by name');
    const missing = await saved('OTHER=1\n', 1);
    assert.match(missing[0], /"LEVEL"/);
    assert.deepEqual(await saved('LEVEL=info\n', 0), [], 'the key the edited file now gives');
  });
});
