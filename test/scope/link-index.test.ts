// The index of what could link to an object (scope/link-index.ts) follows edits: after each edit
// of one file, the references naming an object and the selectors that could select a set of labels
// are those of a fresh workspace of the same texts, in the same order, and no selector that matches
// is left out (the index may only skip what cannot match).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestCache, parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { referencesNaming, selectorsFor } from '../../server/src/scope/link-index';
import { labelSelectorMatches, serviceSelectorMatches } from '../../server/src/k8s/labels';
import { valueAt } from '../../server/src/manifest/pod-template';
import { uri } from './helpers';

const deployment = (name: string, labels: string, config: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  selector: {matchLabels: ${labels}}\n  template:\n    metadata: {labels: ${labels}}\n    spec: {containers: [{name: c, image: nginx, envFrom: [{configMapRef: {name: ${config}}}]}]}\n`;
const service = (name: string, selector: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  selector: ${selector}\n  ports: [{port: 80}]\n`;
const pdb = (name: string, selector: string) => `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: ${name}}\nspec:\n  minAvailable: 1\n  selector: ${selector}\n`;
const policy = (name: string, selector: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  podSelector: ${selector}\n`;

const LABELS = { app: 'web', tier: 'b' };

/** Every Service, budget and policy whose written selector matches LABELS, scanned as before the index. */
function scanned(w: WorkspaceIndex): string[] {
  const out: string[] = [];
  for (const [kind, path] of [['Service', ['spec', 'selector']], ['PodDisruptionBudget', ['spec', 'selector']], ['NetworkPolicy', ['spec', 'podSelector']]] as const) {
    for (const e of w.documents(kind)) {
      const selector = valueAt(e.doc.value, [...path]) as never;
      if (kind === 'Service' ? serviceSelectorMatches(selector, LABELS) : labelSelectorMatches(selector, LABELS)) out.push(`${e.uri} ${e.doc.kind} ${e.doc.name}`);
    }
  }
  return out;
}

test('references by name and selectors by label after edits answer as on a fresh workspace, and skip no selector that matches', () => {
  const fixed: Record<string, string> = {
    'a/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\n',
    'a/one.yaml': deployment('one', '{app: web}', 'web-config'),
    'a/selectors.yaml': [service('web', '{app: web}'), service('two-pairs', '{tier: b, app: web}'), service('none', '{}'), pdb('expr', '{matchExpressions: [{key: app, operator: In, values: [web]}]}'), policy('all', '{}'), policy('other', '{matchLabels: {app: api}}')].join('---\n'),
    'b/two.yaml': deployment('two', '{app: web, tier: b}', 'web-config'),
  };
  const edited = 'a/edited.yaml';
  const texts = [
    deployment('three', '{app: web}', 'web-config'),
    deployment('three', '{app: web}', 'web-config').replace('image: nginx', 'image: nginx:1.27'),
    deployment('three', '{app: web}', 'other-config'),
    `${service('edited', '{tier: b}')}---\n${deployment('three', '{app: web}', 'web-config')}`,
    pdb('edited', '{matchLabels: {app: web, tier: c}}'),
    pdb('edited', '{matchLabels: {tier: b}}'),
    'kind: ConfigMap\n',
  ];
  const workspace = new WorkspaceIndex();
  const cache = new ManifestCache();
  for (const [path, text] of Object.entries({ ...fixed, [edited]: texts[0] })) workspace.set(parseManifest(text, uri(path), path === edited ? cache : undefined));
  const answers = (w: WorkspaceIndex) => {
    const refs = referencesNaming(w, 'ConfigMap', 'web-config');
    const selectors = selectorsFor(w, LABELS);
    for (const e of [...refs.map((r) => r.entry), ...selectors]) assert.ok(w.get(e.uri)!.documents.includes(e.doc), `${e.uri} ${e.doc.name}: the current document`);
    const candidates = selectors.map((e) => `${e.uri} ${e.doc.kind} ${e.doc.name}`);
    for (const match of scanned(w)) assert.ok(candidates.includes(match), `${match} is a candidate`);
    assert.ok(!candidates.some((c) => c.endsWith('Service none') || c.endsWith('NetworkPolicy other')), 'an empty Service selector and another label are skipped');
    return { refs: refs.map((r) => `${r.entry.uri} ${r.entry.doc.name} ${r.ref.path.join('.')}`), candidates };
  };
  for (const text of texts) {
    answers(workspace);
    workspace.set(parseManifest(text, uri(edited), cache));
    const fresh = new WorkspaceIndex();
    for (const [path, t] of Object.entries({ ...fixed, [edited]: text })) fresh.set(parseManifest(t, uri(path)));
    assert.deepEqual(answers(workspace), answers(fresh), text);
  }
  assert.deepEqual(answers(workspace).refs, [`${uri('a/one.yaml')} one spec.template.spec.containers.0.envFrom.0.configMapRef.name`, `${uri('b/two.yaml')} two spec.template.spec.containers.0.envFrom.0.configMapRef.name`]);
});
