// The language server converts findings to diagnostics again only where a document changed
// (lsp/document-diagnostics.ts): after any sequence of edits its diagnostics must equal a fresh
// conversion of the same findings, and an edit that leaves a document's source and first line
// alone must hand back that document's diagnostics as they were (the same objects).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkFile } from '../../server/src/check';
import { toDiagnostic } from '../../server/src/lsp/convert';
import { DocumentDiagnostics } from '../../server/src/lsp/document-diagnostics';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';

const deployment = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: other
    spec:
      containers:
      - name: web
        image: ${image}
        resources: { requests: { cpu: 100m } }
`;

/** Checks `text` as the server does and converts its findings with `converter`; also a fresh conversion. */
function convertBoth(converter: DocumentDiagnostics, text: string) {
  const doc = TextDocument.create('file:///t.yaml', 'yaml', 1, text);
  const file = parseManifest(text, doc.uri);
  const workspace = new WorkspaceIndex();
  workspace.set(file);
  const findings = checkFile(file, workspace);
  return { cached: converter.convert(doc, file.documents, findings), fresh: findings.map((f) => toDiagnostic(doc, f)) };
}

test('after random edits the kept diagnostics equal a fresh conversion', () => {
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  // Two identical documents on purpose: the same source at two places must not share diagnostics.
  const docs = [deployment('a', 'nginx'), deployment('b', 'nginx:1'), deployment('a', 'nginx'), deployment('c', 'redis')];
  const converter = new DocumentDiagnostics();
  for (let step = 0; step < 60; step++) {
    const i = random(docs.length);
    const lines = docs[i].split('\n');
    const line = random(lines.length - 1);
    switch (random(4)) {
      case 0: // type a character
        lines[line] = `${lines[line]}x`;
        break;
      case 1: // add a comment line (moves every later document down a line)
        lines.splice(line, 0, '# note');
        break;
      case 2: // remove a line
        lines.splice(line, 1);
        break;
      default: // a document moves
        docs.push(docs.splice(i, 1)[0]);
    }
    if (lines.length > 1) docs[i] = lines.join('\n');
    const { cached, fresh } = convertBoth(converter, docs.join('---\n'));
    assert.deepEqual(cached, fresh, `step ${step}`);
  }
});

test("typing in one document keeps the other documents' diagnostics as they were", () => {
  const converter = new DocumentDiagnostics();
  const first = convertBoth(converter, [deployment('a', 'nginx:1.26'), deployment('b', 'nginx:1.26')].join('---\n')).cached;
  const second = convertBoth(converter, [deployment('a', 'nginx:1.27'), deployment('b', 'nginx:1.26')].join('---\n')).cached;
  assert.equal(first.length, second.length);
  const inSecondDocument = (d: { range: { start: { line: number } } }) => d.range.start.line > 18;
  assert.ok(first.some(inSecondDocument));
  for (let i = 0; i < first.length; i++) if (inSecondDocument(first[i])) assert.equal(second[i], first[i]);
});
