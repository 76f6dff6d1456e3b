import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { applyFix, findings, slice, valueOf } from './helpers';
import { fixesOf } from '../../server/src/findings';

const ID = 'misplaced-rollout-fields';
/** The selector and pod template every workload below ends with: what the rule moves sits above them. */
const selectorAndTemplate = (app: string, image: string, container = app) => `  selector:
    matchLabels: {app: ${app}}
  template:
    metadata:
      labels: {app: ${app}}
    spec:
      containers: [{name: ${container}, image: "${image}"}]
`;
const seed = readFileSync('test/fixtures/seed/deployment-rolling-update.seed.yaml', 'utf8');

test('the seed notes\' Deployment: one finding per misplaced key, on the key, saying where it belongs', () => {
  const found = findings(ID, seed);
  assert.deepEqual(found.map((f) => slice(seed, f.range)), ['type', 'rollingUpdate', 'maxSurge', 'maxUnavailable']);
  assert.equal(found[0].range[0], seed.indexOf('type: RollingUpdate'));
  assert.equal(found[2].range[0], seed.indexOf('maxSurge: 0'));
  assert.match(found[2].message, /belongs at `spec\.strategy\.rollingUpdate\.maxSurge`/);
  assert.match(found[3].message, /belongs at `spec\.strategy\.rollingUpdate\.maxUnavailable`/);
  assert.match(found[0].message, /belongs at `spec\.strategy\.type`/);
  assert.match(found[2].message, /unknown field "spec\.maxSurge"/);
  // minReadySeconds and replicas are Deployment spec fields
  assert.equal(found.some((f) => /minReadySeconds|replicas/.test(slice(seed, f.range))), false);
  // one fix, the same on every finding
  const fixes = found.map((f) => fixesOf(f));
  for (const f of fixes) assert.deepEqual(f, fixes[0]);
  assert.equal(fixes[0]!.length, 1);
  assert.equal(fixes[0]![0].preferred, true);
});

test('applying the fix to the seed yields spec.strategy.type/rollingUpdate with the same values', () => {
  const fixed = applyFix(seed, fixesOf(findings(ID, seed)[0])[0]);
  const spec = (valueOf(fixed) as any).spec;
  assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
  assert.equal(spec.minReadySeconds, 10);
  assert.equal(spec.replicas, 3);
  assert.equal('maxSurge' in spec || 'type' in spec || 'rollingUpdate' in spec, false);
  assert.deepEqual(findings(ID, fixed), []);
  // the document's own 3-space indentation unit
  assert.ok(fixed.includes('   strategy:\n      type: RollingUpdate\n      rollingUpdate:\n         maxSurge: 0'), fixed);
});

test('the seed as the later documents of a file: each gets its own verified fix, which edits only that document', () => {
  const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n';
  const text = [service, seed, seed.replace('nginx-deployment', 'second')].join('---\n');
  const found = findings(ID, text);
  const fixes = [...new Set(found.map((f) => fixesOf(f)[0]))];
  assert.equal(fixes.length, 2, 'one fix per mis-indented document, shared by its keys');
  let fixed = text;
  for (const fix of [...fixes].reverse()) fixed = applyFix(fixed, fix);
  assert.deepEqual(findings(ID, fixed), []);
  assert.ok(fixed.startsWith(service), 'the first document is untouched');
});

test('the fixed example equals the corrected example in the repository', () => {
  const original = readFileSync('examples/original/deployment-rolling-update.yaml', 'utf8');
  const corrected = readFileSync('examples/corrected/deployment-rolling-update.yaml', 'utf8');
  const fixed = applyFix(original, fixesOf(findings(ID, original)[0])[0]);
  assert.deepEqual(valueOf(fixed), valueOf(corrected));
  assert.deepEqual(findings(ID, corrected), []);
});

