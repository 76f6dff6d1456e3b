// kdry/upgradeReport over stdio: the editor's "kdry: Upgrade report…" is `kdry check --upgrade-to`
// over the files the server holds, each from the release in force for it (here the cluster file's
// nodes, on 1.29) to the target.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, LspClient, REPO } from './lsp-client';
import type { UpgradeReportResponse } from '../../server/src/protocol/requests';

let workspace: string;
let client: LspClient;
before(async () => {
  ensureBuilt();
  workspace = realpathSync(mkdtempSync(join(tmpdir(), 'kdry-upgrade-')));
  cpSync(join(REPO, 'test', 'fixtures', 'upgrade'), workspace, { recursive: true });
  mkdirSync(join(workspace, '.kdry'));
  writeFileSync(
    join(workspace, '.kdry', 'cluster.yaml'),
    'apiVersion: v1\nkind: Node\nmetadata: {name: a}\nstatus:\n  allocatable: {cpu: "4", memory: 16Gi}\n  nodeInfo: {kubeletVersion: v1.29.10}\n',
  );
  client = new LspClient({ workspaceFolder: workspace });
  await client.initialize();
});
after(async () => {
  await client.shutdown();
  rmSync(workspace, { recursive: true, force: true });
});

test('1.29 (the cluster file) -> 1.35: the removed API and the removed field, per file, as Markdown', async () => {
  // The workspace scan runs after initialized: ask until it has read the fixture folder.
  let report: UpgradeReportResponse | undefined;
  for (let tries = 0; tries < 100; tries++) {
    report = await client.request<UpgradeReportResponse>('kdry/upgradeReport', { to: 'v1.35.1' });
    if (report.findings >= 2) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(report);
  assert.equal(report.to, '1.35');
  assert.equal(report.findings, 2);
  assert.match(report.markdown, /^# Upgrade to Kubernetes 1\.35\n\n2 findings in 2 of \d+ files: what Kubernetes 1\.35 reports that 1\.29 does not\./);
  assert.match(report.markdown, /## flowcontrol\.yaml \(now 1\.29\)\n\n- line 2, error `removed-api-version`: flowcontrol\.apiserver\.k8s\.io\/v1beta3 FlowSchema was removed in Kubernetes 1\.32/);
  assert.match(report.markdown, /## gpu-pod\.yaml \(now 1\.29\)\n\n- line 9, error `schema`: "source" is not in Kubernetes 1\.35 \(removed in 1\.31\)/);
  assert.doesNotMatch(report.markdown, /web\.yaml/, 'a file fine in both releases is not listed');
});

test('kdry/upgradeReport refuses a target that names no release', async () => {
  await assert.rejects(client.request('kdry/upgradeReport', { to: 'latest' }), /latest is not a Kubernetes release/);
});
