// Which build the Dry-run shows (server/src/scope/dry-run-builds.ts): a base used by several
// overlays gets one lens per overlay, each running that overlay's build; a JSON 6902 patch file
// gets the Dry-run of the workload its target selects (code lenses and kdry/simulate over stdio).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inEditor, uri, workspaceOf } from './helpers';
import { json6902Targets, overlaysBuilding, requestedBuild } from '../../server/src/scope/dry-run-builds';

const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "nginx:1.27", resources: {requests: {cpu: 100m}}}]\n';
const files: Record<string, string> = {
  'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
  'base/deployment.yaml': deployment,
  'overlays/prod/kustomization.yaml': 'namePrefix: prod-\nresources: [../../base]\nreplicas:\n- {name: web, count: 4}\n',
  'overlays/staging/kustomization.yaml': 'namePrefix: staging-\nresources: [../../base]\npatches:\n- path: ops.yaml\n  target: {kind: Deployment, name: web}\n',
  'overlays/staging/ops.yaml': '- {op: replace, path: /spec/replicas, value: 3}\n',
  'components/extra/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonLabels: {extra: "yes"}\n',
  'overlays/with-component/kustomization.yaml': 'resources: [../prod]\ncomponents: [../../components/extra]\n',
};

test('the overlays at the top of a build of a base file, the component left out; the objects a JSON 6902 patch file selects', () => {
  const w = workspaceOf(files);
  assert.deepEqual(overlaysBuilding(w, uri('base/deployment.yaml')).map((u) => u.uri).sort(), [uri('overlays/staging/kustomization.yaml'), uri('overlays/with-component/kustomization.yaml')]);
  assert.deepEqual(overlaysBuilding(w, uri('overlays/staging/ops.yaml')), []);
  assert.deepEqual(json6902Targets(w, uri('overlays/staging/ops.yaml')).map((t) => [t.entry.uri, t.root.uri]), [[uri('base/deployment.yaml'), uri('overlays/staging/kustomization.yaml')]]);
});

test('a Dry-run asks for a build by its kustomization: one that does not build the file, or that kdry has not read, is an error', () => {
  const w = workspaceOf(files);
  const staging = requestedBuild(w, uri('base/deployment.yaml'), uri('overlays/staging/kustomization.yaml'));
  assert.equal('root' in staging && staging.root?.uri, uri('overlays/staging/kustomization.yaml'));
  assert.deepEqual(requestedBuild(w, uri('base/deployment.yaml'), undefined), {});
  assert.deepEqual(requestedBuild(w, uri('overlays/staging/ops.yaml'), uri('overlays/staging/kustomization.yaml')), {}, 'a patch file\'s own kustomization: its default build');
  assert.deepEqual(requestedBuild(w, uri('base/deployment.yaml'), uri('components/extra/kustomization.yaml')), { error: 'kustomize build /repo/components/extra does not build /repo/base/deployment.yaml: there is nothing of this file in it to run.' });
  assert.deepEqual(requestedBuild(w, uri('base/deployment.yaml'), uri('elsewhere/kustomization.yaml')), { error: '/repo/elsewhere/kustomization.yaml is not a kustomization kdry has read: there is no build of it to run.' });
});

test('a whole object deleted by a patch ($patch: delete) is left out of the build, by that patch', async () => {
  const { builtOrDeleted } = await import('../../server/src/scope/kustomize-build');
  const deletionOf: (...a: Parameters<typeof builtOrDeleted>) => ReturnType<typeof builtOrDeleted>['deletion'] = (...a) => builtOrDeleted(...a).deletion;
  const { unitIndex } = await import('../../server/src/scope/scope');
  const w = workspaceOf({ ...files, 'overlays/without/kustomization.yaml': 'resources: [../../base]\npatches:\n- path: gone.yaml\n', 'overlays/without/gone.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n$patch: delete\n' });
  const value = w.get(uri('base/deployment.yaml'))!.documents[0].value;
  const without = unitIndex(w).kustomization(uri('overlays/without/kustomization.yaml'));
  const deletion = deletionOf(w, uri('base/deployment.yaml'), value, without);
  assert.equal(deletion?.unit, without);
  assert.deepEqual(deletion?.source, { field: 'patches', index: 0, path: '/repo/overlays/without/gone.yaml' });
  assert.equal(deletionOf(w, uri('base/deployment.yaml'), value), undefined, 'the base itself keeps it');
  assert.equal(deletionOf(w, uri('base/deployment.yaml'), value, unitIndex(w).kustomization(uri('overlays/prod/kustomization.yaml'))), undefined);
  // The patch file's own Dry-run (its lens) runs the object it deletes: the same answer.
  assert.equal(deletionOf(w, uri('overlays/without/gone.yaml'), w.get(uri('overlays/without/gone.yaml'))!.documents[0].value)?.unit, without);
});

