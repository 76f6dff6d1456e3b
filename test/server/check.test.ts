// check.ts in process: the pipeline the server and the CLI share.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INTERNAL_ERROR } from '../../server/src/builtin-checks';
import { checkFile, MAX_CHECKED_DOCUMENTS, MAX_CHECKED_FILE_BYTES } from '../../server/src/check';
import { DEFAULT_SETTINGS, type KdrySettings } from '../../server/src/settings';
import { parseManifest } from '../../server/src/manifest';
import type { Finding } from '../../server/src/findings';
import { WorkspaceIndex } from '../../server/src/workspace';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DEPLOYMENT = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: "three"
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

function check(text: string, settings: Partial<KdrySettings> = {}) {
  const file = parseManifest(text, 'file:///t.yaml');
  const ws = new WorkspaceIndex();
  ws.set(file);
  return checkFile(file, ws, { ...DEFAULT_SETTINGS, ...settings });
}

test('schema findings sit on the value; kdry.schemaValidation and kdry.enable turn them off', () => {
  const text = DEPLOYMENT('web');
  const schema = check(text).filter((f) => f.ruleId === 'schema');
  assert.equal(schema.length, 1);
  assert.equal(text.slice(...schema[0].range), '"three"');
  assert.deepEqual(check(text, { schemaValidation: false }).filter((f) => f.ruleId === 'schema'), []);
  assert.deepEqual(check(text, { enable: false }), []);
  assert.equal(check(text, { rules: { schema: 'warning' } }).find((f) => f.ruleId === 'schema')?.severity, 'warning');
  assert.deepEqual(check(text, { rules: { schema: 'off' } }).filter((f) => f.ruleId === 'schema'), []);
});

