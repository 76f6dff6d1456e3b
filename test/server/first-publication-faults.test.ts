// The first publication of a large file (lsp/diagnostics.ts publishHead) with a fake connection:
// when any part of it fails the whole check still publishes, and its local findings are not
// reused once the file's kustomize patch role changed before the whole check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { DiagnosticsPublisher, HEAD_DOCUMENTS, HEAD_FROM_DOCUMENTS } from '../../server/src/lsp/diagnostics';
import { DocumentText } from '../../server/src/lsp/document-text';
import { FileStore } from '../../server/src/lsp/files';
import { parseManifest } from '../../server/src/manifest';
import { DEFAULT_SETTINGS, type KdrySettings } from '../../server/src/settings';
import { mixedFile } from '../../scripts/bench/inputs/mixed-file';
import { diagnosticKey, wholeCheck } from './whole-check';

const key = diagnosticKey;

/** A publisher on `files` whose publications are collected; `onPublish` runs after each. */
function publisherOf(uri: string, text: string, options: { files?: FileStore; settings?: () => KdrySettings; onPublish?: (count: number) => void; doc?: DocumentText } = {}) {
  const doc = options.doc ?? DocumentText.create(uri, 'yaml', 1, text);
  const published: PublishDiagnosticsParams[] = [];
  let done: () => void;
  const whole = new Promise<void>((resolve) => (done = resolve));
  const files = options.files ?? new FileStore();
  const publisher = new DiagnosticsPublisher(
    {
      sendDiagnostics: async (p) => {
        published.push(p);
        options.onPublish?.(published.length);
      },
    },
    files,
    () => doc,
    options.settings ?? (() => DEFAULT_SETTINGS),
    () => [uri],
  );
  // validate is the whole check: the last publication of an open.
  const validate = publisher.validate.bind(publisher);
  publisher.validate = (u: string) => {
    validate(u);
    done();
  };
  return { publisher, published, whole, files };
}


test('a first publication that fails still leaves the file with its whole check', async () => {
  const uri = 'file:///virtual/first-faults/apps.yaml';
  const text = mixedFile(HEAD_FROM_DOCUMENTS + 20, 31);
  const expected = wholeCheck(uri, text).map(key).sort();
  assert.ok(expected.length > 0);
  // The head parse, then the settings, failing on their first call (the first publication's).
  const failingHead = new FileStore();
  failOnce(failingHead, 'head');
  let settingsCalls = 0;
  const failingSettings = () => (settingsCalls++ === 0 ? fail('settings') : DEFAULT_SETTINGS);
  for (const [name, options] of [['the head parse', { files: failingHead }], ['the settings', { settings: failingSettings }]] as const) {
    const { publisher, published, whole } = publisherOf(uri, text, options);
    publisher.schedule(uri);
    await whole;
    assert.equal(published.length, 1, name);
    assert.deepEqual(published[0].diagnostics.map(key).sort(), expected, name);
  }
  assert.ok(settingsCalls > 1);
});

test('a first publication whose conversion fails: the whole check follows', async () => {
  const uri = 'file:///virtual/first-faults/convert.yaml';
  const text = mixedFile(HEAD_FROM_DOCUMENTS + 20, 32);
  const expected = wholeCheck(uri, text).map(key).sort();
  // A text whose first `positionAt` throws: the first conversion fails, the next ones do not.
  const doc = DocumentText.create(uri, 'yaml', 1, text);
  let calls = 0;
  const positionAt = doc.positionAt.bind(doc);
  doc.positionAt = (offset: number) => (calls++ === 0 ? fail('positionAt') : positionAt(offset));
  const { publisher, published, whole } = publisherOf(uri, text, { doc });
  publisher.schedule(uri);
  await whole;
  assert.ok(calls > 1, 'the conversion ran');
  assert.deepEqual(published.at(-1)!.diagnostics.map(key).sort(), expected);
});

test('a file that became a kustomize patch between the first publication and the whole check: no finding of its first documents as a whole object stays', async () => {
  const uri = 'file:///virtual/first-patch/patch.yaml';
  // Partial Deployments: as objects each misses required fields; as a patch they are fine.
  const text = Array.from({ length: HEAD_FROM_DOCUMENTS + 10 }, (_, i) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${i}\nspec:\n  replicas: 3\n`).join('---\n');
  const kustomization = parseManifest('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\npatches:\n  - path: patch.yaml\n', 'file:///virtual/first-patch/kustomization.yaml');
  const patched = new FileStore();
  patched.workspace.set(kustomization);
  const expected = wholeCheck(uri, text, patched).map(key).sort();

  const files = new FileStore();
  // The kustomization arrives (opened, saved) right after the first publication.
  const { publisher, published, whole } = publisherOf(uri, text, { files, onPublish: (n) => n === 1 && files.workspace.set(kustomization) });
  publisher.schedule(uri);
  await whole;
  assert.equal(published.length, 2, 'a first publication, then the whole check');
  const first = published[0].diagnostics.map(key);
  assert.ok(first.some((k) => !expected.includes(k)), 'the first documents had findings as whole objects');
  assert.deepEqual(published[1].diagnostics.map(key).sort(), expected);
});

test('documents parsed while the open waits (prepare) are the ones the first publication checks; nothing is indexed before its check, and the publications are those of an open without it', async () => {
  const uri = 'file:///virtual/first-prepare/apps.yaml';
  const text = mixedFile(HEAD_FROM_DOCUMENTS + 20, 33);
  const plain = publisherOf(uri, text);
  plain.publisher.schedule(uri);
  await plain.whole;

  const prepared = publisherOf(uri, text);
  const generation = prepared.files.generation;
  const heads: unknown[][] = [];
  const head = prepared.files.head.bind(prepared.files);
  prepared.files.head = (...args: Parameters<FileStore['head']>) => {
    const file = head(...args);
    heads.push(file?.documents.map((d) => d.value) ?? []);
    return file;
  };
  prepared.publisher.prepare(uri);
  assert.equal(heads.length, 1, 'prepare parsed the first documents');
  assert.equal(heads[0].length, HEAD_DOCUMENTS);
  // Only parsed: the workspace index (what other files' cross-document findings read) has not changed.
  assert.equal(prepared.files.get(uri), undefined);
  assert.equal(prepared.files.generation, generation);
  prepared.publisher.schedule(uri);
  await prepared.whole;
  assert.equal(heads.length, 2);
  assert.ok(heads[1].every((value, i) => value === heads[0][i]), 'the first check reads the documents parsed before it');
  assert.deepEqual(prepared.published.map((p) => p.diagnostics), plain.published.map((p) => p.diagnostics));
});

function fail(what: string): never {
  throw new Error(`${what} failed`);
}

function failOnce(files: FileStore, method: 'head'): void {
  const original = files[method].bind(files);
  let calls = 0;
  files[method] = ((...args: Parameters<FileStore['head']>) => (calls++ === 0 ? fail(method) : original(...args))) as FileStore['head'];
}
