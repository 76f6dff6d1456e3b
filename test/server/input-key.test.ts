// The key of what the engine reads (server/src/lsp/simulation-reuse.ts inputKey), which the Dry-run
// and the simulation checks reuse a run by: it changes exactly when the value a worker thread
// receives changes (its structured clone's bytes, the oracle here), over edits of a Rollout made
// through the server's own parse (FileStore, whose incremental parse keeps unchanged subtrees);
// keying an edited workload again reads only the objects on the path to the edit; and odd values
// (a cycle, a Map, a function) neither hang nor share a key they should not.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { serialize } from 'node:v8';
import { FileStore } from '../../server/src/lsp/files';
import { inputKey } from '../../server/src/lsp/simulation-reuse';

const URI = 'file:///ws/rollout.yaml';

/** An Argo Rollout with a canary plan, two containers, probes and an analysis, comments included. */
const ROLLOUT = `# the web tier
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web # shown in the view
  labels:
    app: web
    tier: frontend
spec:
  replicas: 10
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      app: web
  strategy:
    canary:
      maxSurge: 25%
      maxUnavailable: 0
      steps:
        - setWeight: 20
        - pause: { duration: 30s }
        - setWeight: 50
        - analysis:
            templates:
              - templateName: success-rate
        - pause: {}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet: { path: /healthz, port: 8080 }
            periodSeconds: 5
          resources:
            requests:
              cpu: 250m
              memory: 128Mi
        - name: sidecar
          image: envoy:1.30
          args: ["--config", "/etc/envoy.yaml"]
          resources:
            requests: { cpu: 50m, memory: 64Mi }
`;

/** The workload's value after opening `before` and editing it to `after`, as the server parses both. */
function parsedPair(before: string, after: string): [unknown, unknown] {
  const files = new FileStore();
  const first = files.update(URI, before).documents[0].value;
  return [first, files.update(URI, after).documents[0].value];
}

const sameBytes = (a: unknown, b: unknown) => serialize(a).equals(serialize(b));

/** Edits of the Rollout: some the engine reads (another value, type, order or shape), some it cannot (comments, spacing, quoting, style). */
const EDITS: [string, (text: string) => string][] = [
  ['a comment added', (t) => t.replace('  replicas: 10', '  replicas: 10 # scaled by hand')],
  ['a comment line', (t) => t.replace('  template:\n', '  # the pods\n  template:\n')],
  ['spaces after a value', (t) => t.replace('image: nginx:1.27', 'image: nginx:1.27   ')],
  ['a value quoted', (t) => t.replace('image: nginx:1.27', 'image: "nginx:1.27"')],
  ['a map written in flow style', (t) => t.replace('            requests:\n              cpu: 250m\n              memory: 128Mi', '            requests: { cpu: 250m, memory: 128Mi }')],
  ['a number written another way', (t) => t.replace('periodSeconds: 5', 'periodSeconds: 0x5')],
  ['the image', (t) => t.replace('image: nginx:1.27', 'image: nginx:1.28')],
  ['the image typed on (one character)', (t) => t.replace('image: nginx:1.27', 'image: nginx:1.270')],
  ['replicas', (t) => t.replace('replicas: 10', 'replicas: 11')],
  ['replicas as a string', (t) => t.replace('replicas: 10', 'replicas: "10"')],
  ['a request to .inf', (t) => t.replace('cpu: 50m', 'cpu: .inf')],
  ['a value to null', (t) => t.replace('revisionHistoryLimit: 3', 'revisionHistoryLimit: ~')],
  ['a value to false', (t) => t.replace('revisionHistoryLimit: 3', 'revisionHistoryLimit: false')],
  ['two keys swapped', (t) => t.replace('      maxSurge: 25%\n      maxUnavailable: 0', '      maxUnavailable: 0\n      maxSurge: 25%')],
  ['a canary step removed', (t) => t.replace('        - setWeight: 50\n', '')],
  ['an empty map to an empty list', (t) => t.replace('- pause: {}', '- pause: []')],
  ['a label key renamed', (t) => t.replace('    tier: frontend', '    tiers: frontend')],
  ['an argument', (t) => t.replace('"/etc/envoy.yaml"', '"/etc/envoy2.yaml"')],
  ['nothing', (t) => t],
];

test('the key changes exactly when the value the engine receives changes, over edits made through the server parse', () => {
  let changed = 0;
  for (const [what, edit] of EDITS) {
    const edited = edit(ROLLOUT);
    const [before, after] = parsedPair(ROLLOUT, edited);
    const engineReadsAlike = sameBytes(before, after);
    if (!engineReadsAlike) changed++;
    assert.equal(inputKey(after) === inputKey(before), engineReadsAlike, `${what}: the keys ${engineReadsAlike ? 'differ' : 'are equal'}`);
    // the same text parsed afresh (no subtree kept from the edit) has the same key
    assert.equal(inputKey(new FileStore().update(URI, edited).documents[0].value), inputKey(after), `${what}: a fresh parse`);
  }
  assert.ok(changed >= 10 && changed < EDITS.length - 5, `both kinds of edits are tried (${changed} of ${EDITS.length} changed)`);
});

