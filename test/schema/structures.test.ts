// The validator reads the definitions without their descriptions (structures.txt), but those that
// say a field is deprecated; hover, completion and schema files read them with every description.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseSchemas } from '../../server/src/schema/bundled-releases';
import { schemaCatalog } from '../../server/src/schema/catalog';
import { schemaAt } from '../../server/src/schema/lookup';
import { selfContainedSchema } from '../../server/src/schema/self-contained';
import { parseManifest } from '../../server/src/manifest';
import { kubernetesTarget, validateDocument } from '../../server/src/schema';

const POD_SPEC = 'io.k8s.api.core.v1.PodSpec';

test('the validator reads a definition without descriptions but the deprecated fields', () => {
  const release = releaseSchemas('1.35');
  const structure = release.definition(POD_SPEC)!;
  const described = release.describedDefinition(POD_SPEC)!;
  assert.equal(structure.properties!.containers.description, undefined);
  assert.match(described.properties!.containers.description!, /List of containers/);
  // PodSpec.serviceAccount: "DeprecatedServiceAccount is a deprecated alias for ServiceAccountName. Deprecated: Use serviceAccountName instead."
  assert.equal(structure.properties!.serviceAccount.description, described.properties!.serviceAccount.description);
  assert.match(structure.properties!.serviceAccount.description!, /Deprecated: Use serviceAccountName instead/);
  // Everything else is the same.
  const strip = (s: unknown) => JSON.stringify(s, (k, v) => (k === 'description' ? undefined : v));
  assert.equal(strip(structure), strip(described));
});

test('a deprecated field is still warned of with its description; hover and schema files still have every description', () => {
  const doc = parseManifest('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  serviceAccount: old\n  containers:\n  - name: c\n    image: nginx:1.27\n').documents[0];
  const messages = validateDocument(doc, { target: kubernetesTarget('1.35') }).map((f) => f.message);
  assert.ok(messages.some((m) => /serviceAccount is deprecated.*serviceAccountName/.test(m)), messages.join('\n'));
  assert.match(schemaAt('v1/Pod', ['spec', 'containers'], schemaCatalog('1.35'))!.description!, /List of containers/);
  const file = JSON.stringify(selfContainedSchema(schemaCatalog('1.35'), 'apps/v1/Deployment'));
  assert.match(file, /List of containers belonging to the pod/);
});
