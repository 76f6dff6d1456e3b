// kdry check's report places findings with LinePositions: it must answer every offset exactly as
// vscode-languageserver-textdocument's TextDocument.positionAt, which it replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LinePositions } from '../../server/src/cli/line-positions';
import { random } from '../manifest/yaml-corpus';

function compare(text: string): void {
  const expected = TextDocument.create('file:///x.yaml', 'yaml', 0, text);
  const lines = new LinePositions(text);
  for (let offset = -2; offset <= text.length + 2; offset++) assert.deepEqual(lines.positionAt(offset), expected.positionAt(offset), `${JSON.stringify(text)} at ${offset}`);
}

test('positions equal TextDocument.positionAt at every offset, with \\n, \\r\\n and lone \\r breaks', () => {
  for (const text of ['', 'a', '\n', '\r', '\r\n', '\n\n', 'a\r\nb\rc\nd', 'x\r', 'é\n😀b\r\n\r\n', 'k: v\n---\nk: w\n']) compare(text);
  const next = random(99);
  const pieces = ['a', 'bc', ' ', '\n', '\r\n', '\r', '😀', '---'];
  for (let round = 0; round < 300; round++) {
    let text = '';
    for (let n = Math.floor(next() * 30); n > 0; n--) text += pieces[Math.floor(next() * pieces.length)];
    compare(text);
  }
});
