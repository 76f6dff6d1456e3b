import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resplitDocuments, splitDocuments, type DocumentChunk } from '../../server/src/manifest';
import { corpus, mutate, random } from './yaml-corpus';

/**
 * The split as the YAML stream defines it, one line at a time: a `---` line ends the document
 * before it unless nothing but comments, blank lines and directives came first.
 */
function lineByLine(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let start = 0;
  let sawContent = false;
  let sawMarker = false;
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const marker = /^---(?=[ \t\r]|$)/.test(line);
    if (marker && (sawContent || sawMarker)) {
      chunks.push({ offset: start, source: text.slice(start, lineStart) });
      start = lineStart;
      sawContent = false;
    }
    if (marker) sawMarker = true;
    else if (line.trim() !== '' && !line.trimStart().startsWith('#') && !line.startsWith('%')) sawContent = true;
    lineStart += line.length + 1;
  }
  if (start < text.length || chunks.length === 0) chunks.push({ offset: start, source: text.slice(start) });
  return chunks;
}

const EDGES = ['', '---', '---\n', '# c\n---\na: 1\n', '# c\n', '%YAML 1.2\n---\na: 1\n---\n---\nb: 2', 'a: 1\n---\n', 'a: 1\n--- \n---\tx\n----\n---\r\nb: 1\r\n', 'a: |\n  x\n---\n  y\n'];

test('documents split at marker lines as the YAML stream defines them', () => {
  for (const text of [...EDGES, ...corpus]) assert.deepEqual(splitDocuments(text), lineByLine(text), JSON.stringify(text.slice(0, 80)));
});

test('after an edit, re-splitting only the edited region gives the full split', () => {
  const next = random(11);
  const texts = [...EDGES, ...corpus];
  for (let round = 0; round < 3000; round++) {
    const before = round % 7 === 0 ? EDGES[round % EDGES.length] : mutate(texts[round % texts.length], next);
    let after = mutate(before, next);
    if (round % 5 === 0) after = mutate(after, next);
    if (round % 11 === 0) after = before + '---\nx: 1\n';
    if (round % 13 === 0) after = '# added\n' + before;
    const resplit = resplitDocuments(before, splitDocuments(before), after);
    assert.deepEqual(resplit, lineByLine(after), `round ${round}: ${JSON.stringify(before.slice(0, 60))} -> ${JSON.stringify(after.slice(0, 60))}`);
  }
});

test('an edit in one document keeps the chunks before it as they were', () => {
  const text = corpus[corpus.length - 1];
  const chunks = splitDocuments(text);
  assert.ok(chunks.length > 10);
  const edited = chunks[5];
  const at = edited.offset + edited.source.indexOf('\n') + 1;
  const after = `${text.slice(0, at)}# a comment\n${text.slice(at)}`;
  const resplit = resplitDocuments(text, chunks, after);
  for (let i = 0; i < 5; i++) assert.equal(resplit[i], chunks[i], `chunk ${i} is the same object`);
  assert.equal(resplit[5].source, edited.source.slice(0, at - edited.offset) + '# a comment\n' + edited.source.slice(at - edited.offset));
  assert.deepEqual(resplit.slice(6).map((c) => c.source), chunks.slice(6).map((c) => c.source));
});

/** Where `after` differs from `before`: the text between their common prefix and common suffix. */
function changedRegion(before: string, after: string): { start: number; end: number } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && tail < after.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start, end: after.length - tail };
}

test('re-splitting with the edited region (exact or wider, as the editor reports it) gives the full split', () => {
  const next = random(12);
  const texts = [...EDGES, ...corpus];
  for (let round = 0; round < 3000; round++) {
    const before = round % 7 === 0 ? EDGES[round % EDGES.length] : mutate(texts[round % texts.length], next);
    const after = round % 11 === 0 ? before + '---\nx: 1\n' : round % 13 === 0 ? '# added\n' + before : mutate(before, next);
    const exact = changedRegion(before, after);
    // An editor's ranges may cover more than what differs (a line replaced by itself plus one character).
    const wider = { start: Math.max(0, exact.start - Math.floor(next() * 40)), end: Math.min(after.length, exact.end + Math.floor(next() * 40)) };
    for (const region of [exact, wider]) {
      const resplit = resplitDocuments(before, splitDocuments(before), after, region);
      assert.deepEqual(resplit, lineByLine(after), `round ${round}: ${JSON.stringify(before.slice(0, 60))} -> ${JSON.stringify(after.slice(0, 60))}`);
    }
  }
});
