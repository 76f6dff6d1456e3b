// The language server's per-document cache (check-cache.ts) must not change a finding: after every
// edit, checkFile with the cache says exactly what checkFile without it says, while documents that
// did not change are not checked again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFile, checkFilePlaced } from '../../server/src/check';
import { atTheirPlaces } from '../../server/src/placed-findings';
import { CheckCache } from '../../server/src/check-cache';
import { fixesOf, type Finding } from '../../server/src/findings';
import { parseManifest } from '../../server/src/manifest';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { WorkspaceIndex } from '../../server/src/workspace';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: webb}\n  ports: [{port: 80, targetPort: htpp}]\n';

/** Findings with their fixes built: fixes are functions, compared by what they build (edits shifted with their document). */
const built = (findings: Finding[]) => findings.map((f) => ({ ...f, fixes: fixesOf(f) }));

/** Counts the cross-document rules' lookups of pod templates (workspace-lookup.ts lists the files). */
class CountingWorkspace extends WorkspaceIndex {
  lookups = 0;
  override uris(): string[] {
    this.lookups++;
    return super.uris();
  }
}

test('with a cache, the findings after each edit are those of a fresh check', () => {
  const seed = readFileSync(join(EXAMPLES, 'original', 'deployment-rolling-update.yaml'), 'utf8');
  const deployment = readFileSync(join(EXAMPLES, 'corrected', 'deployment-nginx.yaml'), 'utf8');
  const uri = 'file:///ws/app.yaml';
  const other = 'file:///ws/other.yaml';
  let generation = 0;
  const cache = new CheckCache(() => generation);
  const workspace = new CountingWorkspace();
  const steps: [string, string, (() => void)?][] = [
    ['open', [SERVICE, seed, deployment].join('---\n')],
    ['a line added above every document', ['# top', SERVICE, seed, deployment].join('---\n')],
    ['one document edited', ['# top', SERVICE, seed.replace('maxSurge: 0', 'maxSurge: 200%'), deployment].join('---\n')],
    ['a document duplicated', ['# top', SERVICE, SERVICE, seed, deployment].join('---\n')],
    ['another file changes what cross-document rules see', ['# top', SERVICE, seed, deployment].join('---\n'), () => {
      workspace.set(parseManifest(deployment.replace(/app: nginx/g, 'app: webb'), other));
      generation++;
    }],
    ['a kustomization makes the file a patch', ['# top', SERVICE, seed, deployment].join('---\n'), () => {
      workspace.set(parseManifest('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\npatches:\n- path: app.yaml\n', 'file:///ws/kustomization.yaml'));
      generation++;
    }],
  ];
  for (const [step, text, before] of steps) {
    before?.();
    const file = parseManifest(text, uri);
    workspace.set(file);
    const looked = workspace.lookups;
    const fresh = checkFile(file, workspace);
    // (a patch is a partial object: the cross-document rules skip it)
    if (!step.includes('patch')) assert.ok(workspace.lookups > looked, `${step}: a fresh check runs the cross-document rules`);
    const cached = checkFile(file, workspace, DEFAULT_SETTINGS, cache);
    assert.deepEqual(built(cached), built(fresh), step);
    assert.ok(fresh.length > 0, step);
    // The same text parsed again, nothing else changed: no document is checked again.
    const lookups = workspace.lookups;
    const again = checkFile(parseManifest(text, uri), workspace, DEFAULT_SETTINGS, cache);
    assert.deepEqual(built(again), built(fresh), step);
    assert.equal(workspace.lookups, lookups, `${step}: no cross-document rule ran again`);
    if (step === 'open') assert.ok(again.every((f, i) => f === cached[i]), 'the very findings the cache holds');
  }
  // the settings object changed: schema findings come and go with it
  const file = workspace.get(uri)!;
  const noSchema = { ...DEFAULT_SETTINGS, schemaValidation: false };
  assert.deepEqual(built(checkFile(file, workspace, noSchema, cache)), built(checkFile(file, workspace, noSchema)));
  assert.deepEqual(built(checkFile(file, workspace, DEFAULT_SETTINGS, cache)), built(checkFile(file, workspace, DEFAULT_SETTINGS)));
});

