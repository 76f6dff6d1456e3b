// The client (extension host and webview) imports only its own files and the shared protocol
// (server/src/protocol/): it never reaches into the engine, the rules or the server's internals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const REPO = join(__dirname, '..', '..');
const IMPORT = /^\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'|^\s*import\s*'([^']+)'/gm;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('client/ imports only client/, server/src/protocol/ and packages', () => {
  const outside: string[] = [];
  for (const file of sources(join(REPO, 'client'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = match[1] ?? match[2];
      if (!spec.startsWith('.')) continue;
      const target = relative(REPO, resolve(dirname(file), spec));
      if (!target.startsWith('client/') && !target.startsWith('server/src/protocol/')) outside.push(`${relative(REPO, file)} -> ${target}`);
    }
  }
  assert.deepEqual(outside, []);
});

test('the webview bundle carries no JSON-RPC library: it imports the protocol for types and decoders only', () => {
  const webview = readFileSync(join(REPO, 'dist', 'view', 'webview.js'), 'utf8');
  assert.doesNotMatch(webview, /vscode-jsonrpc|RequestType/);
});
