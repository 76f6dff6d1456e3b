// Definition, references, rename and document links between objects, over stdio as an editor asks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, DocumentLink, Location, Position, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LspClient, applyEdits } from './lsp-client';

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - {name: http, port: 80, targetPort: http}
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: "nginx:1.27"
        ports: [{name: http, containerPort: 8080}]
        envFrom:
        - configMapRef: {name: web-config}
`;

const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  LOG_LEVEL: info
`;

/** The position of the `nth` occurrence of `needle` in `text` (plus `shift` characters). */
function positionOf(text: string, needle: string, nth = 1, shift = 0): Position {
  let at = -1;
  for (let i = 0; i < nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} is in the text`);
  const before = text.slice(0, at + shift);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

async function withApp(run: (client: LspClient, uris: Record<'service' | 'deployment' | 'config', string>) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kdry-nav-'));
  mkdirSync(join(root, 'app'));
  const uris = {
    service: pathToFileURL(join(root, 'app', 'service.yaml')).href,
    deployment: pathToFileURL(join(root, 'app', 'deployment.yaml')).href,
    config: pathToFileURL(join(root, 'app', 'config.yaml')).href,
  };
  writeFileSync(join(root, 'app', 'service.yaml'), SERVICE);
  writeFileSync(join(root, 'app', 'deployment.yaml'), DEPLOYMENT);
  writeFileSync(join(root, 'app', 'config.yaml'), CONFIG);
  const client = new LspClient({ workspaceFolder: root });
  try {
    await client.initialize();
    await client.open(uris.config, CONFIG);
    await client.open(uris.deployment, DEPLOYMENT);
    await client.open(uris.service, SERVICE);
    await run(client, uris);
  } finally {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  }
}

test('F12 on a Service selector label lands on the label in the Deployment template; references go back', async () => {
  await withApp(async (client, uris) => {
    const found = await client.connection.sendRequest<Location[]>('textDocument/definition', { textDocument: { uri: uris.service }, position: positionOf(SERVICE, 'app: web') });
    assert.equal(found.length, 1);
    assert.equal(found[0].uri, uris.deployment);
    assert.deepEqual(found[0].range.start, positionOf(DEPLOYMENT, 'app: web', 2), 'the template label, not the selector');

    const back = await client.connection.sendRequest<Location[]>('textDocument/references', { textDocument: { uri: uris.deployment }, position: positionOf(DEPLOYMENT, 'app: web', 2), context: { includeDeclaration: false } });
    assert.deepEqual(back.map((l) => l.uri), [uris.service]);

    const config = await client.connection.sendRequest<Location[]>('textDocument/definition', { textDocument: { uri: uris.deployment }, position: positionOf(DEPLOYMENT, 'web-config', 1, 2) });
    assert.deepEqual(config.map((l) => [l.uri, l.range.start]), [[uris.config, positionOf(CONFIG, 'web-config')]]);

    const links = await client.connection.sendRequest<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uris.deployment } });
    assert.equal(links.length, 1);
    assert.equal(links[0].target, `${uris.config}#L4,9`);
  });
});

test('rename of a label value updates the selectors and the template; the result checks clean', async () => {
  await withApp(async (client, uris) => {
    const prepared = await client.connection.sendRequest<{ placeholder: string } | null>('textDocument/prepareRename', { textDocument: { uri: uris.service }, position: positionOf(SERVICE, 'app: web', 1, 5) });
    assert.equal(prepared?.placeholder, 'web');
    const edit = await client.connection.sendRequest<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uris.service }, position: positionOf(SERVICE, 'app: web', 1, 5), newName: 'frontend' });
    const changes = edit.changes!;
    assert.deepEqual(Object.keys(changes).sort(), [uris.deployment, uris.service].sort());
    const service = applyEdits(SERVICE, changes[uris.service]);
    const deployment = applyEdits(DEPLOYMENT, changes[uris.deployment]);
    assert.match(service, /selector:\n    app: frontend\n/);
    assert.match(deployment, /matchLabels:\n      app: frontend\n/);
    assert.match(deployment, /labels:\n        app: frontend\n/);
    const after = [...(await client.change(uris.deployment, deployment)), ...(await client.change(uris.service, service))];
    assert.deepEqual(after.map((d) => d.code), [], 'no selector or service finding after the rename');
  });
});

test('rename of an object name updates every reference to it', async () => {
  await withApp(async (client, uris) => {
    const edit = await client.connection.sendRequest<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uris.config }, position: positionOf(CONFIG, 'web-config', 1, 1), newName: 'web-settings' });
    const changes = edit.changes!;
    assert.match(applyEdits(CONFIG, changes[uris.config]), /name: web-settings/);
    assert.match(applyEdits(DEPLOYMENT, changes[uris.deployment]), /configMapRef: \{name: web-settings\}/);
  });
});

test('hover on a reference says what it resolves to, or what the cluster does without it', async () => {
  await withApp(async (client, uris) => {
    const hoverAt = async (uri: string, text: string, needle: string) =>
      (await client.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, needle, 1, 2) }))?.contents.value ?? '';
    assert.match(await hoverAt(uris.deployment, DEPLOYMENT, 'web-config'), /\*\*ConfigMap `web-config`\*\*: `config.yaml` \(the same folder\)/);
    const missing = DEPLOYMENT.replace('{name: web-config}', '{name: web-conf}');
    await client.change(uris.deployment, missing);
    assert.match(await hoverAt(uris.deployment, missing, 'web-conf'), /\*\*ConfigMap `web-conf` is not in scope\.\*\* .*CreateContainerConfigError/);
    assert.match(await hoverAt(uris.service, SERVICE, 'app: web'), /\*\*This selector matches\*\* \(the same folder\)\n\n- selects pods of Deployment web \(deployment.yaml\)/);
  });
});

test('CodeLens above a workload: Dry-run, then what selects, scales and protects it, each opening that object', async () => {
  await withApp(async (client, uris) => {
    const hpaText = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
`;
    const pdbText = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 2
  selector:
    matchLabels: {app: web}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: other
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: other}
`;
    const hpa = uris.service.replace('service.yaml', 'hpa.yaml');
    const pdb = uris.service.replace('service.yaml', 'pdb.yaml');
    await client.open(hpa, hpaText);
    await client.open(pdb, pdbText);
    const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uris.deployment } });
    assert.deepEqual(lenses.map((l) => l.command?.title), ['Dry-run', 'Simulate rollout', 'selected by Service web', 'scaled by HPA web (2-10)', 'protected by PDB web (minAvailable 2)']);
    assert.ok(lenses.every((l) => l.range.start.line === 0), 'all on the workload\'s first line');
    // Clicking opens the object at its metadata.name (the client's kdry.openObject).
    const open = lenses.slice(2).map((l) => [l.command?.command, l.command?.arguments]);
    assert.deepEqual(open, [
      ['kdry.openObject', [{ uri: uris.service, line: 3, character: 8 }]],
      ['kdry.openObject', [{ uri: hpa, line: 3, character: 8 }]],
      ['kdry.openObject', [{ uri: pdb, line: 3, character: 8 }]],
    ]);
    // The link follows the text: a Service that no longer selects the pods drops out of the lens.
    await client.change(uris.service, SERVICE.replace('app: web', 'app: api'));
    const after = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uris.deployment } });
    assert.deepEqual(after.map((l) => l.command?.title).slice(2), ['scaled by HPA web (2-10)', 'protected by PDB web (minAvailable 2)']);
    // The Service itself is not a workload: no lens.
    assert.deepEqual(await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uris.service } }), []);
  });
});
