import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseManifest } from '../../server/src/manifest';
import { rule } from './helpers';
import { applyFix, findings, fixTitled, slice } from './helpers';
import { fixesOf } from '../../server/src/findings';

const ID = 'statefulset-service-name';
const sts = (spec: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: data
spec:
${spec}  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:16
        ports:
        - {containerPort: 5432, name: pg}
        - {containerPort: 9187}
`;
const service = (name: string, extra: string, ns = 'data') => `---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${extra}  selector: {app: db}
  ports: [{port: 5432}]
`;
const values = (text: string) => parseManifest(text).documents.map((d) => d.value as any);

test('the rule is cross-document', () => assert.equal(rule(ID).crossDocument, true));

test('no serviceName: reported on spec, the fix adds it and appends a headless Service', () => {
  const text = sts('');
  const [f] = findings(ID, text);
  assert.equal(slice(text, f.range), 'spec');
  assert.match(f.message, /no stable DNS names \(`db-0\.<serviceName>\.<namespace>\.svc\.cluster\.local`\)/);
  const fixed = applyFix(text, fixTitled(f, 'Add serviceName: db and a headless Service'));
  const [s, svc] = values(fixed);
  assert.equal(s.spec.serviceName, 'db');
  assert.deepEqual(svc, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db', namespace: 'data' },
    spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432, targetPort: 'pg' }, { name: 'port-2', port: 9187 }] },
  });
  assert.deepEqual(findings(ID, fixed), []);
});

test('no serviceName but a headless Service elsewhere in the workspace selects the pods: preferred fix names it', () => {
  const text = sts('');
  const [f] = findings(ID, text, { 'file:///work/svc.yaml': service('db-headless', '  clusterIP: None\n') });
  const fix = fixTitled(f, 'Add serviceName: db-headless');
  assert.equal(fix.preferred, true);
  assert.equal(values(applyFix(text, fix))[0].spec.serviceName, 'db-headless');
  // a Service in another namespace does not count
  const [g] = findings(ID, text, { 'file:///work/svc.yaml': service('db-headless', '  clusterIP: None\n', 'other') });
  assert.equal(fixesOf(g).some((x) => x.title.includes('db-headless')), false);
});

test('a Service that is not headless: reported on serviceName, fixable in the same file', () => {
  const text = sts('  serviceName: db\n') + service('db', '');
  const [f] = findings(ID, text);
  assert.equal(slice(text, f.range), 'db');
  assert.equal(f.range[0], text.indexOf('serviceName: db') + 'serviceName: '.length);
  assert.match(f.message, /is not headless/);
  const fixed = applyFix(text, fixTitled(f, 'Make Service "db" headless'));
  assert.equal(values(fixed)[1].spec.clusterIP, 'None');
  assert.deepEqual(findings(ID, fixed), []);
  // in another file: reported, no edit offered in this file
  const [g] = findings(ID, sts('  serviceName: db\n'), { 'file:///work/svc.yaml': service('db', '') });
  assert.match(g.message, /in file:\/\/\/work\/svc\.yaml/);
  assert.deepEqual(fixesOf(g), []);
});

test('a headless Service that selects other pods', () => {
  const text = sts('  serviceName: db\n') + service('db', '  clusterIP: None\n').replace('{app: db}', '{app: cache}');
  const [f] = findings(ID, text);
  assert.match(f.message, /does not select the pods .* \(selector app=cache, pod labels app=db\)/);
});

test('the seed StatefulSet: its Service is missing; the fix reproduces the corrected example', () => {
  const original = readFileSync('examples/original/statefulset-web.yaml', 'utf8');
  const corrected = readFileSync('examples/corrected/statefulset-web.yaml', 'utf8');
  const [f] = findings(ID, original);
  assert.equal(f.severity, 'info');
  assert.equal(slice(original, f.range), '"nginx"');
  const fixed = applyFix(original, fixesOf(f)[0]);
  assert.deepEqual(values(fixed), values(corrected));
  assert.deepEqual(findings(ID, corrected), []);
});
