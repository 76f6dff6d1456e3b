import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest, keyRange, valueRange, pathAtOffset, splitDocuments, ManifestCache } from '../../server/src/manifest';

const text = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  replicas: "three"',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'spec:',
  '  ports:',
  '  - port: 80',
  '',
].join('\n');

test('splits documents at --- lines and keeps file offsets', () => {
  const chunks = splitDocuments(text);
  assert.equal(chunks.length, 2);
  assert.equal(chunks[1].offset, text.indexOf('---'));
  assert.ok(splitDocuments('---\na: 1\n').length === 1, 'a leading marker does not create an empty document');
});

test('ranges of keys and values are file offsets', () => {
  const file = parseManifest(text);
  const [deploy, svc] = file.documents;
  assert.equal(deploy.kind, 'Deployment');
  assert.equal(deploy.name, 'web');
  assert.equal(text.slice(...keyRange(deploy, ['spec', 'replicas'])!), 'replicas');
  assert.equal(text.slice(...valueRange(deploy, ['spec', 'replicas'])!), '"three"');
  assert.equal(text.slice(...valueRange(svc, ['spec', 'ports', 0, 'port'])!), '80');
  assert.deepEqual(pathAtOffset(svc, text.indexOf('port: 80') + 7)?.path, ['spec', 'ports', 0, 'port']);
});

test('duplicate keys and alias bombs become problems, not exceptions', () => {
  const dup = parseManifest('a: 1\na: 2\n').documents[0];
  assert.equal(dup.problems[0].code, 'DUPLICATE_KEY');
  const lol = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) lol.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
  const bomb = parseManifest(lol.join('\n')).documents[0];
  assert.equal(bomb.value, undefined);
  assert.ok(bomb.problems.some((p) => p.code === 'ALIAS_LIMIT'));
});

// goyaml.v2 decode.go `decoder.mapping`: "invalid map key" for a key that decodes to a map or slice
// (what kubectl and the API server report through sigs.k8s.io/yaml); `yaml` would stringify it instead.
test('a map or list used as a map key is a YAML error at that key, and the document has no value', () => {
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  ? [a, b]\n  : x\n';
  const doc = parseManifest(configMap).documents[0];
  assert.equal(doc.value, undefined);
  assert.deepEqual(doc.problems.map((p) => [p.code, configMap.slice(p.range[0], p.range[1])]), [['INVALID_MAP_KEY', '[a, b]']]);
  assert.match(doc.problems[0].message, /invalid map key/);
  const flow = parseManifest('data: {{a: 1}: x}\n').documents[0];
  assert.deepEqual(flow.problems.map((p) => p.code), ['INVALID_MAP_KEY']);
  // 250 nested keys (1.2 KB) used to take seconds in yaml's toJS; the outermost one is reported.
  const nested = `data:\n  ${'? '.repeat(250)}1\n`;
  const deep = parseManifest(nested).documents[0];
  assert.deepEqual(deep.problems.map((p) => [p.code, p.range[0]]), [['INVALID_MAP_KEY', nested.indexOf('?') + 2]]);
  // A string key that merely looks like a collection is kept.
  assert.deepEqual(parseManifest('data:\n  "[a, b]": x\n').documents[0].value, { data: { '[a, b]': 'x' } });
});

// goyaml.v2 decode.go `decoder.unmarshal`: refused only when aliases make up too much of what is decoded
// (allowedAliasRatio), so kubectl reads an anchor used 120 times (the trial's T7, repro r08-alias-count).
test('one anchor used by 120 containers is read, on the fast path and on yaml\'s (a tag)', () => {
  const containers = Array.from({ length: 120 }, (_, i) => `  - name: w${i}\n    resources: *res`).join('\n');
  for (const tag of ['', '!!str ']) {
    const src = `kind: ${tag}Deployment\nres: &res\n  requests: {cpu: 10m}\ncontainers:\n${containers}\n`;
    const doc = parseManifest(src).documents[0];
    assert.deepEqual(doc.problems, [], tag);
    const value = doc.value as { containers: { resources: unknown }[] };
    assert.equal(value.containers.length, 120);
    assert.deepEqual(value.containers[119].resources, { requests: { cpu: '10m' } });
  }
  // An anchor of 500 nodes used 200 times: 99.3% of the decode is aliases, past goyaml's 99%.
  const heavy = `kind: !!str X\na: &x [${Array.from({ length: 500 }, () => '1').join(', ')}]\nb: [${Array.from({ length: 200 }, () => '*x').join(', ')}]\n`;
  const refused = parseManifest(heavy).documents[0];
  assert.equal(refused.value, undefined);
  assert.match(refused.problems[0].message, /excessive aliasing/);
});

