// An open file whose bytes on disk are not UTF-8 (issue #14): VS Code hands the server text with
// U+FFFD in place, so only the disk says what kubectl will see. The finding sits on the first
// replacement character, and saving the file as UTF-8 clears it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startedClient, LspClient, slice } from './lsp-client';

const TIMEOUT = { timeout: 60_000 };
const dir = mkdtempSync(join(tmpdir(), 'kdry-encoding-'));
let client: LspClient;

before(async () => (client = await startedClient({ workspaceFolder: dir })));
after(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const CONFIG_MAP = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n  text: "${value}"\n`;

test('a Latin-1 byte on disk: the invalid-utf8 error on its replacement character, gone once saved as UTF-8', TIMEOUT, async () => {
  const path = join(dir, 'latin1.yaml');
  // "café" written by a Latin-1 editor: 0xE9 alone is not UTF-8.
  writeFileSync(path, Buffer.concat([Buffer.from(CONFIG_MAP('caf').slice(0, -3)), Buffer.from([0xe9]), Buffer.from('"\n')]));
  const uri = pathToFileURL(path).href;
  const editorText = CONFIG_MAP('caf\uFFFD');
  const withFinding = client.nextDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'invalid-utf8'));
  await client.open(uri, editorText);
  const [finding] = (await withFinding).diagnostics.filter((d) => d.code === 'invalid-utf8');
  assert.equal(finding.severity, 1, 'an error: kubectl refuses the file');
  assert.equal(slice(editorText, finding.range), '\uFFFD');
  assert.match(typeof finding.message === 'string' ? finding.message : finding.message.value, /not valid UTF-8 from here on: kubectl refuses it/);

  // An edit elsewhere keeps it on the (moved) replacement character.
  const edited = await client.change(uri, `# greeting\n${editorText}`);
  assert.equal(slice(`# greeting\n${editorText}`, edited.find((d) => d.code === 'invalid-utf8')!.range), '\uFFFD');

  // The user saves it with VS Code's "Save with Encoding: UTF-8": the text, U+FFFD included, now
  // lies on disk as UTF-8 (EF BF BD), which kubectl reads.
  writeFileSync(path, `# greeting\n${editorText}`);
  const cleared = client.nextDiagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'invalid-utf8'));
  await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  assert.deepEqual((await cleared).diagnostics.filter((d) => d.code === 'invalid-utf8'), []);
});

test('a U+FFFD that is on disk as UTF-8 is not a decoding problem', TIMEOUT, async () => {
  const path = join(dir, 'real-replacement.yaml');
  writeFileSync(path, CONFIG_MAP('\uFFFD'));
  const uri = pathToFileURL(path).href;
  await client.open(uri, CONFIG_MAP('\uFFFD'));
  // The disk is read after the first diagnostics; a second publish would only come if it changed something.
  await client.change(uri, CONFIG_MAP('\uFFFD '));
  assert.deepEqual((client.lastDiagnostics(uri) ?? []).filter((d) => d.code === 'invalid-utf8'), []);
});
