import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { applyFix, findings, fixTitled, slice, valueOf } from './helpers';
import { fixesOf } from '../../server/src/findings';

const ID = 'selector-mismatch';

const deployment = (selector: string, labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
${selector}
  template:
${labels}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

test('a mismatching matchLabels entry is reported on its key, with both fixes', () => {
  const text = deployment('    matchLabels:\n      app: web\n      tier: api', '    metadata:\n      labels:\n        app: web\n        tier: frontend');
  const [f, ...rest] = findings(ID, text);
  assert.equal(rest.length, 0);
  assert.equal(slice(text, f.range), 'tier');
  assert.equal(f.range[0], text.indexOf('tier: api'));
  assert.match(f.message, /requires tier=api, but its pod template has tier=frontend/);
  assert.match(f.message, /`selector` does not match template `labels`/);

  const added = applyFix(text, fixTitled(f, 'Add tier=api'));
  assert.deepEqual((valueOf(added) as any).spec.template.metadata.labels, { app: 'web', tier: 'api' });
  assert.deepEqual(findings(ID, added), []);

  const fromTemplate = applyFix(text, fixTitled(f, 'Set the selector'));
  assert.deepEqual((valueOf(fromTemplate) as any).spec.selector, { matchLabels: { app: 'web', tier: 'frontend' } });
  assert.deepEqual(findings(ID, fromTemplate), []);
});

test('a template without labels gets metadata.labels created at the document indentation', () => {
  const text = deployment('    matchLabels:\n      app: web', '    spec:\n      hostname: x'.replace('    spec:\n      hostname: x', '    metadata:\n      annotations: {a: b}'));
  const [f] = findings(ID, text);
  assert.match(f.message, /has no label "app"/);
  const fixed = applyFix(text, fixTitled(f, 'Add app=web'));
  assert.deepEqual((valueOf(fixed) as any).spec.template.metadata, { labels: { app: 'web' }, annotations: { a: 'b' } });
  assert.equal(fixTitled(f, 'Add').preferred, undefined);
  assert.equal(fixesOf(f).some((x) => x.title.startsWith('Set the selector')), false, 'no labels to derive a selector from');

  const noMeta = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n   name: d\nspec:\n   selector:\n     matchLabels:\n       app: "1"\n   template:\n     spec:\n       containers:\n       - name: c\n         image: busybox\n`;
  const [g] = findings(ID, noMeta);
  const fixedMeta = applyFix(noMeta, fixTitled(g, 'Add'));
  assert.ok(fixedMeta.includes('   template:\n     metadata:\n       labels:\n         app: "1"\n     spec:'), fixedMeta);
  assert.deepEqual(findings(ID, fixedMeta), []);
});

test('matchExpressions: the failing requirement is reported on its key value; In is fixable', () => {
  const text = deployment(
    '    matchExpressions:\n    - key: tier\n      operator: In\n      values: [api, web]\n    - {key: track, operator: NotIn, values: [canary]}',
    '    metadata:\n      labels:\n        app: web\n        track: stable',
  );
  const found = findings(ID, text);
  assert.equal(found.length, 1);
  assert.equal(slice(text, found[0].range), 'tier');
  assert.equal(found[0].range[0], text.indexOf('tier\n'));
  const fixed = applyFix(text, fixTitled(found[0], 'Add tier=api'));
  assert.equal((valueOf(fixed) as any).spec.template.metadata.labels.tier, 'api');
  assert.deepEqual(findings(ID, fixed), []);

  const notIn = deployment('    matchExpressions:\n    - {key: track, operator: NotIn, values: [canary]}', '    metadata:\n      labels:\n        track: canary');
  const [n] = findings(ID, notIn);
  assert.equal(slice(notIn, n.range), 'track');
  assert.equal(fixesOf(n).some((x) => x.title.startsWith('Add')), false, 'NotIn has no unambiguous label to add');
});

test('malformed requirements and empty selectors are rejected like the API server does', () => {
  const bad = deployment('    matchExpressions:\n    - {key: app, operator: Equals, values: [web]}', '    metadata:\n      labels:\n        app: web');
  const [f] = findings(ID, bad);
  assert.equal(slice(bad, f.range), 'Equals');
  assert.match(f.message, /not a valid selector operator/);
  const noValues = deployment('    matchExpressions:\n    - {key: app, operator: In, values: []}', '    metadata:\n      labels:\n        app: web');
  assert.match(findings(ID, noValues)[0].message, /must be specified when `operator` is 'In' or 'NotIn'/);

  const empty = deployment('    {}', '    metadata:\n      labels:\n        app: web').replace('selector:\n    {}', 'selector: {}');
  const [e] = findings(ID, empty);
  assert.equal(slice(empty, e.range), 'selector');
  assert.match(e.message, /empty selector is invalid for deployment/);
  const fixed = applyFix(empty, fixTitled(e, 'Set the selector'));
  assert.deepEqual((valueOf(fixed) as any).spec.selector, { matchLabels: { app: 'web' } });
});

test('Jobs: a selector needs manualSelector, and then must match', () => {
  const job = (extra: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: j
spec:
${extra}  selector:
    matchLabels:
      job: a
  template:
    metadata:
      labels:
        job: b
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
`;
  const [auto] = findings(ID, job(''));
  assert.match(auto.message, /`selector` not auto-generated/);
  const [manual] = findings(ID, job('  manualSelector: true\n'));
  assert.match(manual.message, /requires job=a/);
  const plain = `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n`;
  assert.deepEqual(findings(ID, plain), []);
});

test('the seed manifests (corrected and original) have matching selectors', () => {
  for (const dir of ['examples/corrected', 'examples/original']) {
    for (const f of readdirSync(dir)) {
      const text = readFileSync(`${dir}/${f}`, 'utf8');
      assert.deepEqual(findings(ID, text), [], `${dir}/${f}`);
    }
  }
});

test('comments above the selector survive the selector rewrite', () => {
  const text = deployment('    matchLabels:\n      app: api', '    metadata:\n      labels:\n        app: web').replace('  selector:', '  # who we own\n  selector:');
  const [f] = findings(ID, text);
  const fixed = applyFix(text, fixTitled(f, 'Set the selector'));
  assert.ok(fixed.includes('  # who we own\n  selector:\n    matchLabels:\n      app: web\n'), fixed);
});

test('flow-style labels are extended in place', () => {
  const text = deployment('    matchLabels: {app: web, tier: api}', '    metadata:\n      labels: {app: web, version: "1"}');
  const [f] = findings(ID, text);
  const fixed = applyFix(text, fixTitled(f, 'Add tier=api'));
  assert.ok(fixed.includes('labels: {app: web, version: "1", tier: api}'), fixed);
  assert.deepEqual(findings(ID, fixed), []);
});

test('the empty-selector message uses the API server\'s noun per kind', () => {
  const empty = (kind: string) => deployment('    {}', '    metadata:\n      labels:\n        app: web').replace('selector:\n    {}', 'selector: {}').replace('kind: Deployment', `kind: ${kind}`);
  assert.match(findings(ID, empty('ReplicaSet'))[0].message, /empty selector is invalid for deployment/);
  assert.match(findings(ID, empty('StatefulSet'))[0].message, /empty selector is invalid for statefulset/);
  assert.match(findings(ID, empty('DaemonSet'))[0].message, /empty selector is invalid for daemonset/);
});

test('a Job with manualSelector but no selector is rejected; the fix derives one', () => {
  const text = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  manualSelector: true\n  template:\n    metadata:\n      labels:\n        job: a\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n';
  const [f] = findings(ID, text);
  assert.equal(slice(text, f.range), 'manualSelector');
  assert.match(f.message, /spec\.selector: Required value/);
  const fixed = applyFix(text, fixTitled(f, 'Set the selector'));
  assert.deepEqual((valueOf(fixed) as any).spec.selector, { matchLabels: { job: 'a' } });
  assert.deepEqual(findings(ID, fixed), []);
});
