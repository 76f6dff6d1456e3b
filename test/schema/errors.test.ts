// Every class of schema error lands on the exact key or value, once, with a Kubernetes-worded message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaFindings, deployment, VALID_TEMPLATE } from './helpers';
import { fixesOf } from '../../server/src/findings';

test('a valid Deployment has no schema findings', () => {
  assert.deepEqual(schemaFindings(deployment(['replicas: 3', ...VALID_TEMPLATE])), []);
});

test('wrong type sits on the value', () => {
  const [f, ...rest] = schemaFindings(deployment(['replicas: "three"', ...VALID_TEMPLATE]));
  assert.equal(rest.length, 0);
  assert.equal(f.ruleId, 'schema');
  assert.equal(f.severity, 'error');
  assert.equal(f.text, '"three"');
  assert.match(f.message, /spec\.replicas must be an integer/);
  assert.match(f.message, /API server rejects/);
});

test('a number where Kubernetes wants a string (label value, env value) sits on the value', () => {
  const text = deployment([
    ...VALID_TEMPLATE.slice(0, 4),
    '    labels: {app: web, version: 1.0}',
    ...VALID_TEMPLATE.slice(5),
    '      env:',
    '      - name: PORT',
    '        value: 8080',
  ]);
  const found = schemaFindings(text);
  assert.deepEqual(found.map((f) => f.text), ['1.0', '8080']);
  assert.match(found[0].message, /spec\.template\.metadata\.labels\.version must be a string, but it is the number 1\.0/);
  assert.match(found[1].message, /containers\[0\]\.env\[0\]\.value must be a string/);
});

test('missing required field sits on the parent key and names the field', () => {
  const text = deployment(['replicas: 2', ...VALID_TEMPLATE.slice(2, 6), '    restartPolicy: Always']);
  const found = schemaFindings(text);
  assert.deepEqual(found.map((f) => f.text), ['spec', 'spec']);
  assert.equal(found[0].range[0], text.indexOf('spec:'), 'the top-level spec lacks selector');
  assert.match(found[0].message, /^spec is missing the required field "selector"\..*spec\.selector: Required value/);
  assert.equal(found[1].range[0], text.indexOf('    spec:') + 4, 'the template spec lacks containers');
  assert.match(found[1].message, /spec\.template\.spec is missing the required field "containers"/);
});

test('a list item missing its required name is reported on the item', () => {
  const text = deployment([...VALID_TEMPLATE, '    - image: busybox']);
  const [f, ...rest] = schemaFindings(text);
  assert.equal(rest.length, 0);
  assert.equal(f.text, 'image');
  assert.equal(f.range[0], text.indexOf('image: busybox'));
  assert.match(f.message, /containers\[1\] is missing the required field "name"/);
});

test('a required field left empty is reported on its key', () => {
  const text = deployment([...VALID_TEMPLATE.slice(0, 6), '    containers:']);
  const [f, ...rest] = schemaFindings(text);
  assert.equal(rest.length, 0);
  assert.equal(f.text, 'containers');
  assert.match(f.message, /containers is empty but required/);
});

test('an empty optional field is not an error (null means unset)', () => {
  assert.deepEqual(schemaFindings(deployment(['strategy:', 'replicas:', ...VALID_TEMPLATE])), []);
});

test('enum value sits on the value and lists the allowed values', () => {
  const text = deployment([...VALID_TEMPLATE, '      imagePullPolicy: Sometimes']);
  const [f, ...rest] = schemaFindings(text);
  assert.equal(rest.length, 0);
  assert.equal(f.text, 'Sometimes');
  assert.match(f.message, /"Sometimes" is not a valid value for imagePullPolicy; use one of "Always", "IfNotPresent", "Never"/);
  assert.match(f.message, /Unsupported value/);
});