test('in the editor: one Dry-run lens per overlay above a base workload, each running its overlay\'s build; a JSON 6902 patch file\'s lens runs its target', async () => {
  const own = { ...files };
  delete own['overlays/with-component/kustomization.yaml'];
  delete own['components/extra/kustomization.yaml'];
  own['overlays/without/kustomization.yaml'] = 'resources: [../../base]\npatchesStrategicMerge:\n- |-\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web}\n  $patch: delete\n';
  await inEditor(own, async (client, uriOf) => {
    type Lens = { command?: { title: string; arguments?: { workload: unknown; kustomization?: string }[] } };
    const lenses = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: uriOf('base/deployment.yaml') } });
    const dryRuns = lenses.filter((l) => l.command?.title.startsWith('Dry-run'));
    assert.deepEqual(dryRuns.map((l) => [l.command!.title, l.command!.arguments?.[0].kustomization]).sort(), [
      ['Dry-run (overlays/prod)', uriOf('overlays/prod/kustomization.yaml')],
      ['Dry-run (overlays/staging)', uriOf('overlays/staging/kustomization.yaml')],
      ['Dry-run (overlays/without)', uriOf('overlays/without/kustomization.yaml')],
      ['Dry-run', undefined],
    ]);
    type Answer = { result?: { workload: { name: string }; summary: { peakPods: number } }; error?: string };
    const run = async (params: Record<string, unknown>) => {
      const r = await client.request<Answer>('kdry/simulate', params);
      assert.ok(r.result, r.error);
      return [r.result.workload.name, r.result.summary.peakPods];
    };
    assert.deepEqual(await run({ uri: uriOf('base/deployment.yaml') }), ['web', 2], 'kustomize build base');
    assert.deepEqual(await run({ uri: uriOf('base/deployment.yaml'), kustomization: uriOf('overlays/prod/kustomization.yaml') }), ['prod-web', 4]);
    assert.deepEqual(await run({ uri: uriOf('base/deployment.yaml'), kustomization: uriOf('overlays/staging/kustomization.yaml') }), ['staging-web', 3]);
    // An overlay that deletes the workload: the Dry-run says so instead of running it.
    const gone = await client.request<Answer>('kdry/simulate', { uri: uriOf('base/deployment.yaml'), kustomization: uriOf('overlays/without/kustomization.yaml') });
    assert.equal(gone.result, undefined);
    assert.equal(gone.error, 'kustomize build leaves Deployment "web" out: its patchesStrategicMerge[0] in `without/kustomization.yaml` deletes it (`$patch: delete`), so there is nothing to run.');
    // A kustomization kdry does not know, or one that does not build the file: an error, not the default build under the overlay's title.
    const unknown = await client.request<Answer>('kdry/simulate', { uri: uriOf('base/deployment.yaml'), kustomization: uriOf('overlays/nope/kustomization.yaml') });
    assert.equal(unknown.result, undefined);
    assert.match(unknown.error ?? '', /overlays\/nope\/kustomization\.yaml is not a kustomization kdry has read: there is no build of it to run\./);
    const elsewhere = await client.request<Answer>('kdry/simulate', { uri: uriOf('base/deployment.yaml'), kustomization: uriOf('overlays/staging/kustomization.yaml').replace('overlays/staging', 'base') });
    assert.ok(elsewhere.result, 'the file\'s own kustomization, named, is its default build');

    const patchLenses = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: uriOf('overlays/staging/ops.yaml') } });
    assert.deepEqual(patchLenses.map((l) => [l.command?.title, l.command?.arguments?.[0].workload]), [['Dry-run', { kind: 'Deployment', name: 'web' }]]);
    assert.deepEqual(await run({ uri: uriOf('overlays/staging/ops.yaml'), workload: { kind: 'Deployment', name: 'web' } }), ['staging-web', 3], 'the JSON patch sets 3 replicas');
  });
});

