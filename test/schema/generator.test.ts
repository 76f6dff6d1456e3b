// The OpenAPI -> JSON Schema conversion rules, on the real components and on small inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSchemas, loadComponents, type JsonSchema } from '../../schemas/generate';
import { enumFromDescription } from '../../schemas/enums';

test('kube-openapi enum lists in descriptions become enums', () => {
  const description = 'Image pull policy.\n\nPossible enum values:\n - `"Always"` means that kubelet always attempts to pull\n - `"IfNotPresent"` means ...\n - `"Never"` means ...';
  assert.deepEqual(enumFromDescription(description), ['Always', 'IfNotPresent', 'Never']);
  assert.deepEqual(enumFromDescription('One of Always, Never, IfNotPresent.'), []);
  assert.deepEqual(enumFromDescription(undefined), []);
});

test('an enum list found in a description is applied to the field', () => {
  const components = loadComponents();
  const port = structuredClone(components['io.k8s.api.core.v1.ContainerPort']);
  const properties = port.properties as Record<string, JsonSchema>;
  properties.name = { ...properties.name, description: 'Possible enum values:\n - `"http"` web\n - `"grpc"` rpc' };
  const schemas = generateSchemas({ ...components, 'io.k8s.api.core.v1.ContainerPort': port });
  const defs = schemas.get('v1-pod.json')!.definitions as Record<string, JsonSchema>;
  assert.deepEqual((defs['io.k8s.api.core.v1.ContainerPort'].properties as Record<string, JsonSchema>).name.enum, ['http', 'grpc']);
});

test('IntOrString fields: which ones must be percentages or port names', () => {
  const deployment = generateSchemas().get('apps-v1-deployment.json')!;
  const defs = deployment.definitions as Record<string, { properties: Record<string, JsonSchema> }>;
  assert.equal(defs['io.k8s.api.apps.v1.RollingUpdateDeployment'].properties.maxSurge.format, 'int-or-percent');
  assert.equal(defs['io.k8s.api.apps.v1.RollingUpdateDeployment'].properties.maxUnavailable.format, 'int-or-percent');
  assert.equal(defs['io.k8s.api.core.v1.HTTPGetAction'].properties.port.format, 'int-or-port-name');
});

test('the generator refuses hand-written tables that name fields the OpenAPI does not have', () => {
  const components = loadComponents();
  const spec = structuredClone(components['io.k8s.api.apps.v1.DeploymentStrategy']);
  delete (spec.properties as Record<string, unknown>).type;
  assert.throws(() => generateSchemas({ ...components, 'io.k8s.api.apps.v1.DeploymentStrategy': spec }), /unknown field api\.apps\.v1\.DeploymentStrategy\.type/);
});

test('unexpected OpenAPI shapes fail the generator instead of producing a lax schema', () => {
  const components = loadComponents();
  const odd = { ...components['io.k8s.api.core.v1.PodOS'], anyOf: [{ type: 'string' }, { type: 'integer' }] };
  assert.throws(() => generateSchemas({ ...components, 'io.k8s.api.core.v1.PodOS': odd }), /unexpected anyOf/);
});
