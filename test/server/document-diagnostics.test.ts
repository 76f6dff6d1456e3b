// The language server converts findings to diagnostics again only where a document changed
// (lsp/document-diagnostics.ts): after any sequence of edits its diagnostics must equal a fresh
// conversion of the same findings, and an edit that leaves a document's source and first line
// alone must hand back that document's diagnostics as they were (the same objects). A document
// that moved by lines gets moved copies (lsp/moved-diagnostic.ts), which the stdio encoder writes
// from the bytes of the publish before: those bytes must be a fresh publish's too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message } from 'vscode-jsonrpc';
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkFile, checkFilePlaced, MAX_CHECKED_DOCUMENTS } from '../../server/src/check';
import { keptWhere, unmoved } from '../../server/src/placed-findings';
import { toDiagnostic } from '../../server/src/lsp/convert';
import { CheckCache } from '../../server/src/check-cache';
import { DocumentDiagnostics } from '../../server/src/lsp/document-diagnostics';
import { contentOf, DocumentText } from '../../server/src/lsp/document-text';
import { FileStore } from '../../server/src/lsp/files';
import { encodeMessage } from '../../server/src/lsp/message-encoder';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { random as seededRandom } from '../manifest/yaml-corpus';

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
  return { cached: converter.convert(doc, file.documents, unmoved(findings)), fresh: findings.map((f) => toDiagnostic(doc, f)) };
}

test('after random edits the kept diagnostics equal a fresh conversion', () => {
  // The corpus's generator: an LCG's low bits (`seed % 4`) repeat with a short period, and chose
  // only "type a character" in all 60 steps, so no document ever moved.
  const next = seededRandom(7);
  const random = (n: number) => Math.floor(next() * n);
  const kinds = [0, 0, 0, 0];
  // Two identical documents on purpose: the same source at two places must not share diagnostics.
  const docs = [deployment('a', 'nginx'), deployment('b', 'nginx:1'), deployment('a', 'nginx'), deployment('c', 'redis')];
  const converter = new DocumentDiagnostics();
  for (let step = 0; step < 60; step++) {
    const i = random(docs.length);
    const lines = docs[i].split('\n');
    const line = random(lines.length - 1);
    const kind = random(4);
    kinds[kind]++;
    switch (kind) {
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
    const publish = (diagnostics: Diagnostic[]) => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///t.yaml', version: step, diagnostics } }) as Message;
    assert.deepEqual(encodeMessage(publish(cached)), Buffer.from(JSON.stringify(publish(fresh)), 'utf-8'), `step ${step}: the publish's bytes`);
  }
  assert.ok(kinds.every((n) => n > 5), `every kind of edit, several times: ${kinds}`);
});

test('a line added above documents moves their diagnostics without converting them again; the publish is a fresh one\'s bytes', () => {
  const converter = new DocumentDiagnostics();
  const both = [deployment('a', 'nginx'), deployment('b', 'nginx')].join('---\n');
  // A comment line in the first document: the second moves down a line, its source unchanged.
  const texts = [both, `# note\n${both}`];
  const publish = (version: number, diagnostics: Diagnostic[]) => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///moved.yaml', version, diagnostics } }) as Message;
  const first = convertBoth(converter, texts[0]).cached;
  encodeMessage(publish(1, first));
  // Changed in place after they were sent (diagnostics never are): a moved copy that carries the
  // change was copied, not converted again, and a publish of it that reads as sent was written
  // from the bytes of the first publish.
  const CHANGED = ' (changed after it was sent)';
  for (const d of first) d.message = `${d.message}${CHANGED}`;
  const { cached, fresh } = convertBoth(converter, texts[1]);
  const inSecond = first.filter((d) => d.range.start.line > 18);
  assert.ok(inSecond.length > 0 && inSecond.length < first.length, 'findings in both documents');
  const moved = cached.filter((d) => String(d.message).endsWith(CHANGED));
  assert.equal(moved.length, inSecond.length, "the second document's diagnostics moved, not converted again");
  assert.deepEqual(encodeMessage(publish(2, cached)), Buffer.from(JSON.stringify(publish(2, fresh)), 'utf-8'));
  for (const d of moved) d.message = String(d.message).slice(0, -CHANGED.length);
  assert.deepEqual(cached, fresh);
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

test("edits as the server sees them (its text, parse cache and check cache): each publish is a fresh check's, converted afresh", () => {
  // The server's own objects, so documents the edit left alone are the very objects of the last
  // check and their findings are kept or moved: the conversion copies the last diagnostics before
  // and after the edited documents. Edits: typing (later documents move by characters), a
  // replace of the same length (nothing moves), Enter and a deleted line (later documents move by
  // lines), and edits that change findings in the edited document and in others (a selector).
  const next = seededRandom(23);
  const random = (n: number) => Math.floor(next() * n);
  const uri = 'file:///server-path.yaml';
  const files = new FileStore();
  const cache = new CheckCache(() => files.generation);
  const converter = new DocumentDiagnostics();
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  let doc = DocumentText.create(uri, 'yaml', 1, names.map((n, i) => deployment(n, i % 2 ? 'nginx' : 'nginx:1')).join('---\n'));
  const kinds = [0, 0, 0, 0, 0];
  for (let step = 0; step < 80; step++) {
    const lines = doc.getText().split('\n');
    const imageLines = lines.flatMap((l, i) => (l.includes('image:') ? [i] : []));
    const selectorLines = lines.flatMap((l, i) => (/^      app: /.test(l) ? [i] : []));
    const line = imageLines[random(imageLines.length)];
    const at = (l: number, character: number) => ({ line: l, character });
    const kind = random(5);
    kinds[kind]++;
    const change =
      kind === 0 ? { range: { start: at(line, lines[line].length), end: at(line, lines[line].length) }, text: 'x' } // typing: `nginx` + `x`, an untagged image
      : kind === 1 ? { range: { start: at(line, lines[line].length - 1), end: at(line, lines[line].length) }, text: lines[line].endsWith('1') ? '2' : '1' } // same length
      : kind === 2 ? { range: { start: at(line, lines[line].length), end: at(line, lines[line].length) }, text: '\n        # note' } // Enter
      : kind === 3 ? (lines.some((l) => l.endsWith('# note')) ? { range: { start: at(lines.findIndex((l) => l.endsWith('# note')) - 1, Infinity), end: at(lines.findIndex((l) => l.endsWith('# note')), Infinity) }, text: '' } : { range: { start: at(line, 0), end: at(line, 0) }, text: '' })
      : { range: { start: at(selectorLines[random(selectorLines.length)], 11), end: at(selectorLines[random(selectorLines.length)], Infinity) }, text: names[random(names.length)] }; // a selector: findings elsewhere change
    // A selector change may span lines (its end on another line): keep only those on one line.
    if (kind === 4 && change.range.start.line !== change.range.end.line) change.range.end = { line: change.range.start.line, character: Infinity };
    const end = change.range.end;
    if (end.character === Infinity) end.character = lines[end.line]?.length ?? 0;
    doc = DocumentText.update(doc, [change], doc.version + 1);
    const file = files.update(uri, contentOf(doc));
    const findings = checkFilePlaced(file, files.workspace, undefined, cache);
    const cached = converter.convert(doc, file.documents, findings);
    const { fresh } = convertBoth(new DocumentDiagnostics(), doc.getText());
    assert.deepEqual(cached, fresh, `step ${step} (edit of kind ${kind})`);
    const publish = (diagnostics: Diagnostic[]) => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version: step, diagnostics } }) as Message;
    assert.deepEqual(encodeMessage(publish(cached)), Buffer.from(JSON.stringify(publish(fresh)), 'utf-8'), `step ${step}: the publish's bytes`);
  }
  assert.ok(kinds.every((n) => n > 8), `every kind of edit, several times: ${kinds}`);
});

