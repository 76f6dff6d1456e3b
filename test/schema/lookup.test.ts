// schemaAt / propertiesAt: the facts hover and completion show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaAt, propertiesAt, schemaCatalog } from '../../server/src/schema';

test('every built-in kind has a schema, not only the workloads', () => {
  const kinds = [...schemaCatalog().release.kinds.keys()];
  for (const kind of ['apps/v1/Deployment', 'batch/v1/CronJob', 'v1/Service', 'v1/ConfigMap', 'networking.k8s.io/v1/Ingress', 'autoscaling/v2/HorizontalPodAutoscaler', 'policy/v1/PodDisruptionBudget', 'rbac.authorization.k8s.io/v1/Role']) {
    assert.ok(kinds.includes(kind), kind);
    assert.ok(schemaAt(kind, [])?.properties?.metadata, `${kind} has metadata`);
  }
});

test('a field: description, type, enum and default', () => {
  const type = schemaAt('apps/v1/Deployment', ['spec', 'strategy', 'type']);
  assert.equal(type?.type, 'string');
  assert.deepEqual(type?.enum, ['Recreate', 'RollingUpdate']);
  assert.match(type?.description ?? '', /Type of deployment/);
  const replicas = schemaAt('apps/v1/Deployment', ['spec', 'replicas']);
  assert.equal(replicas?.type, 'integer');
  assert.equal(replicas?.format, 'int32');
  assert.equal(schemaAt('apps/v1/Deployment', ['spec', 'template'])?.default !== undefined, true);
});

test('an object: its properties, required ones and the field description of the reference', () => {
  const spec = schemaAt('apps/v1/Deployment', ['spec']);
  assert.deepEqual(spec?.required, ['selector', 'template']);
  assert.ok(spec?.properties?.replicas);
  assert.match(spec?.description ?? '', /Specification of the desired behavior of the Deployment/);
});

test('through lists (numbers or numeric strings), maps and IntOrString/Quantity', () => {
  const image = schemaAt('apps/v1/Deployment', ['spec', 'template', 'spec', 'containers', 0, 'image']);
  assert.equal(image?.type, 'string');
  assert.deepEqual(schemaAt('v1/Pod', ['spec', 'containers', '2', 'imagePullPolicy'])?.enum, ['Always', 'IfNotPresent', 'Never']);
  assert.equal(schemaAt('v1/Pod', ['metadata', 'labels', 'app'])?.type, 'string');
  assert.equal(schemaAt('v1/Pod', ['metadata', 'labels'])?.additionalProperties?.type, 'string');
  const cpu = schemaAt('v1/Pod', ['spec', 'containers', 0, 'resources', 'limits', 'cpu']);
  assert.equal(cpu?.type, 'string | number');
  assert.equal(cpu?.format, 'quantity');
  assert.equal(schemaAt('apps/v1/Deployment', ['spec', 'strategy', 'rollingUpdate', 'maxSurge'])?.format, 'int-or-percent');
  assert.equal(schemaAt('apps/v1/Deployment', ['spec', 'template', 'spec', 'containers'])?.items?.type, 'object');
  assert.equal(schemaAt('v1/Service', ['spec', 'ports', 0, 'targetPort'])?.type, 'integer | string');
});

test('unknown kinds and paths give undefined / no properties', () => {
  assert.equal(schemaAt('argoproj.io/v1alpha1/Rollout', ['spec']), undefined);
  assert.equal(schemaAt('apps/v1/Deployment', ['spec', 'contianers']), undefined);
  assert.equal(schemaAt('apps/v1/Deployment', ['spec', 'replicas', 'x']), undefined);
  assert.equal(schemaAt('__proto__', []), undefined);
  assert.deepEqual(propertiesAt('apps/v1/Deployment', ['nope']), []);
});

test('propertiesAt: required first, then by name, with types for completion', () => {
  const props = propertiesAt('apps/v1/Deployment', ['spec']);
  assert.deepEqual(props.slice(0, 2).map((p) => [p.name, p.required]), [['selector', true], ['template', true]]);
  const names = props.map((p) => p.name);
  assert.deepEqual(names.slice(2), [...names.slice(2)].sort());
  assert.equal(props.find((p) => p.name === 'replicas')?.type, 'integer');
  const container = propertiesAt('batch/v1/CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 0]);
  assert.equal(container[0].name, 'name');
  assert.equal(container[0].required, true);
  assert.ok(container.some((p) => p.name === 'imagePullPolicy' && p.description));
  assert.deepEqual(propertiesAt('v1/Service', []).map((p) => p.name).slice(0, 2), ['apiVersion', 'kind']);
});
