// The start-up warm-up: its sample goes through the rules a real file does, and the server
// publishes nothing for it while still answering the editor's own files.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkFile } from '../../server/src/check';
import { knownKind } from '../../server/src/manifest/kinds';
import { parseManifest } from '../../server/src/manifest';
import { warmUp, warmUpSample, whenQuiet } from '../../server/src/lsp/warm-up';
import { normalizeSettings } from '../../server/src/lsp/settings';
import { monotonicMs } from '../../server/src/lsp/clock';
import { WorkspaceIndex } from '../../server/src/workspace';
import { startedClient, LspClient } from './lsp-client';

test('the warm-up sample is valid Kubernetes with a few rule findings, across the workload kinds', () => {
  const file = parseManifest(warmUpSample(0, 60), 'file:///warm-up.yaml');
  const values = file.documents.map((d) => d.value as { apiVersion?: string; kind?: string });
  const kinds = new Set(values.map((v) => v.kind));
  for (const kind of ['Deployment', 'Service', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job']) assert.ok(kinds.has(kind), kind);
  for (const v of values) assert.ok(knownKind(v.apiVersion, v.kind), `${v.apiVersion} ${v.kind} is checked by kdry`);
  const rules = new Set(checkFile(file, new WorkspaceIndex()).map((f) => f.ruleId));
  for (const notExpected of ['yaml-syntax', 'schema', 'kdry-internal']) assert.ok(!rules.has(notExpected), `no ${notExpected} finding`);
  assert.ok(rules.size >= 3, `rule findings exercised: ${[...rules].join(', ')}`);
});

test('the warm-up checks nothing while the editor is active, and all of its sample once it is quiet', async () => {
  // server.ts reports activity from a file's didOpen on (its settings are read first), and from every check.
  let busy = true;
  let asked = 0;
  const settings = normalizeSettings({});
  const done = warmUp(
    () => (asked++, settings),
    () => (busy ? monotonicMs() : -Infinity),
  );
  await sleep(300);
  assert.equal(asked, 0, 'no slice ran while busy');
  busy = false;
  await done;
  assert.ok(asked >= 80, `every slice ran once quiet (settings read ${asked} times)`);
});

let client: LspClient;
before(async () => (client = await startedClient({ configuration: (section) => (section === 'kdry' ? {} : null) })));
after(() => client.shutdown());

test('a file opened while the server warms up is checked, and the warm-up publishes nothing', async () => {
  const diagnostics = await client.open('file:///virtual/during-warm-up.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: "three"\n');
  assert.ok(diagnostics.some((d) => d.range.start.line === 5), 'the wrong type of replicas is reported');
  await sleep(1000); // the warm-up is over well before this
  assert.deepEqual(client.publishedUris, ['file:///virtual/during-warm-up.yaml']);
});

test('whenQuiet waits until the editor has asked for nothing for the whole quiet time, however often it asks meanwhile', async () => {
  let clock = 0;
  let lastActive = 0;
  const waited: number[] = [];
  // the editor asks again at 1,500 and 3,000 ms; the quiet time is 2,000 ms
  const asks = [1500, 3000];
  const wait = async (ms: number) => {
    waited.push(ms);
    clock += ms;
    while (asks.length > 0 && asks[0] <= clock) lastActive = asks.shift()!;
  };
  await whenQuiet(() => lastActive, 2000, () => clock, wait);
  assert.equal(clock - lastActive >= 2000, true);
  assert.equal(lastActive, 3000);
  assert.equal(clock, 5000, 'resolves at the first moment 2,000 ms passed without an ask');
  assert.deepEqual(waited, [2000, 1500, 1500]);
  const idle = await whenQuiet(() => -10_000, 2000, () => 0, async () => assert.fail('an editor quiet for long enough is not waited for'));
  assert.equal(idle, undefined);
});