// A conversion whose documents stop short of the text's end must not be matched from its end: the
// next conversion's last documents are not the ones it ended with (found by review).
const pod = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\n\nspec:\n  containers:\n  - name: a\n    image: nginx\n`;

test('a first publication of the head, then the whole file after typing: findings at the end keep their lines', () => {
  // The last document is the 20th again, so matching the head's end against the file's end would
  // take the 20th's diagnostics for the last one's.
  const uri = 'file:///head-then-whole.yaml';
  const sources = Array.from({ length: 60 }, (_, i) => pod(i));
  sources.push(sources[19]);
  const files = new FileStore();
  const cache = new CheckCache(() => files.generation);
  const converter = new DocumentDiagnostics();
  let doc = DocumentText.create(uri, 'yaml', 1, sources.join('---\n'));
  let file = files.update(uri, contentOf(doc));
  const head = file.documents.slice(0, 20);
  const headEnd = file.documents[20].offset;
  converter.convert(doc, head, keptWhere(checkFilePlaced(file, files.workspace, undefined, cache), (f, shift) => f.range[0] + shift < headEnd));
  // Typing one character in the 6th document: the line count is unchanged.
  doc = DocumentText.update(doc, [{ range: { start: { line: 53, character: 11 }, end: { line: 53, character: 11 } }, text: 'x' }], 2);
  file = files.update(uri, contentOf(doc));
  const cached = converter.convert(doc, file.documents, checkFilePlaced(file, files.workspace, undefined, cache));
  assert.deepEqual(cached, convertBoth(new DocumentDiagnostics(), doc.getText()).fresh);
});

test(`a file past MAX_CHECKED_DOCUMENTS (${MAX_CHECKED_DOCUMENTS}): a line joined in a checked document and one split past the limit`, () => {
  const uri = 'file:///over-limit.yaml';
  const files = new FileStore();
  const cache = new CheckCache(() => files.generation);
  const converter = new DocumentDiagnostics();
  let doc = DocumentText.create(uri, 'yaml', 1, Array.from({ length: MAX_CHECKED_DOCUMENTS + 10 }, (_, i) => pod(i)).join('---\n'));
  let file = files.update(uri, contentOf(doc));
  converter.convert(doc, file.documents, checkFilePlaced(file, files.workspace, undefined, cache));
  // One change set keeps the line count: the 6th document's blank line removed, a line break typed
  // in a document the check does not reach (each pod is 10 lines with its `---`).
  const blank = 5 * 10 + 4;
  const late = (MAX_CHECKED_DOCUMENTS + 5) * 10 + 3;
  doc = DocumentText.update(doc, [
    { range: { start: { line: late, character: 2 }, end: { line: late, character: 2 } }, text: '\n' },
    { range: { start: { line: blank, character: 0 }, end: { line: blank + 1, character: 0 } }, text: '' },
  ], 2);
  file = files.update(uri, contentOf(doc));
  const cached = converter.convert(doc, file.documents, checkFilePlaced(file, files.workspace, undefined, cache));
  assert.deepEqual(cached, convertBoth(new DocumentDiagnostics(), doc.getText()).fresh);
});