test('enum fields across kinds: strategy type, Service type, CronJob concurrencyPolicy, list items', () => {
  const text = [
    deployment(['strategy: {type: Rolling}', ...VALID_TEMPLATE]),
    '---',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: Headless\n  ports: [{port: 80, protocol: tcp}]\n',
    '---',
    'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "@daily"\n  concurrencyPolicy: Never\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: busybox}]\n',
    '---',
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: postgres}]}\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec:\n      accessModes: [ReadWriteOnce, ReadWriteAll]\n',
  ].join('\n');
  assert.deepEqual(schemaFindings(text).map((f) => f.text), ['Rolling', 'Headless', 'tcp', 'Never', 'ReadWriteAll']);
});

test('unknown field sits on the key with a did-you-mean', () => {
  const text = deployment(['replica: 3', ...VALID_TEMPLATE]);
  const [f, ...rest] = schemaFindings(text);
  assert.equal(rest.length, 0);
  assert.equal(f.text, 'replica');
  assert.match(f.message, /Unknown field "replica" in spec\. Did you mean "replicas"\?/);
  assert.match(f.message, /kubectl apply fails with: strict decoding error: unknown field "spec\.replica"/);
  assert.equal(fixesOf(f)[0].edits[0].newText, 'replicas');
  assert.equal(fixesOf(f)[0].preferred, true);
});

test('a misspelt required field gives one finding, not also "missing containers"', () => {
  const text = deployment([...VALID_TEMPLATE.slice(0, 6), '    contianers:', '    - name: web', '      image: nginx']);
  const found = schemaFindings(text);
  assert.equal(found.length, 1);
  assert.equal(found[0].text, 'contianers');
  assert.match(found[0].message, /Did you mean "containers" \(required, missing\)\?/);
});

test('fields at the wrong level say where they belong (the seed rollout mistake)', () => {
  const text = deployment(['strategy:', 'type: RollingUpdate', 'rollingUpdate:', 'maxSurge: 0', 'maxUnavailable: 1', ...VALID_TEMPLATE]);
  const found = schemaFindings(text);
  assert.deepEqual(found.map((f) => f.text), ['type', 'rollingUpdate', 'maxSurge', 'maxUnavailable']);
  assert.match(found[2].message, /"maxSurge" belongs at spec\.strategy\.rollingUpdate\.maxSurge/);
  assert.match(found[0].message, /"type" belongs at spec\.strategy\.type/);
});

test('an unknown field with no close name gets no rename fix', () => {
  const [f] = schemaFindings(deployment(['colour: blue', ...VALID_TEMPLATE]));
  assert.equal(f.text, 'colour');
  assert.equal(f.fixes, undefined);
});

test('unknown fields inside maps of objects, list items and metadata', () => {
  const text = deployment([
    ...VALID_TEMPLATE,
    '      ports:',
    '      - containerPort: 80',
    '        protocl: TCP',
    '      resources:',
    '        limit: {cpu: 1}',
  ]).replace('  name: web\n', '  name: web\n  label: {a: b}\n');
  const found = schemaFindings(text);
  assert.deepEqual(found.map((f) => f.text), ['label', 'protocl', 'limit']);
  assert.match(found[0].message, /Did you mean "labels"\?/);
  assert.match(found[1].message, /spec\.template\.spec\.containers\[0\]\.ports\[0\]\.protocl/);
  assert.match(found[2].message, /Did you mean "limits"\?/);
});

test('int-or-string: maxSurge/maxUnavailable strings must be percentages', () => {
  const text = deployment(['strategy:', '  rollingUpdate:', '    maxSurge: "3"', '    maxUnavailable: 25 %', ...VALID_TEMPLATE]);
  const found = schemaFindings(text);
  assert.deepEqual(found.map((f) => f.text), ['"3"', '25 %']);
  assert.match(found[0].message, /maxSurge must be a number of pods \(e\.g\. 1\) or a percentage \(e\.g\. "25%"\)/);
  assert.match(found[0].message, /a valid percent string must be a numeric string followed by an ending '%'/);
  const ok = deployment(['strategy:', '  rollingUpdate:', '    maxSurge: 3', '    maxUnavailable: "10%"', ...VALID_TEMPLATE]);
  assert.deepEqual(schemaFindings(ok), []);
});

