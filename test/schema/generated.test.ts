// The committed schemas and validators are what the generator and compiler produce today, and the
// committed OpenAPI extract is a faithful subset of the originals it names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateSchemas, serializeSchema, SCHEMA_DIR } from '../../schemas/generate';
import { generatedModule, GENERATED_DIR, GENERATED_FILE } from '../../schemas/compile';
import { EXTRACT_DIR, OPENAPI_SOURCES, extractFileName, reachableSchemas } from '../../schemas/extract-openapi';

test('schemas/k8s-1.33 is current: regenerating in memory gives the committed files', () => {
  const generated = generateSchemas();
  assert.deepEqual(readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')).sort(), [...generated.keys()].sort());
  for (const [file, schema] of generated) {
    assert.equal(readFileSync(join(SCHEMA_DIR, file), 'utf8'), serializeSchema(schema), `${file} is stale: run node --import tsx schemas/generate.ts`);
  }
});

test('the compiled validators are current', () => {
  const committed = readFileSync(join(GENERATED_DIR, GENERATED_FILE), 'utf8');
  assert.ok(committed === generatedModule(), `${GENERATED_FILE} is stale: run node --import tsx schemas/compile.ts`);
});

test('generated schemas: strict objects, open maps, no OpenAPI leftovers, kinds pinned', () => {
  const deployment = JSON.parse(readFileSync(join(SCHEMA_DIR, 'apps-v1-deployment.json'), 'utf8'));
  const text = JSON.stringify(deployment);
  assert.ok(!text.includes('allOf') && !text.includes('oneOf') && !text.includes('x-kubernetes-') && !text.includes('#/components/'));
  assert.deepEqual(deployment.properties.kind.enum, ['Deployment']);
  assert.deepEqual(deployment.required, ['apiVersion', 'kind']);
  const defs = deployment.definitions;
  assert.equal(defs['io.k8s.api.apps.v1.DeploymentSpec'].additionalProperties, false);
  assert.deepEqual(defs['io.k8s.api.apps.v1.DeploymentSpec'].required, ['selector', 'template']);
  assert.deepEqual(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.labels.additionalProperties, { default: '', type: 'string' });
  assert.deepEqual(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, ['integer', 'string']);
  assert.equal(defs['io.k8s.apimachinery.pkg.api.resource.Quantity'].format, 'quantity');
  assert.match(defs['io.k8s.api.core.v1.PodSpec'].properties.containers.description, /List of containers/);
  for (const file of readdirSync(SCHEMA_DIR)) assert.ok(readFileSync(join(SCHEMA_DIR, file)).length < 2 * 1024 * 1024, `${file} under 2 MiB`);
});

test('the OpenAPI extract holds exactly the reachable schemas, unchanged from the originals when they are at hand', (t) => {
  for (const source of OPENAPI_SOURCES) {
    const extract = JSON.parse(readFileSync(join(EXTRACT_DIR, extractFileName(source)), 'utf8'));
    const names = Object.keys(extract.components.schemas);
    assert.deepEqual(reachableSchemas(extract.components.schemas, source.roots), names, 'self-contained and nothing extra');
    // ../shared beside the checkout holds the official files (on developer machines and in CI).
    const original = join(__dirname, '..', '..', '..', 'shared', 'k8s-openapi', 'v3', source.file);
    if (!existsSync(original)) {
      t.diagnostic(`${source.file}: original not available here; provenance not re-checked`);
      continue;
    }
    const bytes = readFileSync(original);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), extract['x-kdry-extract'].sha256);
    const schemas = JSON.parse(bytes.toString('utf8')).components.schemas;
    assert.deepEqual(reachableSchemas(schemas, source.roots), names);
    for (const name of names) assert.deepEqual(extract.components.schemas[name], schemas[name], name);
  }
});