test('templated documents report no YAML errors', () => {
  const doc = parseManifest('replicas: {{ .Values.replicas }}\nimage: {{ .Values.image }\n').documents[0];
  assert.equal(doc.templated, true);
  assert.deepEqual(doc.problems, []);
});

test('the cache re-uses unchanged documents and shifts their offsets', () => {
  const cache = new ManifestCache();
  const first = parseManifest(text, 'file:///a.yaml', cache);
  const edited = '# new first line\n' + text;
  const second = parseManifest(edited, 'file:///a.yaml', cache);
  assert.equal(second.documents[1].yaml, first.documents[1].yaml, 'unchanged document parsed once');
  const svc = second.documents[1];
  assert.equal(edited.slice(...valueRange(svc, ['spec', 'ports', 0, 'port'])!), '80');
});

test('the cache keeps what the last parse used and drops the rest at each sweep', () => {
  const cache = new ManifestCache();
  const a = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n';
  const b = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n';
  parseManifest(`${a}---\n${b}`, 'file:///c.yaml', cache);
  cache.sweep();
  parseManifest(`${a}---\n${b}`, 'file:///c.yaml', cache);
  cache.sweep();
  assert.ok(cache.get(a) && cache.get(`---\n${b}`), 'every document used by the last parse is kept');
  parseManifest(a, 'file:///c.yaml', cache);
  cache.sweep();
  assert.ok(cache.get(a));
  assert.equal(cache.get(`---\n${b}`), undefined, 'a document the last parse did not use is dropped');
  cache.sweep();
  assert.equal(cache.get(a), undefined, 'a sweep with no parse in between drops everything');
});

test('CRLF markers and empty documents split like the YAML parser splits them', () => {
  const crlf = 'apiVersion: v1\r\nkind: Service\r\n---\r\napiVersion: v1\r\nkind: Pod\r\n';
  const file = parseManifest(crlf);
  assert.deepEqual(file.documents.map((d) => d.kind), ['Service', 'Pod']);
  assert.deepEqual(file.documents.flatMap((d) => d.problems), []);
  const empties = parseManifest('# generated\n---\n---\napiVersion: v1\nkind: Service\n---\n---\n');
  assert.deepEqual(empties.documents.map((d) => d.kind ?? null), [null, 'Service', null, null]);
  assert.deepEqual(empties.documents.flatMap((d) => d.problems), []);
});

test('at the first character of a key, the path is that key, not the block before it', () => {
  const text = 'metadata:\n  labels:\n    app: web\nspec:\n  replicas: 1\n';
  const doc = parseManifest(text).documents[0];
  assert.deepEqual(pathAtOffset(doc, text.indexOf('spec')), { path: ['spec'], onKey: true });
  assert.deepEqual(pathAtOffset(doc, text.indexOf('replicas') + 2), { path: ['spec', 'replicas'], onKey: true });
});

test('paths go through aliases and merge keys to where the anchor defines the field', () => {
  const src = 'base: &b\n  a: 1\n  nested: {x: 2}\nalias: *b\nmerged:\n  <<: [{a: 0}, *b]\n  own: 3\n';
  const doc = parseManifest(src).documents[0];
  assert.deepEqual(doc.value, { base: { a: 1, nested: { x: 2 } }, alias: { a: 1, nested: { x: 2 } }, merged: { a: 0, nested: { x: 2 }, own: 3 } });
  const at = (path: (string | number)[]) => {
    const r = valueRange(doc, path);
    return r && src.slice(...r);
  };
  assert.equal(at(['alias', 'nested', 'x']), '2');
  assert.equal(at(['merged', 'a']), '0', 'the first merged map wins, as in the value');
  assert.equal(at(['merged', 'nested', 'x']), '2');
  assert.equal(at(['merged', 'own']), '3');
  assert.equal(at(['merged', 'missing']), undefined);
});

test('a long map answers like a short one: the first of duplicate keys, merged keys from their anchor', () => {
  const keys = Array.from({ length: 100 }, (_, i) => `  k${i}: v${i}`);
  keys.splice(60, 0, '  k5: again', '  <<: *base');
  const text = `base: &base\n  fromMerge: yes\nm:\n${keys.join('\n')}\n`;
  const doc = parseManifest(text).documents[0];
  const at = (path: (string | number)[]) => {
    const r = keyRange(doc, path);
    return r && [text.slice(0, r[0]).split('\n').length, text.slice(...r)];
  };
  assert.deepEqual(at(['m', 'k5']), [9, 'k5'], 'the first k5');
  assert.deepEqual(at(['m', 'k99']), [105, 'k99']);
  assert.deepEqual(at(['m', 'fromMerge']), [2, 'fromMerge'], 'found where the anchor defines it');
  assert.equal(at(['m', 'nope']), undefined);
});
