// The OpenAPI -> schema conversion rules and the release bundling, on the real data and on small inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertComponents, type JsonSchema } from '../../scripts/schema-data/convert';
import { enumFromDescription } from '../../scripts/schema-data/enums';
import { bundleReleases, compareVersions, readRelease, readReleases, releaseFolders } from '../../scripts/schema-data/bundle-versions';
import { schemaCatalog } from '../../server/src/schema';

test('kube-openapi enum lists in descriptions become enums', () => {
  const description = 'Image pull policy.\n\nPossible enum values:\n - `"Always"` means that kubelet always attempts to pull\n - `"IfNotPresent"` means ...\n - `"Never"` means ...';
  assert.deepEqual(enumFromDescription(description), ['Always', 'IfNotPresent', 'Never']);
  assert.deepEqual(enumFromDescription('One of Always, Never, IfNotPresent.'), []);
  assert.deepEqual(enumFromDescription(undefined), []);
  const converted = convertComponents({ 'io.k8s.api.core.v1.ContainerPort': { type: 'object', properties: { name: { type: 'string', description } } } });
  assert.deepEqual((converted['io.k8s.api.core.v1.ContainerPort'].properties as Record<string, JsonSchema>).name.enum, ['Always', 'IfNotPresent', 'Never']);
});

test('the bundled data: strict objects, open maps, IntOrString and Quantity, table enums, required minus defaulted', () => {
  const catalog = schemaCatalog('1.35');
  const spec = catalog.release.definition('io.k8s.api.apps.v1.DeploymentSpec')!;
  assert.equal(spec.additionalProperties, false);
  assert.deepEqual(spec.required, ['selector', 'template']);
  assert.deepEqual(catalog.release.definition('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')!.properties!.labels.additionalProperties, { default: '', type: 'string' });
  assert.deepEqual(catalog.release.definition('io.k8s.apimachinery.pkg.util.intstr.IntOrString')!.type, ['integer', 'string']);
  assert.equal(catalog.release.definition('io.k8s.apimachinery.pkg.api.resource.Quantity')!.format, 'quantity');
  const rolling = catalog.release.definition('io.k8s.api.apps.v1.RollingUpdateDeployment')!.properties!;
  assert.equal(rolling.maxSurge.format, 'int-or-percent');
  assert.equal(catalog.release.definition('io.k8s.api.core.v1.HTTPGetAction')!.properties!.port.format, 'int-or-port-name');
  assert.deepEqual(catalog.release.definition('io.k8s.api.networking.v1.HTTPIngressPath')!.properties!.pathType.enum, ['Exact', 'Prefix', 'ImplementationSpecific']);
  assert.equal(catalog.release.definition('io.k8s.api.core.v1.Secret')!.properties!.data.additionalProperties && (catalog.release.definition('io.k8s.api.core.v1.Secret')!.properties!.data.additionalProperties as JsonSchema).format, 'byte');
  assert.deepEqual(catalog.release.definition('io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern')!.required, ['type']);
});

test('every release serves the core kinds, namespaced or not, as its paths say', () => {
  for (const version of ['1.29', '1.35']) {
    const kinds = schemaCatalog(version).release.kinds;
    assert.equal(kinds.get('apps/v1/Deployment')?.namespaced, true);
    assert.equal(kinds.get('v1/Namespace')?.namespaced, false);
    assert.equal(kinds.get('rbac.authorization.k8s.io/v1/ClusterRole')?.namespaced, false);
    // The resource is the collection path's last segment, not a guess from the kind.
    assert.equal(kinds.get('v1/Endpoints')?.resource, 'endpoints');
    assert.equal(kinds.get('networking.k8s.io/v1/Ingress')?.definition, 'io.k8s.api.networking.v1.Ingress');
    assert.ok(!kinds.has('policy/v1/Eviction'), 'a subresource is not a kind a manifest holds');
    assert.ok(kinds.size > 70, `${version}: ${kinds.size} kinds`);
  }
});

