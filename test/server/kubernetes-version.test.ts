// The target Kubernetes release end to end over stdio: `kdry.kubernetesVersion` decides which
// release's schemas the server checks against, hover says which release is in force, and a
// release newer than kdry's data turns unknown fields into warnings.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { startedClient, LspClient, REPO, messageOf } from './lsp-client';
import { BUNDLED_RELEASES } from '../../server/src/schema';
import { RESTART_RULES_POD } from '../fixtures/kubernetes-release';

const POD = `${RESTART_RULES_POD}    futureField: true
`;

let client: LspClient;
let settings: Record<string, unknown> = {};
before(async () => (client = await startedClient({ configuration: () => settings })));
after(() => client.shutdown());

interface Shown {
  message: string;
  severity?: Diagnostic['severity'];
}

const schemaFindings = (ds: Diagnostic[]): Shown[] => ds.filter((d) => d.code === 'schema').map((d) => ({ message: messageOf(d), severity: d.severity }));

/** Changes the settings and waits for the publication that `ready` recognises (an earlier one may still be on its way). */
async function configure(uri: string, next: Record<string, unknown>, ready: (shown: Shown[]) => boolean): Promise<Shown[]> {
  settings = next;
  const published = client.nextDiagnostics(uri, (p) => ready(schemaFindings(p.diagnostics)));
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kdry: settings } });
  return schemaFindings((await published).diagnostics);
}

test('kdry.kubernetesVersion picks the release; switching re-checks the open file', async () => {
  const uri = 'file:///virtual/version-pod.yaml';
  const current = schemaFindings(await client.open(uri, POD));
  assert.deepEqual(current.filter((d) => d.severity === 1).map((d) => d.message.split('.')[0]), ['Unknown field "futureField" in spec'], 'default: the newest release, which has restartPolicyRules');
  assert.match(current.find((d) => d.severity === 3)?.message ?? '', /needs the ContainerRestartRules feature gate, beta in Kubernetes 1\.35 and on by default/);

  const old = await configure(uri, { kubernetesVersion: '1.33' }, (shown) => shown.some((d) => d.message.includes('Kubernetes 1.33')));
  const dated = old.find((d) => d.message.startsWith('"restartPolicyRules"'));
  assert.equal(dated?.message.split('. ')[0], '"restartPolicyRules" is not in Kubernetes 1.33 (added in 1.34)');
  assert.equal(dated?.severity, 1);
  assert.ok(old.some((d) => d.message.startsWith('"Never" is not a valid value for restartPolicy')), 'before 1.34 a container restartPolicy is Always or nothing');

  const newer = (await configure(uri, { kubernetesVersion: '1.37' }, (shown) => shown.some((d) => d.message.includes('1.37')))).filter((d) => d.severity !== 3);
  assert.equal(newer.length, 1);
  assert.equal(newer[0].severity, 2, 'a field kdry does not know may be new in 1.37: a warning');
  assert.match(newer[0].message, /may be newer than kdry's data: Kubernetes 1\.37 is checked against 1\.35/);

  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 7 } });
  assert.match(JSON.stringify(hover.contents), /Checked for Kubernetes 1\.37 \(kdry's newest data is 1\.35/);

  const unparsable = (await configure(uri, { kubernetesVersion: 'latest' }, (shown) => !shown.some((d) => d.message.includes('1.37')))).filter((d) => d.severity !== 3);
  assert.deepEqual(unparsable.map((d) => d.message.split('.')[0]), ['Unknown field "futureField" in spec'], 'a value that names no release falls back to the newest');
  await configure(uri, {}, () => true);
});

test('package.json contributes kdry.kubernetesVersion, empty (automatic) by default, offering every bundled release', () => {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  const setting = pkg.contributes.configuration.properties['kdry.kubernetesVersion'];
  assert.equal(setting.default, '');
  const pattern = new RegExp(setting.pattern);
  assert.ok(['', '1.31', 'v1.31.4'].every((v) => pattern.test(v)) && !pattern.test('latest'));
  assert.ok(BUNDLED_RELEASES.every((v) => setting.examples.includes(v)));
  assert.ok(BUNDLED_RELEASES.every((v) => setting.enum === undefined || setting.enum.includes(v)));
});
