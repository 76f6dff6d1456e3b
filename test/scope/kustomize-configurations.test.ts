// kustomize's built-in transformers know the built-in kinds' fields only
// (api/internal/konfig/builtinpluginconsts commonlabels.go, namereference.go): an Argo Rollout's
// template gets no commonLabels and its configMapRef keeps the generator's name without the hash,
// unless the kustomization adds Argo's field specs under `configurations:`
// (argo-rollouts docs/features/kustomize/rollout-transform.yaml). Checked against kustomize v5.5.0
// (`kubectl kustomize` of the trial's r16 and r16b).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsIn, uri, workspaceOf } from './helpers';
import { builtObject } from '../../server/src/scope/kustomize-build';
import { valueAt } from '../../server/src/manifest/pod-template';

const rollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        envFrom:
        - configMapRef: {name: web-config}
  strategy: {canary: {steps: [{setWeight: 50}]}}
`;
const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n';
const kustomization = 'resources: [rollout.yaml, service.yaml]\ncommonLabels: {team: shop}\nconfigMapGenerator:\n- name: web-config\n  literals: [MODE=prod]\n';
const TRANSFORM = `nameReference:
- kind: ConfigMap
  version: v1
  fieldSpecs:
  - path: spec/template/spec/containers/envFrom/configMapRef/name
    kind: Rollout
commonLabels:
- path: spec/selector/matchLabels
  create: true
  kind: Rollout
- path: spec/template/metadata/labels
  create: true
  kind: Rollout
`;

test('without configurations: the Service selects nothing and the Rollout names a ConfigMap the build does not have (trial T15)', () => {
  const ws = workspaceOf({ 'app/kustomization.yaml': kustomization, 'app/rollout.yaml': rollout, 'app/service.yaml': service });
  const built = builtObject(ws, uri('app/rollout.yaml'), ws.get(uri('app/rollout.yaml'))!.documents[0].value);
  assert.deepEqual(valueAt(built, ['spec', 'template', 'metadata', 'labels']), { app: 'web' }, 'kustomize build leaves the template alone');
  assert.equal(valueAt(built, ['spec', 'template', 'spec', 'containers', 0, 'envFrom', 0, 'configMapRef', 'name']), 'web-config');
  const [selects] = findingsIn(ws, 'app/service.yaml', 'service-selects-nothing');
  assert.match(selects?.message ?? '', /selects app=web \(with team=shop from its kustomization\), which no pod template/);
  const [missing] = findingsIn(ws, 'app/rollout.yaml', 'missing-reference');
  assert.match(missing?.message ?? '', /ConfigMap "web-config" is not in scope .* Its generator names it "web-config-2h42td9ggm", and kustomize does not rewrite a Rollout's references/);
});

test('with Argo\'s rollout-transform.yaml under configurations: labels and the hashed name reach the Rollout', () => {
  const ws = workspaceOf({ 'app/kustomization.yaml': `${kustomization}configurations: [rollout-transform.yaml]\n`, 'app/rollout-transform.yaml': TRANSFORM, 'app/rollout.yaml': rollout, 'app/service.yaml': service });
  const built = builtObject(ws, uri('app/rollout.yaml'), ws.get(uri('app/rollout.yaml'))!.documents[0].value);
  assert.deepEqual(valueAt(built, ['spec', 'template', 'metadata', 'labels']), { app: 'web', team: 'shop' });
  assert.deepEqual(valueAt(built, ['spec', 'selector', 'matchLabels']), { app: 'web', team: 'shop' });
  assert.equal(valueAt(built, ['spec', 'template', 'spec', 'containers', 0, 'envFrom', 0, 'configMapRef', 'name']), 'web-config-2h42td9ggm');
  assert.deepEqual(findingsIn(ws, 'app/service.yaml', 'service-selects-nothing'), []);
  assert.deepEqual(findingsIn(ws, 'app/rollout.yaml', 'missing-reference'), []);
});

test('a Rollout\'s pod template references are checked as a Deployment\'s (trial T15, r16c)', () => {
  const ws = workspaceOf({ 'rollout.yaml': rollout.replace('web-config', 'nope') });
  const [missing, ...rest] = findingsIn(ws, 'rollout.yaml', 'missing-reference');
  assert.equal(rest.length, 0);
  assert.match(missing.message, /^ConfigMap "nope" is not in scope/);
  assert.equal(missing.text, 'nope');
});

test('a configurations file that does not exist fails the build (kusttarget.go makeCustomizedResMap loads each); one the workspace holds does not', () => {
  const ws = workspaceOf({ 'app/kustomization.yaml': `${kustomization}configurations:\n- rollout-transform.yaml\n- missing-transform.yaml\n`, 'app/rollout-transform.yaml': TRANSFORM, 'app/rollout.yaml': rollout, 'app/service.yaml': service });
  const problems = findingsIn(ws, 'app/kustomization.yaml', 'kustomize-build');
  assert.deepEqual(
    problems.map((p) => [p.severity, p.text, p.message]),
    [['error', 'missing-transform.yaml', 'kustomize build fails: the configurations file "missing-transform.yaml" does not exist (kustomize loads each one to configure its transformers).']],
  );
});
