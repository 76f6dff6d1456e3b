// `kdry check` on a chart's templates says which references it could not resolve (their names are
// template actions), as the editor's CodeLens and hover do: an info finding on each, in every
// format. The file stays checked (a template is checked on what it writes literally), so the
// chart `helm create` makes still passes the gate; a template kdry cannot check at all stays
// "partly checked" (test/security/cli-fail-closed.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';

const HELM_CREATE_DEPLOYMENT = readFileSync(join(__dirname, '..', 'fixtures', 'helm', 'deployment.yaml'), 'utf8');
const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "web.fullname" . }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "web.fullname" . }}
  minReplicas: 1
  maxReplicas: 3
`;
const LITERAL = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-probe
spec:
  serviceAccountName: probe
  containers:
  - name: probe
    image: busybox:1.36
`;

function chart(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-chart-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'templates', 'deployment.yaml'), HELM_CREATE_DEPLOYMENT);
  writeFileSync(join(dir, 'templates', 'hpa.yaml'), HPA);
  writeFileSync(join(dir, 'templates', 'probe.yaml'), LITERAL);
  return dir;
}

test('stylish: each reference named by template actions gets an info finding; the files count as checked and the gate passes', async () => {
  const r = await runCli(['check', '--no-simulation', 'templates'], { cwd: chart() });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /templates\/deployment\.yaml\n {2}30:27 {2}info {5}ServiceAccount `\{\{ include "web\.serviceAccountName" \. \}\}` \(serviceAccountName\): its name is made by template actions, so kdry cannot resolve it without rendering the chart; it does not guess, and did not check this reference against the objects in scope\. Check what the chart renders: `helm template \. \| kdry check -`\. {2}template-reference-unresolved\n/);
  assert.match(r.stdout, /templates\/hpa\.yaml\n {2}9:11 {2}info {5}Deployment `\{\{ include "web\.fullname" \. \}\}` \(scaleTargetRef\)/);
  assert.doesNotMatch(r.stdout, /probe\.yaml/, 'a name written literally is not reported');
  assert.doesNotMatch(r.stdout, /Partly checked|no problems/);
  assert.match(r.stdout, /2 problems \(0 errors, 0 warnings, 2 info\) in 3 files checked\n/);
});

test('json and sarif carry the same findings; a setting turns them off', async () => {
  const dir = chart();
  const json = JSON.parse((await runCli(['check', '--no-simulation', '--format', 'json', 'templates'], { cwd: dir })).stdout);
  const deployment = json.files.find((f: { path: string }) => f.path === 'templates/deployment.yaml');
  assert.deepEqual([deployment.coverage, deployment.notChecked], ['full', []]);
  assert.deepEqual(deployment.findings.map((f: { ruleId: string; severity: string; line: number; column: number }) => [f.ruleId, f.severity, f.line, f.column]), [['template-reference-unresolved', 'info', 30, 27]]);
  assert.deepEqual([json.summary.info, json.summary.partlyChecked], [2, 0]);

  const sarif = JSON.parse((await runCli(['check', '--no-simulation', '--format', 'sarif', 'templates'], { cwd: dir })).stdout);
  const run = sarif.runs[0];
  assert.deepEqual(run.results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level]), [['template-reference-unresolved', 'note'], ['template-reference-unresolved', 'note']]);
  assert.ok(run.tool.driver.rules.some((r: { id: string }) => r.id === 'template-reference-unresolved'));
  assert.deepEqual(run.invocations[0].toolExecutionNotifications ?? [], []);

  mkdirSync(join(dir, '.kdry'));
  writeFileSync(join(dir, '.kdry', 'config.yaml'), 'rules:\n  template-reference-unresolved: "off"\n');
  const off = await runCli(['check', '--no-simulation', 'templates'], { cwd: dir });
  assert.equal(off.code, 0);
  assert.match(off.stdout, /no problems/);
});

test('a template kdry cannot check at all stays partly checked, without a note per reference', async () => {
  const dir = chart();
  writeFileSync(join(dir, 'templates', 'hpa.yaml'), HPA.replace('kind: HorizontalPodAutoscaler', 'kind: {{ .Values.kind }}'));
  const r = await runCli(['check', '--no-simulation', 'templates'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /Partly checked:\n {2}templates\/hpa\.yaml: This template's kind/);
  assert.doesNotMatch(r.stdout, /9:11/);
});