test('a real rule that throws yields one internal-error finding per failing rule and file, and the other checks still run', () => {
  // The cross-document Service rules look through the workspace for pod templates; a workspace
  // that fails there (here: listing its files throws) makes the real, defineRule-wrapped rules throw.
  class FailingWorkspace extends WorkspaceIndex {
    override uris(): string[] {
      throw new Error('workspace listing failed');
    }
  }
  const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80, targetPort: http, protocol: Tcp}]\n`;
  const text = [service('a'), service('b'), service('c')].join('---\n');
  const file = parseManifest(text, 'file:///t.yaml');
  const healthy = new WorkspaceIndex();
  healthy.set(file);
  assert.deepEqual(checkFile(file, healthy).filter((f) => f.ruleId === INTERNAL_ERROR.id), []);
  const failing = new FailingWorkspace();
  failing.set(file);
  const findings = checkFile(file, failing);
  const internal = findings.filter((f) => f.ruleId === INTERNAL_ERROR.id);
  assert.deepEqual(internal.map((f) => /kdry's (\S+) check failed/.exec(f.message)?.[1]).sort(), ['service-selects-nothing', 'service-target-port']);
  for (const f of internal) {
    assert.equal(f.severity, INTERNAL_ERROR.severity);
    assert.match(f.message, /\(workspace listing failed\); its findings are missing/);
    assert.equal(text.slice(...f.range), 'apiVersion: v1', 'on the first line of the first document where it failed');
  }
  // Schema validation and the single-document rules are unaffected: one bad protocol per Service.
  assert.equal(findings.filter((f) => f.ruleId === 'schema').length, 3);
});

test('suppression comments name rules, or silence every rule on the next line', () => {
  const text = DEPLOYMENT('web');
  const at = (comment: string) => text.replace('  replicas:', `  ${comment}\n  replicas:`);
  assert.equal(check(at('# kdry-disable-next-line schema')).filter((f) => f.ruleId === 'schema').length, 0);
  assert.equal(check(at('# kdry-disable-next-line other, schema')).filter((f) => f.ruleId === 'schema').length, 0);
  assert.equal(check(at('# kdry-disable-next-line other')).filter((f) => f.ruleId === 'schema').length, 1);
  const bare = at('# kdry-disable-next-line');
  const replicasLine = bare.indexOf('  replicas:');
  assert.deepEqual(check(bare).filter((f) => f.range[0] >= replicasLine && f.range[0] < bare.indexOf('\n', replicasLine)), []);
  // the comment covers the next line only
  assert.equal(check(text.replace('spec:\n', 'spec:\n  # kdry-disable-next-line schema\n  minReadySeconds: 1\n')).filter((f) => f.ruleId === 'schema').length, 1);
  // inside a string it is no comment
  assert.equal(check(text.replace('spec:\n', 'metadata2: "#kdry-disable-next-line"\nspec:\n')).filter((f) => f.ruleId === 'schema').length, 2);
});

test('# kdry-disable-line silences its own line; a reason may follow --', () => {
  const text = DEPLOYMENT('web');
  const schemaOn = (t: string) => check(t).filter((f) => f.ruleId === 'schema').length;
  assert.equal(schemaOn(text.replace('replicas: "three"', 'replicas: "three" # kdry-disable-line schema -- templated by CI')), 0);
  assert.equal(schemaOn(text.replace('replicas: "three"', 'replicas: "three"  # kdry-disable-line')), 0);
  assert.equal(schemaOn(text.replace('replicas: "three"', 'replicas: "three" # kdry-disable-line other')), 1);
  // it does not reach the next line, and both forms combine on one line
  assert.equal(schemaOn(text.replace('spec:\n', 'spec: # kdry-disable-line schema\n')), 1);
  const both = text.replace('spec:\n', 'spec:\n  # kdry-disable-next-line other\n').replace('replicas: "three"', 'replicas: "three" # kdry-disable-line schema');
  assert.equal(schemaOn(both), 0);
});

test('not Kubernetes: nothing; templated: no syntax errors, but one finding that it was not checked; too large: one finding that says so', () => {
  assert.deepEqual(check('on: push\njobs:\n  build:\n    runs-on: [ubuntu\n'), []);
  assert.deepEqual(check('apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n  labels: {{ include "x" . }}: bad\n').map((f) => [f.ruleId, f.severity]), [['template-not-checked', 'info']]);
  const big = check(`${DEPLOYMENT('x')}---\n`.repeat(Math.ceil(MAX_CHECKED_FILE_BYTES / DEPLOYMENT('x').length) + 1));
  assert.equal(big.length, 1);
  assert.match(big[0].message, /not validated/);
});

test('past MAX_CHECKED_DOCUMENTS documents the rest is not checked, and one finding says so', () => {
  const docs = Array.from({ length: MAX_CHECKED_DOCUMENTS + 5 }, (_, i) => DEPLOYMENT(`d${i}`));
  const findings = check(docs.join('---\n'), { rules: {} });
  assert.equal(findings.filter((f) => f.ruleId === 'schema').length, MAX_CHECKED_DOCUMENTS);
  assert.equal(findings.filter((f) => f.ruleId === 'file-too-large').length, 1);
  assert.equal(check(docs.slice(0, MAX_CHECKED_DOCUMENTS).join('---\n')).filter((f) => f.ruleId === 'file-too-large').length, 0);
});

test('a broken Kubernetes document gets its syntax errors, a duplicate key on the key', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n';
  const [dup] = check(text).filter((f) => f.ruleId === 'yaml-syntax');
  assert.equal(text.slice(...dup.range), 'name');
  assert.equal(dup.range[0], text.lastIndexOf('name'));
  const tabs = check('apiVersion: v1\nkind: Service\nmetadata:\n\tname: a\n');
  assert.ok(tabs.some((f) => f.ruleId === 'yaml-syntax'));
});

test('one mistake, one diagnostic: a rule on the same key replaces the schema finding, unless the rule is off', () => {
  const text = readFileSync(join(__dirname, '..', '..', 'examples', 'original', 'deployment-rolling-update.yaml'), 'utf8');
  const keys = (findings: Finding[]) => findings.map((f) => `${f.ruleId}@${text.slice(...f.range)}`).sort();
  assert.deepEqual(keys(check(text)), [
    'misplaced-rollout-fields@maxSurge',
    'misplaced-rollout-fields@maxUnavailable',
    'misplaced-rollout-fields@rollingUpdate',
    'misplaced-rollout-fields@type',
  ]);
  assert.deepEqual(keys(check(text, { rules: { 'misplaced-rollout-fields': 'off' } })), ['schema@maxSurge', 'schema@maxUnavailable', 'schema@rollingUpdate', 'schema@type']);
});

test('merge keys are expanded as kubectl does: merged fields are checked, `<<` itself is no unknown field', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: &labels
    app: web
spec:
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels:
        <<: *labels
        tier: front
    spec:
      containers:
      - &web
        name: web
        image: nginx:1.27
        imagePullPolicy: Sometimes
      - <<: *web
        name: sidecar
`;
  // The merged container inherits the bad value: both findings sit where the anchor defines it.
  const findings = check(text);
  assert.deepEqual(
    findings.map((f) => [f.ruleId, text.slice(...f.range), /containers\[(\d)\]/.exec(f.message)?.[1]]),
    [
      ['schema', 'Sometimes', '0'],
      ['schema', 'Sometimes', '1'],
    ],
    JSON.stringify(findings),
  );
  const bad = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  <<: 5\n  containers: []\n';
  const [finding] = check(bad);
  assert.equal(finding.ruleId, 'yaml-syntax');
  assert.equal(bad.slice(...finding.range), '<<');
  assert.match(finding.message, /merge key/);
});