test('comments travel with the fields they annotate', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  strategy: # how pods are replaced
  type: RollingUpdate
  rollingUpdate:
  # one extra pod at a time
  maxSurge: 1 # surge
  maxUnavailable: 0 # never below 4
${selectorAndTemplate('web', 'nginx:1.27')}`;
  const found = findings(ID, text);
  assert.equal(found.length, 4);
  const fixed = applyFix(text, fixesOf(found[0])[0]);
  assert.deepEqual((valueOf(fixed) as any).spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  assert.ok(
    fixed.includes(
      '  strategy: # how pods are replaced\n    type: RollingUpdate\n    rollingUpdate:\n      # one extra pod at a time\n      maxSurge: 1 # surge\n      maxUnavailable: 0 # never below 4\n  selector:',
    ),
    fixed,
  );
});

test('parameters directly under strategy, or type inside rollingUpdate, move one level', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  strategy:
    rollingUpdate:
      type: RollingUpdate
    maxSurge: 30%
${selectorAndTemplate('web', 'nginx:1.27')}`;
  const found = findings(ID, text);
  assert.deepEqual(found.map((f) => slice(text, f.range)), ['type', 'maxSurge']);
  assert.match(found[1].message, /under `spec\.strategy`.*belongs at `spec\.strategy\.rollingUpdate\.maxSurge`/);
  const fixed = applyFix(text, fixesOf(found[0])[0]);
  assert.deepEqual((valueOf(fixed) as any).spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '30%' } });
});

test('StatefulSet and DaemonSet use updateStrategy with their own parameters', () => {
  const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  updateStrategy:
    type: RollingUpdate
    partition: 2
${selectorAndTemplate('db', 'postgres:16')}`;
  const [p] = findings(ID, sts);
  assert.equal(slice(sts, p.range), 'partition');
  assert.match(p.message, /spec\.updateStrategy\.rollingUpdate\.partition/);
  assert.deepEqual((valueOf(applyFix(sts, fixesOf(p)[0])) as any).spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 2 } });

  const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  maxUnavailable: 2
${selectorAndTemplate('agent', 'busybox', 'a')}`;
  const [d] = findings(ID, ds);
  assert.match(d.message, /maxUnavailable 1 and maxSurge 0/);
  const fixed = applyFix(ds, fixesOf(d)[0]);
  assert.deepEqual((valueOf(fixed) as any).spec.updateStrategy, { rollingUpdate: { maxUnavailable: 2 } });
  assert.ok(fixed.includes('spec:\n  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 2\n  selector:'), fixed);
});

test('strategy on a StatefulSet is renamed to updateStrategy', () => {
  const text = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  strategy:
    type: OnDelete
${selectorAndTemplate('db', 'postgres:16')}`;
  const [f] = findings(ID, text);
  assert.equal(slice(text, f.range), 'strategy');
  const fixed = applyFix(text, fixesOf(f)[0]);
  assert.deepEqual((valueOf(fixed) as any).spec.updateStrategy, { type: 'OnDelete' });
});

test('a field given twice gets findings but no guessed fix; other kinds are left alone', () => {
  const text = seed.replace('   strategy:\n', '   strategy:\n     rollingUpdate:\n       maxSurge: 2\n');
  const found = findings(ID, text);
  assert.ok(found.length >= 2);
  assert.equal(found.every((f) => fixesOf(f).length === 0), true);
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: ClusterIP\n  ports: [{port: 80}]\n';
  assert.deepEqual(findings(ID, svc), []);
});

test('spec fields indented into the strategy block move back out under spec', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 0
      maxUnavailable: 1
      minReadySeconds: 10 # settle time
    replicas: 3
${selectorAndTemplate('web', 'nginx:1.27')}`;
  const found = findings(ID, text);
  assert.deepEqual(found.map((f) => slice(text, f.range)), ['minReadySeconds', 'replicas']);
  assert.match(found[0].message, /under `spec\.strategy\.rollingUpdate`.*belongs at `spec\.minReadySeconds`.*spec\.minReadySeconds keeps its default/);
  const fixed = applyFix(text, fixesOf(found[0])[0]);
  const spec = (valueOf(fixed) as any).spec;
  assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
  assert.equal(spec.minReadySeconds, 10);
  assert.equal(spec.replicas, 3);
  assert.ok(fixed.includes('      maxUnavailable: 1\n  minReadySeconds: 10 # settle time\n  replicas: 3\n  selector:'), fixed);
});

test('an empty flow strategy `{}` is filled in place', () => {
  const text = seed.replace('   strategy:\n', '   strategy: {}\n');
  const found = findings(ID, text);
  assert.equal(found.length, 4);
  const fixed = applyFix(text, fixesOf(found[0])[0]);
  assert.deepEqual((valueOf(fixed) as any).spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
});

test('a CRLF file gets its fix written with CRLF line endings', () => {
  const crlf = seed.replace(/\n/g, '\r\n');
  const fixed = applyFix(crlf, fixesOf(findings(ID, crlf)[0])[0]);
  assert.equal(/[^\r]\n/.test(fixed), false, 'no bare LF');
  assert.deepEqual((valueOf(fixed) as any).spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
});
