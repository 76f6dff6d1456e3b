// `kdry check --upgrade-to`: what breaks when the cluster moves from the target release to a newer one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from './run-cli';

const FOLDER = join(__dirname, '..', 'fixtures', 'upgrade');

interface JsonReport {
  files: { path: string; findings: { ruleId: string; severity: string; message: string; line: number }[] }[];
}

test('1.29 -> 1.35: the removed API and the removed field, nothing that was already broken or stays fine', async () => {
  const r = await runCli(['check', '--format', 'json', '--kubernetes-version', '1.29', '--upgrade-to', '1.35', FOLDER]);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as JsonReport;
  const found = report.files.flatMap((f) => f.findings.map((x) => `${f.path.split('/').pop()}:${x.line} ${x.ruleId} ${x.message.replace(/[.:] (kubectl|Kubernetes \d).*/, '')}`));
  assert.deepEqual(found.sort(), [
    'flowcontrol.yaml:2 removed-api-version flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema was removed in Kubernetes 1.32',
    'gpu-pod.yaml:9 schema "source" is not in Kubernetes 1.35 (removed in 1.31)',
  ]);
  const fix = await runCli(['check', '--kubernetes-version', '1.35', join(FOLDER, 'flowcontrol.yaml')]);
  assert.match(fix.stdout, /Kubernetes 1\.35 serves FlowSchema at flowcontrol\.apiserver\.k8s\.io\/v1/);
});

test('the stylish report says which upgrade it describes; an upgrade with nothing new exits 0', async () => {
  const r = await runCli(['check', '--kubernetes-version', '1.34', '--upgrade-to', '1.35', join(FOLDER, 'web.yaml')]);
  assert.match(r.stdout, /^Upgrade from Kubernetes 1\.34 to 1\.35: what 1\.35 reports that 1\.34 does not\./);
  assert.equal(r.code, 0, r.stdout);
});
