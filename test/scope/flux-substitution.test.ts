// Flux post-build substitution (trial T20): a Flux Kustomization with `spec.postBuild` substitutes
// `${var}` in the objects of the folder its `spec.path` names before applying them (fluxcd/pkg
// kustomize/kustomize_varsub.go SubstituteVariables, drone/envsubst, the text read back as YAML).
// kdry judges the substituted values, and says nothing on a value whose variable it cannot know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsIn, uri, workspaceOf } from './helpers';
import { envsubst } from '../../server/src/scope/flux-substitution';
import { parseManifest } from '../../server/src/manifest';

const flux = (postBuild: string, path = './apps/web') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: web, namespace: flux-system}
spec:
  interval: 10m
  path: ${path}
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  postBuild:
${postBuild}`;
const deployment = (labels = '{env: "${ENV}"}', extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: ${labels}${extra}
spec:
  replicas: \${REPLICAS}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;
const INLINE = '    substitute: {REPLICAS: "3", ENV: prod}\n';
const problems = (files: Record<string, string>) => findingsIn(workspaceOf(files), 'apps/web/deployment.yaml').map((f) => `${f.ruleId}: ${f.message}`);

test('the values Flux substitutes are judged as substituted: no false error on ${REPLICAS} and ${ENV} (trial T20, r22)', () => {
  assert.deepEqual(problems({ 'clusters/prod/web.yaml': flux(INLINE), 'apps/web/deployment.yaml': deployment() }), []);
  // The same folder without the Flux Kustomization: the API server would see the text itself.
  const plain = problems({ 'apps/web/deployment.yaml': deployment() });
  assert.ok(plain.some((p) => p.startsWith('schema: spec.replicas must be an integer, but it is the string "${REPLICAS}"')), plain.join('\n'));
});

test('a substituted value that is wrong is reported with its value', () => {
  const found = problems({ 'clusters/prod/web.yaml': flux('    substitute: {REPLICAS: "three", ENV: "not valid!"}\n'), 'apps/web/deployment.yaml': deployment() });
  assert.ok(found.some((p) => p.startsWith('schema: spec.replicas must be an integer, but it is the string "three"')), found.join('\n'));
  assert.ok(found.some((p) => p.startsWith('invalid-label:') && p.includes('"not valid!"')), found.join('\n'));
});

test('substituteFrom a ConfigMap and a Secret of the repository; the inline values win', () => {
  const sources = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vars, namespace: flux-system}\ndata: {REPLICAS: "2", ENV: "bad value"}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: secret-vars, namespace: flux-system}\ndata: {ENV: ${Buffer.from('also bad!').toString('base64')}}\n`;
  const from = '    substituteFrom:\n    - {kind: ConfigMap, name: vars}\n    - {kind: Secret, name: secret-vars}\n';
  const fromSecret = problems({ 'clusters/prod/web.yaml': flux(from), 'clusters/prod/vars.yaml': sources, 'apps/web/deployment.yaml': deployment() });
  assert.deepEqual(fromSecret.filter((p) => p.startsWith('invalid-label')).length, 1);
  assert.ok(fromSecret[0].includes('"also bad!"'), 'the Secret, later, overrides the ConfigMap: ' + fromSecret.join('\n'));
  assert.deepEqual(problems({ 'clusters/prod/web.yaml': flux(from + '    substitute: {ENV: prod}\n'), 'clusters/prod/vars.yaml': sources, 'apps/web/deployment.yaml': deployment() }), []);
});

test('the scopes are kept across an edit of an ordinary manifest and follow an edit of the source ConfigMap (keyed on what they read, not on every revision)', () => {
  const sources = (env: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vars, namespace: flux-system}\ndata: {REPLICAS: "2", ENV: "${env}"}\n`;
  const ws = workspaceOf({ 'clusters/prod/web.yaml': flux('    substituteFrom:\n    - {kind: ConfigMap, name: vars}\n'), 'clusters/prod/vars.yaml': sources('prod'), 'apps/web/deployment.yaml': deployment() });
  const labelProblems = () => findingsIn(ws, 'apps/web/deployment.yaml', 'invalid-label').map((f) => f.message);
  assert.deepEqual(labelProblems(), []);
  // A keystroke elsewhere (a new revision, same structure): still substituted from the same values.
  ws.set(parseManifest(deployment('{env: "${ENV}", tier: web}'), uri('apps/web/deployment.yaml')));
  assert.deepEqual(labelProblems(), []);
  // The ConfigMap edited: the new value is substituted and judged.
  ws.set(parseManifest(sources('not valid!'), uri('clusters/prod/vars.yaml')));
  assert.equal(labelProblems().length, 1);
  assert.match(labelProblems()[0], /"not valid!"/);
});

test('a variable kdry cannot know (a source only in the cluster, an unset one) leaves the value unjudged, never a false error', () => {
  assert.deepEqual(problems({ 'clusters/prod/web.yaml': flux('    substituteFrom:\n    - {kind: ConfigMap, name: cluster-vars}\n'), 'apps/web/deployment.yaml': deployment() }), []);
  // Only ENV known: REPLICAS is unset (another Flux Kustomization's patch may set it).
  assert.deepEqual(problems({ 'clusters/prod/web.yaml': flux('    substitute: {ENV: prod}\n'), 'apps/web/deployment.yaml': deployment() }), []);
  // A default applies when every source is known.
  const defaulted = problems({ 'clusters/prod/web.yaml': flux('    substitute: {REPLICAS: "1"}\n'), 'apps/web/deployment.yaml': deployment('{env: "${ENV:=bad default}"}') });
  assert.ok(defaulted.some((p) => p.startsWith('invalid-label:') && p.includes('"bad default"')), defaulted.join('\n'));
});

test('an object with substitution disabled, or outside the folder Flux builds, is judged as written', () => {
  const disabled = problems({ 'clusters/prod/web.yaml': flux(INLINE), 'apps/web/deployment.yaml': deployment('{env: "${ENV}", kustomize.toolkit.fluxcd.io/substitute: disabled}') });
  assert.ok(disabled.some((p) => p.startsWith('schema: spec.replicas must be an integer')), disabled.join('\n'));
  const elsewhere = problems({ 'clusters/prod/web.yaml': flux(INLINE, './apps/other'), 'apps/other/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', 'apps/web/deployment.yaml': deployment() });
  assert.ok(elsewhere.some((p) => p.startsWith('schema: spec.replicas must be an integer')), elsewhere.join('\n'));
});

test('envsubst as drone/envsubst: $$ escapes, $VAR, the default forms; unknown forms and unset variables are unknown', () => {
  const scope = { vars: new Map([['A', 'x'], ['E', '']]), incomplete: false };
  assert.equal(envsubst('a-${A}-$A-$${A}', scope), 'a-x-x-${A}');
  assert.equal(envsubst('${E:-d} ${E-d} ${U:=u} ${U=v}', scope), 'd  u v');
  assert.equal(envsubst('${U}', scope), undefined);
  assert.equal(envsubst('${A/x/y}', scope), undefined);
  assert.equal(envsubst('${U:-d}', { ...scope, incomplete: true }), undefined, 'a source kdry lacks may set it');
  assert.equal(envsubst('cost: 5$', scope), 'cost: 5$');
});