test('the cache holds the documents of the last check only: one removed from the file is forgotten', () => {
  const deployment = readFileSync(join(EXAMPLES, 'corrected', 'deployment-nginx.yaml'), 'utf8');
  const uri = 'file:///ws/app.yaml';
  const workspace = new WorkspaceIndex();
  const cache = new CheckCache(() => 0);
  const held = () => cache.localEntries().map((e) => e.source).sort();
  const check = (text: string) => {
    const file = parseManifest(text, uri);
    workspace.set(file);
    checkFile(file, workspace, DEFAULT_SETTINGS, cache);
    return file.documents.map((d) => d.source).sort();
  };
  assert.deepEqual(held(), []);
  const both = check([SERVICE, deployment].join('---\n'));
  assert.equal(both.length, 2);
  assert.deepEqual(held(), both);
  const alone = check(deployment);
  assert.deepEqual(held(), alone);
  // The same source twice in one file: one entry for it.
  const twice = check([deployment, deployment, deployment].join('---\n'));
  assert.deepEqual(held(), [...new Set(twice)]);
});

test('local findings computed elsewhere hold only for the patch role and settings they were computed with', () => {
  // Partial Deployments: as objects they miss required fields, as a kustomize patch they do not.
  const text = ['a', 'b'].map((name) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 2\n`).join('---\n');
  const uri = 'file:///ws/patch.yaml';
  const file = parseManifest(text, uri);
  const plain = new WorkspaceIndex();
  const patched = new WorkspaceIndex();
  patched.set(parseManifest('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\npatches:\n  - path: patch.yaml\n', 'file:///ws/kustomization.yaml'));
  assert.ok(patched.isPatch(uri));
  const localOf = (workspace: WorkspaceIndex) => {
    const local = new CheckCache(() => 0, true);
    checkFile(file, workspace, DEFAULT_SETTINGS, local);
    return local.localEntries();
  };
  const asObjects = built(checkFile(file, plain));
  const asPatch = built(checkFile(file, patched));
  assert.notDeepEqual(asObjects, asPatch);
  for (const [computedOn, checkedOn, expected] of [[plain, patched, asPatch], [patched, plain, asObjects]] as const) {
    const cache = CheckCache.fromLocalEntries(() => 0, localOf(computedOn), { patch: computedOn === patched, settings: DEFAULT_SETTINGS });
    assert.deepEqual(built(checkFile(file, checkedOn, DEFAULT_SETTINGS, cache)), expected);
  }
  // Other settings: the entries are dropped (schema validation off gives no schema finding).
  const noSchema = { ...DEFAULT_SETTINGS, schemaValidation: false };
  const cache = CheckCache.fromLocalEntries(() => 0, localOf(plain), { patch: false, settings: DEFAULT_SETTINGS });
  assert.deepEqual(built(checkFile(file, plain, noSchema, cache)), built(checkFile(file, plain, noSchema)));
});

test('a keystroke above documents copies none of their findings: each comes with how far its document moved', () => {
  const seed = readFileSync(join(EXAMPLES, 'original', 'deployment-rolling-update.yaml'), 'utf8');
  const uri = 'file:///ws/app.yaml';
  const workspace = new WorkspaceIndex();
  const cache = new CheckCache(() => 0);
  const check = (text: string) => {
    const file = parseManifest(text, uri);
    workspace.set(file);
    return { file, placed: checkFilePlaced(file, workspace, DEFAULT_SETTINGS, cache) };
  };
  const before = check([SERVICE, seed, SERVICE.replace('web', 'api')].join('---\n'));
  assert.ok(before.placed.shifts.every((s) => s === 0));
  // Typing `x` in the first document's name: the two below it move by one character.
  const after = check([SERVICE.replace('name: web', 'name: webx'), seed, SERVICE.replace('web', 'api')].join('---\n'));
  const below = after.file.documents[1].offset;
  const moved = after.placed.findings.flatMap((f, i) => (f.range[0] + after.placed.shifts[i] >= below ? [i] : []));
  assert.ok(moved.length > 3, 'findings in the documents below the edit');
  for (const i of moved) {
    assert.equal(after.placed.shifts[i], 1);
    assert.ok(before.placed.findings.includes(after.placed.findings[i]), 'the very finding of the check before');
  }
  // At their places they are a fresh check's, fixes included.
  assert.deepEqual(built(atTheirPlaces(after.placed)), built(checkFile(after.file, workspace)));
});