test('a JSON 6902 patch acts in every build of the kustomizations that list it: one Dry-run lens per build (the overlay above, a second kustomization listing the same file), each running that build', async () => {
  const shared: Record<string, string> = {
    'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'base/deployment.yaml': deployment,
    'patches/replicas.yaml': '- {op: replace, path: /spec/replicas, value: 3}\n',
    'overlays/staging/kustomization.yaml': 'namePrefix: staging-\nresources: [../../base]\npatches:\n- path: ../../patches/replicas.yaml\n  target: {kind: Deployment, name: web}\n',
    'overlays/staging-eu/kustomization.yaml': 'namePrefix: eu-\nresources: [../staging]\nreplicas:\n- {name: staging-web, count: 5}\n',
    'overlays/qa/kustomization.yaml': 'namePrefix: qa-\nresources: [../../base]\npatches:\n- path: ../../patches/replicas.yaml\n  target: {kind: Deployment, name: web}\n',
  };
  const w = workspaceOf(shared);
  const roots = json6902Targets(w, uri('patches/replicas.yaml')).map((t) => t.root.uri);
  assert.deepEqual([roots.slice(0, 2).sort(), roots.slice(2)], [[uri('overlays/qa/kustomization.yaml'), uri('overlays/staging/kustomization.yaml')], [uri('overlays/staging-eu/kustomization.yaml')]], 'the kustomizations that list it first (the default build), then the overlay above one');
  await inEditor(shared, async (client, uriOf) => {
    type Lens = { command?: { title: string; arguments?: { workload: unknown; kustomization?: string }[] } };
    const patch = uriOf('patches/replicas.yaml');
    const lenses = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: patch } });
    assert.deepEqual(lenses.map((l) => [l.command?.title, l.command?.arguments?.[0].kustomization]).sort(), [
      ['Dry-run (overlays/qa)', uriOf('overlays/qa/kustomization.yaml')],
      ['Dry-run (overlays/staging)', uriOf('overlays/staging/kustomization.yaml')],
      ['Dry-run (overlays/staging-eu)', uriOf('overlays/staging-eu/kustomization.yaml')],
    ]);
    type Answer = { result?: { workload: { name: string }; summary: { peakPods: number } }; error?: string };
    const run = async (kustomization?: string) => {
      const r = await client.request<Answer>('kdry/simulate', { uri: patch, workload: { kind: 'Deployment', name: 'web' }, ...(kustomization ? { kustomization: uriOf(kustomization) } : {}) });
      assert.ok(r.result, r.error);
      return [r.result.workload.name, r.result.summary.peakPods];
    };
    assert.deepEqual(await run('overlays/qa/kustomization.yaml'), ['qa-web', 3]);
    assert.deepEqual(await run('overlays/staging/kustomization.yaml'), ['staging-web', 3]);
    assert.deepEqual(await run('overlays/staging-eu/kustomization.yaml'), ['eu-staging-web', 5], "the overlay's replicas: after the patch");
  });
});

test('two kustomizations that list one JSON 6902 patch, both built by one top kustomization: one Dry-run of that top build, not one per lister', () => {
  const w = workspaceOf({
    'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'base/deployment.yaml': deployment,
    'patches/replicas.yaml': '- {op: replace, path: /spec/replicas, value: 3}\n',
    'overlays/qa/kustomization.yaml': 'namePrefix: qa-\nresources: [../../base]\npatches:\n- path: ../../patches/replicas.yaml\n  target: {kind: Deployment, name: web}\n',
    'overlays/staging/kustomization.yaml': 'namePrefix: staging-\nresources: [../../base]\npatches:\n- path: ../../patches/replicas.yaml\n  target: {kind: Deployment, name: web}\n',
    'clusters/kustomization.yaml': 'resources: [../overlays/qa, ../overlays/staging]\n',
  });
  const roots = json6902Targets(w, uri('patches/replicas.yaml')).map((t) => t.root.uri);
  assert.deepEqual([roots.slice(0, 2).sort(), roots.slice(2)], [[uri('overlays/qa/kustomization.yaml'), uri('overlays/staging/kustomization.yaml')], [uri('clusters/kustomization.yaml')]]);
});