test('int-or-string: a probe or Service port string must be a port name', () => {
  const text = deployment([...VALID_TEMPLATE, '      readinessProbe:', '        httpGet: {port: HTTP_8080}', '      livenessProbe:', '        tcpSocket: {port: web}']);
  const found = schemaFindings(text);
  assert.deepEqual(found.map((f) => f.text), ['HTTP_8080']);
  assert.match(found[0].message, /neither a port number nor a port name/);
});

test('int-or-string fields reject other types', () => {
  const [f] = schemaFindings(deployment(['strategy:', '  rollingUpdate:', '    maxSurge: [1]', ...VALID_TEMPLATE]));
  assert.equal(f.text, '[1]');
  assert.match(f.message, /must be an integer or a string/);
});

test('quantity format sits on the value', () => {
  const text = deployment([...VALID_TEMPLATE, '      resources:', '        requests: {cpu: 100m, memory: 1Gi, ephemeral-storage: 1e3}', '        limits: {cpu: half, memory: 1GB}']);
  const found = schemaFindings(text);
  assert.deepEqual(found.map((f) => f.text), ['half', '1GB']);
  assert.match(found[0].message, /"half" is not a Kubernetes quantity/);
  assert.match(found[0].message, /quantities must match the regular expression/);
});

test('32-bit integer fields reject values beyond int32', () => {
  const [f] = schemaFindings(deployment(['replicas: 3000000000', ...VALID_TEMPLATE]));
  assert.equal(f.text, '3000000000');
  assert.match(f.message, /32-bit integer/);
});

test('a wrong type inside an enum field gives one finding, not also the enum', () => {
  const found = schemaFindings(deployment([...VALID_TEMPLATE, '      imagePullPolicy: 3']));
  assert.equal(found.length, 1);
  assert.match(found[0].message, /must be a string/);
});

test('each document of a multi-document file is checked against its own kind', () => {
  const text = [deployment(['replicas: x', ...VALID_TEMPLATE]), '---', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  replicas: 3\n  ports: [{port: 80}]\n'].join('\n');
  const found = schemaFindings(text);
  assert.deepEqual(found.map((f) => f.text), ['x', 'replicas']);
  assert.equal(found[1].range[0], text.lastIndexOf('replicas'));
  assert.match(found[1].message, /Unknown field "replicas" in spec/);
});

test('an empty object that Kubernetes needs filled is reported on its key', () => {
  const text = deployment([...VALID_TEMPLATE.slice(0, 2), 'template:', '  metadata:', '    labels: {app: web}', '  spec:']);
  const [f, ...rest] = schemaFindings(text);
  assert.equal(rest.length, 0);
  assert.equal(f.text, 'spec');
  assert.equal(f.range[0], text.indexOf('    spec:') + 4);
  assert.match(f.message, /spec\.template\.spec is empty, but it needs "containers".*spec\.template\.spec\.containers: Required value/);
  const empty = schemaFindings(deployment(['selector:', ...VALID_TEMPLATE.slice(2)]));
  assert.deepEqual(empty.map((x) => [x.text, /spec\.selector is empty but required/.test(x.message)]), [['selector', true]]);
});

test('keys with "/" and "~" (JSON-pointer escapes) still find their range', () => {
  const text = deployment(VALID_TEMPLATE).replace('  name: web\n', '  name: web\n  annotations:\n    example.com/a~b: 3\n');
  const [f, ...rest] = schemaFindings(text);
  assert.equal(rest.length, 0);
  assert.equal(f.text, '3');
  assert.equal(f.range[0], text.indexOf('a~b: 3') + 5);
  assert.match(f.message, /metadata\.annotations\.example\.com\/a~b must be a string/);
});
