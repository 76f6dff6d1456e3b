// One walk applies OpenAPI `default`s for both callers (k8s/schema-defaulting.ts): a CRD's structural
// schema (crd/defaults.ts withDefaults) and the release's OpenAPI data of built-in kinds
// (defaults/ withApiServerDefaults). Upstream: apiextensions-apiserver
// pkg/apiserver/schema/defaulting/algorithm.go Default, prunenulls.go PruneNonNullableNullsWithoutDefaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDefaults } from '../../server/src/crd/defaults';
import { withApiServerDefaults } from '../../server/src/defaults';
import { fillSchemaDefaults, withSchemaDefaults, type DefaultingNode } from '../../server/src/k8s/schema-defaulting';
import type { StructuralSchema } from '../../server/src/k8s/structural-schema';

type Obj = Record<string, any>;
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

const widget: StructuralSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      default: {},
      properties: {
        size: { type: 'string', default: 'small' },
        limits: { type: 'object', properties: { cpu: { type: 'string', default: '1' }, memory: { type: 'string' } } },
        ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } } },
        labels: { type: 'object', additionalProperties: { type: 'object', properties: { weight: { type: 'integer', default: 1 } } } },
        note: { type: 'string', nullable: true, default: 'n' },
        mode: { type: 'string', default: 'fast' },
        owner: { type: 'string' },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { level: { type: 'integer', default: 3 } } },
        policy: { type: 'object', default: { kind: 'strict' }, properties: { kind: { type: 'string' }, retries: { type: 'integer', default: 5 } } },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};

test('CRD: nested objects, arrays of objects, additionalProperties and a missing object get their defaults, the defaults inside an inserted default too', () => {
  const out = withDefaults({ spec: { limits: {}, ports: [{ port: 80 }, { port: 81, protocol: 'UDP' }], labels: { a: {}, b: { weight: 5 } } } }, widget) as Obj;
  assert.deepEqual(plain(out.spec), {
    limits: { cpu: '1' },
    ports: [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'UDP' }],
    labels: { a: { weight: 1 }, b: { weight: 5 } },
    size: 'small',
    note: 'n',
    mode: 'fast',
    policy: { kind: 'strict', retries: 5 },
  });
  assert.deepEqual(plain(withDefaults({}, widget)), { spec: { size: 'small', note: 'n', mode: 'fast', policy: { kind: 'strict', retries: 5 } } }, 'the default {} of spec is defaulted in turn');
});

test('CRD: a null of a nullable field stays; a non-nullable null takes its default (defaulted in turn) or, without one, is dropped, in its place', () => {
  const out = withDefaults({ spec: { note: null, mode: null, owner: null, policy: null, size: 'big' } }, widget) as Obj;
  assert.deepEqual(Object.keys(out.spec), ['note', 'mode', 'policy', 'size'], 'replaced in place, owner dropped');
  assert.equal(out.spec.note, null);
  assert.equal(out.spec.mode, 'fast');
  assert.deepEqual(plain(out.spec.policy), { kind: 'strict', retries: 5 });
});

test('CRD: x-kubernetes-preserve-unknown-fields keeps unknown fields as written (no schema, no defaults) and still defaults the declared ones', () => {
  const out = withDefaults({ spec: { extra: { anything: { level: null, nested: {} } } } }, widget) as Obj;
  assert.deepEqual(plain(out.spec.extra), { anything: { level: null, nested: {} }, level: 3 });
});

test('CRD: the input is never changed, a subtree without defaults is the same object, and the same value gets the same copy', () => {
  const input = { spec: { size: 'big', mode: 'slow', note: 'x', policy: { kind: 'k', retries: 1 }, limits: { cpu: '2' } }, status: { phase: 'Ready' } };
  const before = JSON.stringify(input);
  const out = withDefaults(input, widget) as Obj;
  assert.equal(JSON.stringify(input), before);
  assert.equal(out, input, 'nothing to default: the value itself');
  const partial = { spec: { limits: {} }, status: { phase: 'Ready' } };
  const first = withDefaults(partial, widget) as Obj;
  assert.notEqual(first, partial);
  assert.equal(first.status, partial.status);
  assert.deepEqual(partial.spec.limits, {});
  assert.equal(withDefaults(partial, widget), first, 'remembered per value');
});

test('built-in: the release OpenAPI defaults reach nested objects and arrays of objects (a port protocol, a container resources {}), and a null stays as written', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { template: { spec: { containers: [{ name: 'a', image: 'nginx:1', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }], resources: null }] } } },
  };
  const out = withApiServerDefaults(deployment, 'apps/v1', 'Deployment', '1.35') as Obj;
  const [container] = out.spec.template.spec.containers;
  assert.deepEqual(container.ports, [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }]);
  assert.equal(container.resources, null, 'kdry does not model Go decoding null into a zero value');
  assert.deepEqual(out.status, {});
  // A Service's ports: an array of objects with a `+default` protocol; its map of selector labels takes no default.
  const service = withApiServerDefaults({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }, 'v1', 'Service', '1.35') as Obj;
  assert.equal(service.spec.ports[0].protocol, 'TCP');
  assert.deepEqual(service.spec.selector, { app: 'web' });
});

/** A hand-made node: the walk needs only DefaultingNode, whatever schema kind it comes from. */
function node(fields: Partial<DefaultingNode> & { properties?: Record<string, DefaultingNode>; additional?: DefaultingNode }): DefaultingNode {
  const { properties = {}, additional, ...rest } = fields;
  return { items: undefined, defaults: [], default: undefined, nullable: false, defaultsBelow: true, property: (key) => properties[key] ?? additional, ...rest };
}

test('in place: fills the value the caller owns and leaves a frozen (shared, defaulted) subtree alone', () => {
  const leaf = node({ defaults: [['b', 2]] });
  const root = node({ properties: { x: leaf, y: leaf } });
  const shared = Object.freeze({ a: 1 });
  const owned: Obj = { x: { a: 1 }, y: shared };
  fillSchemaDefaults(owned, root);
  assert.deepEqual(owned, { x: { a: 1, b: 2 }, y: { a: 1 } });
  assert.equal(owned.y, shared);
});

test('a schema that holds itself, with a default of its own type, stops at a bounded depth', () => {
  const selfish: DefaultingNode = node({ default: {} });
  Object.assign(selfish, { defaults: [['child', {}]], property: () => selfish });
  let depth = 0;
  for (let v = withSchemaDefaults({}, selfish) as Obj; v?.child; v = v.child) depth++;
  assert.ok(depth > 10 && depth < 100, `depth ${depth}`);
});
