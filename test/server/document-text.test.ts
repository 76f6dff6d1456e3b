// The server's open documents (lsp/document-text.ts): kept as the chunks of their `---` split, they
// answer as vscode-languageserver-textdocument's TextDocument does after any run of editor changes,
// their chunks are the full split's, and checking one reads no joined text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { checkFile } from '../../server/src/check';
import { DocumentText, TextSnapshot } from '../../server/src/lsp/document-text';
import { FileStore } from '../../server/src/lsp/files';
import { parseManifest, splitDocuments, type TextPieces } from '../../server/src/manifest';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { mixedFile } from '../../scripts/bench/inputs/mixed-file';
import { random } from '../manifest/yaml-corpus';

const uri = 'file:///virtual/document-text.yaml';
const PIECES = ['x', '\n', '---\n', '\n---\n', 'a: 1\n', '  ', '', '# c\n', 'kind: Service\n', '\r\n', '\r', '--- # x\n', '-'];

/** A random change of `doc`'s text in LSP form: a range (possibly reversed, empty or past the end) and new text. */
function randomChange(doc: TextDocument, next: () => number): TextDocumentContentChangeEvent {
  const text = doc.getText();
  if (next() < 0.02) return { text: text.slice(0, Math.floor(next() * text.length)) };
  const a = Math.floor(next() * (text.length + 1));
  const b = Math.min(text.length, a + Math.floor(next() * (next() < 0.1 ? 2000 : 20)));
  const [from, to] = next() < 0.1 ? [b, a] : [a, b];
  const end = next() < 0.03 ? { line: doc.lineCount + 3, character: 0 } : doc.positionAt(to);
  return { range: { start: doc.positionAt(from), end }, text: PIECES[Math.floor(next() * PIECES.length)] };
}

/** Every answer of `ours` equals `theirs`' at random points (and at the ends). */
function assertSameAnswers(ours: TextDocument, theirs: TextDocument, next: () => number, round: number): void {
  const text = theirs.getText();
  assert.equal(ours.getText(), text, `round ${round}: text`);
  assert.equal(ours.lineCount, theirs.lineCount, `round ${round}: line count`);
  const offsets = [0, text.length, text.length + 5, -1, ...Array.from({ length: 30 }, () => Math.floor(next() * (text.length + 1)))];
  for (const offset of offsets) assert.deepEqual(ours.positionAt(offset), theirs.positionAt(offset), `round ${round}: positionAt(${offset})`);
  const lines = [-1, 0, theirs.lineCount - 1, theirs.lineCount, theirs.lineCount + 2, ...Array.from({ length: 30 }, () => Math.floor(next() * theirs.lineCount))];
  for (const line of lines) {
    for (const character of [0, 1, 3, 40, 10000]) assert.equal(ours.offsetAt({ line, character }), theirs.offsetAt({ line, character }), `round ${round}: offsetAt(${line}:${character})`);
    assert.deepEqual(ours.getLineRange(line), theirs.getLineRange(line), `round ${round}: getLineRange(${line})`);
    assert.equal(ours.getEOLCharacters(line), theirs.getEOLCharacters(line), `round ${round}: getEOLCharacters(${line})`);
  }
  for (let i = 0; i < 10; i++) {
    const range = { start: theirs.positionAt(Math.floor(next() * text.length)), end: theirs.positionAt(Math.floor(next() * text.length)) };
    // Reversed ranges too: TextDocument's substring swaps the ends.
    assert.equal(ours.getText(range), theirs.getText(range), `round ${round}: getText(range)`);
  }
}

for (const [name, text] of [
  ['LF', mixedFile(30, 4)],
  ['CRLF', mixedFile(20, 6).replace(/\n/g, '\r\n')],
  ['leading comments', `# generated\n\n${mixedFile(10, 2)}`],
] as const) {
  test(`after random editor changes, the text and every position answer as TextDocument's (${name})`, () => {
    const next = random(name.length);
    let ours = DocumentText.create(uri, 'yaml', 1, text);
    let theirs = TextDocument.create(uri, 'yaml', 1, text);
    for (let round = 0; round < 300; round++) {
      // Several changes per notification, each range in the text the changes before it left (LSP).
      const changes: TextDocumentContentChangeEvent[] = [];
      let scratch = TextDocument.create(uri, 'yaml', theirs.version, theirs.getText());
      for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
        const change = randomChange(scratch, next);
        scratch = TextDocument.update(scratch, [change], scratch.version + 1);
        changes.push(change);
      }
      theirs = TextDocument.update(theirs, changes, theirs.version + 1);
      ours = DocumentText.update(ours, changes, ours.version + 1);
      assert.equal(ours.version, theirs.version);
      assert.deepEqual(ours.snapshot.chunks, splitDocuments(theirs.getText()), `round ${round}: chunks`);
      if (round % 10 === 0) assertSameAnswers(ours, theirs, next, round);
    }
  });
}

