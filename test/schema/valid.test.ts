// No schema findings for the seed's valid manifests, nor for YAML that is not a kdry workload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { validateDocument } from '../../server/src/schema';
import { schemaFindings, fixture } from './helpers';
import { fixesOf } from '../../server/src/findings';

for (const name of ['replicaset-kiada.yaml', 'deployment-nginx.yaml', 'statefulset-web.yaml', 'daemonsets.yaml', 'service-and-jobs.yaml']) {
  test(`valid manifests: ${name} has no schema findings`, () => {
    const text = fixture(name);
    const kinds = parseManifest(text).documents.map((d) => d.kind);
    assert.ok(kinds.every((k) => k), 'every document is a Kubernetes object');
    assert.deepEqual(schemaFindings(text), []);
  });
}

test('docker-compose, GitHub workflows, Helm values, CRDs, custom resources, removed apiVersions: nothing', () => {
  const text = fixture('not-kubernetes.yaml');
  assert.equal(parseManifest(text).documents.length, 6);
  assert.deepEqual(schemaFindings(text), []);
});

test('every built-in kind is checked, not only the workloads: a ConfigMap value must be a string', () => {
  const found = schemaFindings('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  replicas: 3\n  enabled: yes\n');
  assert.deepEqual(found.map((f) => f.text), ['3']);
  assert.match(found[0].message, /data\.replicas must be a string, but it is the number 3/);
  assert.equal(fixesOf(found[0])[0]?.title, 'Quote 3 as a string');
});

test('Helm templates are not schema-checked', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: "{{ .Values.replicas }}"\n';
  assert.deepEqual(schemaFindings(text), []);
});

test('documents that do not parse, or are not mappings, give no schema findings and do not throw', () => {
  for (const text of ['apiVersion: apps/v1\nkind: Deployment\nspec: [unclosed\n', '- a\n- b\n', '', 'just a string', '\u0000\u0001binary']) {
    for (const doc of parseManifest(text).documents) assert.deepEqual(validateDocument(doc), []);
  }
});

test('a document whose top level is not an object is reported once, on the document', () => {
  const found = schemaFindings('apiVersion: v1\nkind: Pod\nspec: 3\n');
  assert.deepEqual(found.map((f) => f.text), ['3']);
  assert.match(found[0].message, /spec must be a mapping of fields, but it is the number 3/);
});
