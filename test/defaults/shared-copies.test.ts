// A keystroke re-defaults only what it changed (defaults/index.ts): the pod template spec and each
// container keep their defaulted copies while the edit leaves their objects as they were
// (manifest/incremental.ts copies only the objects on the path to the edit). The result is always
// what defaulting a fresh parse gives, and the shared copies are frozen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApiServerDefaults } from '../../server/src/defaults';

type Obj = Record<string, any>;

/** A value that holds no object of `value`: what a fresh parse of the same text gives. */
const fresh = <T>(value: T): T => JSON.parse(JSON.stringify(value));

function deployment(containers: Obj[]): Obj {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers, volumes: [{ name: 'v' }] } } } };
}

test('a keystroke: the subtrees the edit kept (the pod template spec, the other containers) keep their defaulted copies, and the result equals defaulting a fresh value', () => {
  const before = deployment([{ name: 'a', image: 'nginx:1' }, { name: 'b', image: 'redis', ports: [{ containerPort: 6379 }] }]);
  const first = withApiServerDefaults(before, 'apps/v1', 'Deployment', '1.35') as Obj;
  // A label typed: a new root and metadata, the same spec (as manifest/incremental.ts patches it).
  const relabelled: Obj = { ...before, metadata: { ...before.metadata, labels: { app: 'web2' } } };
  const second = withApiServerDefaults(relabelled, 'apps/v1', 'Deployment', '1.35') as Obj;
  assert.equal(second.spec.template.spec, first.spec.template.spec);
  // The first container's image typed: its copy and the pod spec's are new, the second container's is kept.
  const ps = relabelled.spec.template.spec;
  const retagged: Obj = { ...relabelled, spec: { template: { ...relabelled.spec.template, spec: { ...ps, containers: [{ ...ps.containers[0], image: 'nginx' }, ps.containers[1]] } } } };
  const third: Obj = withApiServerDefaults(retagged, 'apps/v1', 'Deployment', '1.35')!;
  assert.notEqual(third.spec.template.spec, second.spec.template.spec);
  assert.equal(third.spec.template.spec.containers[1], second.spec.template.spec.containers[1]);
  assert.equal(third.spec.template.spec.containers[0].imagePullPolicy, 'Always', 'no tag: Always');
  assert.deepEqual(second, withApiServerDefaults(fresh(relabelled), 'apps/v1', 'Deployment', '1.35') as Obj);
  assert.deepEqual(third, withApiServerDefaults(fresh(retagged), 'apps/v1', 'Deployment', '1.35') as Obj);
  // Another release has other feature gates: nothing is shared with it.
  assert.notEqual((withApiServerDefaults(retagged, 'apps/v1', 'Deployment', '1.29') as Obj).spec.template.spec, third.spec.template.spec);
});

test('the shared copies are frozen and the rest is the caller\'s own: a caller cannot change what the next caller gets', () => {
  const value = deployment([{ name: 'a', image: 'nginx:1', ports: [{ containerPort: 80 }] }]);
  const first = withApiServerDefaults(value, 'apps/v1', 'Deployment', '1.35') as Obj;
  const expected = fresh(first);
  const container = first.spec.template.spec.containers[0];
  assert.equal(Reflect.set(container, 'imagePullPolicy', 'Never'), false);
  assert.equal(Reflect.set(container.ports[0], 'protocol', 'UDP'), false);
  assert.equal(Reflect.deleteProperty(first.spec.template.spec, 'dnsPolicy'), false);
  assert.throws(() => (container.ports as unknown[]).push({}), TypeError);
  // What is not shared, the caller may change (admission/prepare-for-create.ts labels a Job's template).
  first.spec.replicas = 7;
  first.spec.template.metadata.labels.added = 'x';
  const next = withApiServerDefaults({ ...value, metadata: { name: 'other' } }, 'apps/v1', 'Deployment', '1.35') as Obj;
  assert.equal(next.spec.template.spec, first.spec.template.spec, 'the shared copy');
  assert.deepEqual(next.spec, expected.spec);
});

test('a YAML alias that puts the pod spec or a container in two places: each place is copied as before, the defaulted copy only where it belongs', () => {
  const container = { name: 'a', image: 'nginx:1' };
  const podSpec = { containers: [container, container] };
  const aliased: Obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', annotations: { copy: podSpec } }, spec: { template: { spec: podSpec } } };
  const out: Obj = withApiServerDefaults(aliased, 'apps/v1', 'Deployment', '1.35')!;
  assert.deepEqual(out, withApiServerDefaults(fresh(aliased), 'apps/v1', 'Deployment', '1.35') as Obj);
  assert.deepEqual(out.metadata.annotations.copy, podSpec, 'the annotation holds the pod spec as written');
  assert.equal(out.spec.template.spec.containers[1].terminationMessagePolicy, 'File');
});

test('a paste that defaults other documents in between: the document typed in next keeps its shared copies', () => {
  const typed = deployment([{ name: 'a', image: 'nginx:1' }, { name: 'b', image: 'redis' }]);
  withApiServerDefaults(typed, 'apps/v1', 'Deployment', '1.35');
  // A keystroke: patched, the pod spec kept, its copy shared.
  const keystroke: Obj = { ...typed, metadata: { ...typed.metadata, labels: { app: 'web1' } } };
  const before = withApiServerDefaults(keystroke, 'apps/v1', 'Deployment', '1.35') as Obj;
  // A paste of five documents: each defaulted once, none holding the typed one's objects.
  for (let i = 0; i < 5; i++) withApiServerDefaults(deployment([{ name: `p${i}`, image: 'busybox' }]), 'apps/v1', 'Deployment', '1.35');
  // The next keystroke in the typed document: its pod spec is the object it was.
  const next: Obj = { ...keystroke, metadata: { ...keystroke.metadata, labels: { app: 'web2' } } };
  const after = withApiServerDefaults(next, 'apps/v1', 'Deployment', '1.35') as Obj;
  assert.equal(after.spec.template.spec, before.spec.template.spec);
  assert.deepEqual(after, withApiServerDefaults(fresh(next), 'apps/v1', 'Deployment', '1.35') as Obj);
  // A container edited after another paste: the other container keeps its copy.
  for (let i = 0; i < 5; i++) withApiServerDefaults(deployment([{ name: `q${i}`, image: 'busybox' }]), 'apps/v1', 'Deployment', '1.35');
  const ps = next.spec.template.spec;
  const retagged: Obj = { ...next, spec: { template: { ...next.spec.template, spec: { ...ps, containers: [{ ...ps.containers[0], image: 'nginx:2' }, ps.containers[1]] } } } };
  const edited = withApiServerDefaults(retagged, 'apps/v1', 'Deployment', '1.35') as Obj;
  assert.deepEqual(edited, withApiServerDefaults(fresh(retagged), 'apps/v1', 'Deployment', '1.35') as Obj);
});