test('after random editor changes, whether the text holds a string answers as the text does', () => {
  // Asked after every change, so each answer but the first comes from the count of the text before
  // it (one chunk counted again); a needle first asked later is counted afresh.
  const needles = ['a: 1', 'kind: Service', '# c', '\r\n', 'x'];
  const later = ['---', 'apiVersion'];
  for (const [seed, text] of [
    [3, mixedFile(20, 3)],
    [9, `# c\n${mixedFile(8, 1)}`.replace(/\n/g, '\r\n')],
  ] as const) {
    const next = random(seed);
    const ours = DocumentText.create(uri, 'yaml', 1, text);
    let theirs = TextDocument.create(uri, 'yaml', 1, text);
    let changed = 0;
    let previous: boolean[] = [];
    for (let round = 0; round < 400; round++) {
      const change = randomChange(theirs, next);
      theirs = TextDocument.update(theirs, [change], theirs.version + 1);
      DocumentText.update(ours, [change], ours.version + 1);
      const asked = round < 200 ? needles : [...needles, ...later];
      const answers = asked.map((needle) => ours.snapshot.includes(needle));
      assert.deepEqual(answers, asked.map((needle) => theirs.getText().includes(needle)), `round ${round}`);
      if (round > 0 && answers.join() !== previous.join()) changed++;
      previous = answers;
    }
    assert.ok(changed >= 20, `the answers changed only ${changed} times`);
  }
});

test('an edit of the first document splits as the whole text does, comments before the first --- included', () => {
  // [text, line edited, its new text]: before the first `---`, only comments and directives do not end a document.
  const cases: [string, number, string][] = [
    ['a: 1\n---\nb: 2\n', 0, '# only a comment now'],
    ['# c\n---\nb: 2\n---\nc: 3\n', 2, '# d'],
    ['# c\nkind: A\n---\nb: 2\n', 1, '%YAML 1.2'],
    ['# c\n\n---\nb: 2\n', 1, 'kind: A'],
    ['a: 1\n---\nb: 2\n', 0, 'a: 1\n---\nz: 0'],
  ];
  for (const [text, line, replacement] of cases) {
    const ours = DocumentText.create(uri, 'yaml', 1, text);
    const theirs = TextDocument.create(uri, 'yaml', 1, text);
    const change = { range: { start: { line, character: 0 }, end: { line, character: text.split('\n')[line].length } }, text: replacement };
    DocumentText.update(ours, [change], 2);
    const edited = TextDocument.update(theirs, [change], 2).getText();
    assert.equal(ours.getText(), edited);
    assert.deepEqual(ours.snapshot.chunks, splitDocuments(edited), JSON.stringify(edited));
  }
});

test('an edit within one document copies that chunk only: the others are the very same strings', () => {
  const text = mixedFile(50, 3);
  const doc = DocumentText.create(uri, 'yaml', 1, text);
  const before = doc.snapshot.chunks;
  const line = text.split('\n').findIndex((l, i) => i > 400 && /^\s+image: /.test(l));
  const at = doc.offsetAt({ line, character: 0 });
  DocumentText.update(doc, [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '        image: nginx:1.28.0\n' }], 2);
  const after = doc.snapshot.chunks;
  assert.equal(after.length, before.length);
  const edited = after.findIndex((c) => c.offset <= at && at < c.offset + c.source.length);
  after.forEach((c, i) => {
    if (i !== edited) assert.equal(c.source, before[i].source);
  });
  assert.notEqual(after[edited].source, before[edited].source);
  assert.match(after[edited].source, /image: nginx:1\.28\.0/);
});

/** The pieces of `snapshot`, refusing to be joined. */
function unjoinable(snapshot: TextSnapshot): TextPieces {
  return {
    length: snapshot.length,
    chunks: snapshot.chunks,
    includes: (needle) => snapshot.includes(needle),
    get text(): string {
      throw new Error('the whole text was joined');
    },
  };
}

test('parsing and checking an edited buffer reads its pieces, never the joined text', () => {
  const files = new FileStore();
  const doc = DocumentText.create(uri, 'yaml', 1, mixedFile(120, 8));
  const fresh = checkFile(files.update(uri, doc.getText()), files.workspace, DEFAULT_SETTINGS);
  const line = doc.getText().split('\n').findIndex((l, i) => i > 2000 && /^\s+image: /.test(l));
  DocumentText.update(doc, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '  ' }], 2);
  DocumentText.update(doc, [{ range: { start: { line, character: 0 }, end: { line, character: 2 } }, text: '' }], 3);
  const file = files.update(uri, unjoinable(doc.snapshot));
  const findings = checkFile(file, files.workspace, DEFAULT_SETTINGS);
  assert.ok(findings.length > 50, `the file has findings (${findings.length})`);
  assert.deepEqual(findings.map((f) => [f.ruleId, f.range, f.message]), fresh.map((f) => [f.ruleId, f.range, f.message]));
});

test('a file store fed the buffer pieces parses each text as a fresh parse does', () => {
  const next = random(5);
  const files = new FileStore();
  let theirs = TextDocument.create(uri, 'yaml', 1, mixedFile(40, 9));
  const ours = DocumentText.create(uri, 'yaml', 1, theirs.getText());
  files.update(uri, ours.snapshot);
  for (let round = 0; round < 150; round++) {
    const change = randomChange(theirs, next);
    theirs = TextDocument.update(theirs, [change], round + 2);
    DocumentText.update(ours, [change], round + 2);
    if (next() < 0.3) continue; // several edits before the store reads the text
    const file = files.update(uri, ours.snapshot);
    const fresh = parseManifest(theirs.getText(), uri);
    assert.equal(file.text, theirs.getText());
    assert.deepEqual(
      file.documents.map((d) => [d.offset, d.source, d.value]),
      fresh.documents.map((d) => [d.offset, d.source, d.value]),
      `round ${round}`,
    );
  }
  // The same text read from disk after close: a plain string, compared, not re-parsed when equal.
  const same = files.update(uri, ours.getText());
  assert.equal(same.text, theirs.getText());
});