test('the key changes exactly when the value changes, over seeded edits of one scalar at a time (each on the last edit)', () => {
  const values = ['1', '2', '01', '"1"', '1.0', 'true', 'yes', '~', 'null', '.inf', 'web', 'web2', '"web"', "'web'", '250m', '0.25', '1e3', '0o17', '""'];
  const scalars = [...ROLLOUT.matchAll(/^( *(?:- )?[A-Za-z]+: )([^{[\n#]+?)$/gm)];
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const files = new FileStore();
  let text = ROLLOUT;
  let value = files.update(URI, text).documents[0].value;
  let key = inputKey(value);
  for (let i = 0; i < 120; i++) {
    const line = scalars[random(scalars.length)];
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith(line[1]));
    lines[at] = `${line[1]}${values[random(values.length)]}`;
    const next = lines.join('\n');
    const nextValue = files.update(URI, next).documents[0].value;
    const nextKey = inputKey(nextValue);
    assert.equal(nextKey === key, sameBytes(value, nextValue), `edit ${i}: ${lines[at]}`);
    assert.equal(nextKey, inputKey(new FileStore().update(URI, next).documents[0].value), `edit ${i}: a fresh parse`);
    [text, value, key] = [next, nextValue, nextKey];
  }
});

test('keying a workload again after a one-scalar edit reads only the objects on the path to the edit', () => {
  // two containers with 150 environment variables each: about 940 lines
  const env = Array.from({ length: 150 }, (_, i) => `            - name: VAR_${i}\n              value: value-${i}\n`).join('');
  const big = ROLLOUT.replace('          ports:\n', `          env:\n${env}          ports:\n`).replace('          args:', `          env:\n${env}          args:`);
  const files = new FileStore();
  files.update(URI, big);
  // the first edit after an open is parsed in full (keeping its events); the next is patched into it
  const first = files.update(URI, big.replace('cpu: 250m', 'cpu: 260m')).documents[0].value as any;
  inputKey(first);
  const edited = files.update(URI, big.replace('cpu: 250m', 'cpu: 300m')).documents[0].value as any;
  const sidecar = edited.spec.template.spec.containers[1];
  assert.equal(sidecar, first.spec.template.spec.containers[1], 'the parse kept the unchanged container');
  // neither container's environment is read again (a container itself is small enough to be described again)
  for (const untouched of [sidecar.env[0], edited.spec.template.spec.containers[0].env[0]]) {
    for (const key of Object.keys(untouched)) Object.defineProperty(untouched, key, { get: () => assert.fail(`read ${key} again`), enumerable: true });
  }
  const keyed = mock.method(WeakMap.prototype, 'set');
  try {
    const key = inputKey(edited);
    // at most the Rollout, spec, template, its spec, the containers list, the web container, its resources and requests
    assert.ok(keyed.mock.callCount() > 0 && keyed.mock.callCount() <= 8, `${keyed.mock.callCount()} objects keyed`);
    keyed.mock.resetCalls();
    assert.equal(inputKey(edited), key);
    assert.equal(keyed.mock.callCount(), 0, 'keyed once');
  } finally {
    keyed.mock.restore();
  }
});

test('a shared subtree, a cycle, a Map and a Date are keyed by what they hold; a function is refused as postMessage refuses it', () => {
  const template = { containers: [{ name: 'web', image: 'nginx' }] };
  assert.equal(inputKey({ a: template, b: template }), inputKey({ a: structuredClone(template), b: structuredClone(template) }));
  const cyclic: Record<string, unknown> = { name: 'web' };
  cyclic.self = cyclic;
  const other: Record<string, unknown> = { name: 'web' };
  other.self = other;
  assert.equal(inputKey(cyclic), inputKey(other));
  assert.notEqual(inputKey(cyclic), inputKey({ name: 'web', self: { name: 'web' } }));
  assert.equal(inputKey({ m: new Map([['a', 1]]) }), inputKey({ m: new Map([['a', 1]]) }));
  assert.notEqual(inputKey({ m: new Map([['a', 1]]) }), inputKey({ m: new Map([['a', 2]]) }));
  assert.notEqual(inputKey({ at: new Date(0) }), inputKey({ at: new Date(1) }));
  assert.notEqual(inputKey({ at: new Date(0) }), inputKey({ at: 0 }));
  assert.notEqual(inputKey([1, , 3]), inputKey([1, undefined, 3]));
  assert.notEqual(inputKey(-0), inputKey(0));
  assert.notEqual(inputKey({ a: '1' }), inputKey({ a: 1 }));
  assert.notEqual(inputKey(['a,b']), inputKey(['a', 'b']));
  assert.notEqual(inputKey({ 'a":s"b': 1 }), inputKey({ a: 's"b' }));
  assert.throws(() => inputKey({ kind: 'ConfigMap', build: () => undefined }), /could not be cloned/);
  let deep: unknown = 'leaf';
  for (let i = 0; i < 200_000; i++) deep = [deep];
  assert.throws(() => inputKey(deep), RangeError, 'nesting deeper than structured clone takes is refused as it refuses it, not a hang');
});
