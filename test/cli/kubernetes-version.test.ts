// `kdry check --kubernetes-version` and `kubernetesVersion:` in .kdry/config.yaml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';

const JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  successPolicy:
    rules:
    - succeededIndexes: "0"
  completionMode: Indexed
  completions: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: perl
`;

function folder(config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-version-'));
  writeFileSync(join(dir, 'job.yaml'), JOB);
  if (config !== undefined) {
    mkdirSync(join(dir, '.kdry'));
    writeFileSync(join(dir, '.kdry', 'config.yaml'), config);
  }
  return dir;
}

test('--kubernetes-version 1.29: Job successPolicy is not in 1.29 (added in 1.30); the default release has it', async () => {
  const dir = folder();
  const current = await runCli(['check', '--format', 'json', 'job.yaml'], { cwd: dir });
  assert.equal(current.code, 0, current.stdout + current.stderr);
  const old = await runCli(['check', '--format', 'json', '--kubernetes-version', '1.29', 'job.yaml'], { cwd: dir });
  assert.equal(old.code, 1);
  assert.match(old.stdout, /\\"successPolicy\\" is not in Kubernetes 1\.29 \(added in 1\.30\)/);
});

test('kubernetesVersion in .kdry/config.yaml, overridden by the flag', async () => {
  const dir = folder('kubernetesVersion: "1.29"\n');
  assert.equal((await runCli(['check', 'job.yaml'], { cwd: dir })).code, 1);
  assert.equal((await runCli(['check', '--kubernetes-version', 'v1.30.2', 'job.yaml'], { cwd: dir })).code, 0);
});

test('bad versions are usage errors that say what to write', async () => {
  const flag = await runCli(['check', '--kubernetes-version', 'latest', 'job.yaml'], { cwd: folder() });
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /--kubernetes-version takes a Kubernetes release such as 1\.31, not "latest"/);
  const unquoted = await runCli(['check', 'job.yaml'], { cwd: folder('kubernetesVersion: 1.30\n') });
  assert.equal(unquoted.code, 2);
  assert.match(unquoted.stderr, /kubernetesVersion 1\.3 is a number to YAML; quote the release/);
  assert.equal((await runCli(['check', 'job.yaml'], { cwd: folder('kubernetesVersion: 1.31\n') })).code, 0, 'an unquoted 1.31 is still 1.31');
});