test('unexpected OpenAPI shapes fail the converter instead of producing a lax schema', () => {
  assert.throws(() => convertComponents({ 'io.k8s.api.core.v1.PodOS': { type: 'object', properties: { name: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } } }), /unexpected anyOf/);
});

/** A release folder with one group file serving `Widget` whose spec has `fields`. */
function release(dir: string, version: string, fields: Record<string, JsonSchema>): void {
  const folder = join(dir, version, 'apis', 'example.io');
  mkdirSync(folder, { recursive: true });
  const doc = {
    paths: { '/apis/example.io/v1/namespaces/{namespace}/widgets': { post: { 'x-kubernetes-action': 'post', 'x-kubernetes-group-version-kind': { group: 'example.io', version: 'v1', kind: 'Widget' }, requestBody: { content: { '*/*': { schema: { $ref: '#/components/schemas/io.example.Widget' } } } } } } },
    components: {
      schemas: {
        'io.example.Widget': { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, spec: { allOf: [{ $ref: '#/components/schemas/io.example.WidgetSpec' }] } } },
        'io.example.WidgetSpec': { type: 'object', properties: fields },
      },
    },
  };
  writeFileSync(join(folder, 'v1.json'), JSON.stringify(doc));
}

test('adding a release is a folder: unchanged definitions are stored once, new fields are dated', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-releases-'));
  release(dir, '1.9', { size: { type: 'integer' } });
  release(dir, '1.10', { size: { type: 'integer' }, color: { type: 'string' } });
  assert.deepEqual(releaseFolders(dir), ['1.9', '1.10']);
  assert.ok(compareVersions('1.100', '1.99') > 0);
  // The hand-written tables name Kubernetes fields this toy API does not have.
  assert.throws(() => readReleases(dir), /field tables name fields no release has/);
});

test('the pool stores a definition once for all releases that share it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-releases-'));
  release(dir, '1.9', { size: { type: 'integer' } });
  release(dir, '1.10', { size: { type: 'integer' }, color: { type: 'string' } });
  const used = new Set<string>();
  const files = bundleReleases(['1.9', '1.10'].map((v) => readRelease(dir, v, used)));
  const pool = files.get('k8s/definitions.txt')!.trim().split('\n');
  assert.equal(pool.length, 3, 'Widget once, WidgetSpec twice (it changed)');
  const index = JSON.parse(files.get('k8s/1.10.json')!);
  assert.deepEqual(index.kinds, [['example.io/v1', 'Widget', 'io.example.Widget', 1, 'widgets']]);
  assert.match(files.get('releases.ts')!, /"io\.example\.WidgetSpec": \{"color":\["1\.10"\]\}/);
});

test('the definitions index gives each definition\'s bytes in the pool, past non-ASCII text before it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-releases-'));
  // A description in two- and three-byte UTF-8 characters: offsets counted in characters would land early.
  release(dir, '1.9', { size: { type: 'integer', description: 'größe → in Einheiten' } });
  release(dir, '1.10', { size: { type: 'integer', description: 'größe → in Einheiten' }, color: { type: 'string', description: 'Farbe – «rot»' } });
  const used = new Set<string>();
  const files = bundleReleases(['1.9', '1.10'].map((v) => readRelease(dir, v, used)));
  const pool = Buffer.from(files.get('k8s/definitions.txt')!, 'utf8');
  const index = JSON.parse(files.get('k8s/definitions-index.json')!) as Record<string, [number, number]>;
  const lines = files.get('k8s/definitions.txt')!.trim().split('\n');
  assert.equal(Object.keys(index).length, lines.length);
  for (const line of lines) {
    const hash = line.slice(0, line.indexOf(' '));
    const [start, end] = index[hash];
    assert.equal(pool.toString('utf8', start, end), line.slice(hash.length + 1), hash);
  }
  assert.ok(lines.some((l) => l.includes('größe')) && lines.some((l) => l.includes('«rot»')));
});
