import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, fixTitled, slice, valueOf, workload } from './helpers';
import { fixesOf } from '../../server/src/findings';

const ID = 'rolling-update-params';

test('rollingUpdate with type Recreate: on the rollingUpdate key, with both fixes', () => {
  const text = workload('Deployment', '  strategy:\n    type: Recreate\n    rollingUpdate:\n      maxSurge: 1');
  const [f] = findings(ID, text);
  assert.equal(slice(text, f.range), 'rollingUpdate');
  assert.match(f.message, /spec\.strategy\.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'/);
  const removed = applyFix(text, fixTitled(f, 'Remove rollingUpdate'));
  assert.deepEqual((valueOf(removed) as any).spec.strategy, { type: 'Recreate' });
  assert.deepEqual(findings(ID, removed), []);
  const switched = applyFix(text, fixTitled(f, 'Change type'));
  assert.deepEqual((valueOf(switched) as any).spec.strategy.type, 'RollingUpdate');
});

test('Deployment: both zero, maxUnavailable over 100%, negatives and bare-number strings', () => {
  const zero = workload('Deployment', '  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0%');
  const [z] = findings(ID, zero);
  assert.equal(slice(zero, z.range), '0%');
  assert.match(z.message, /maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0/);
  const fixed = applyFix(zero, fixTitled(z, 'Set maxSurge to 1'));
  assert.equal((valueOf(fixed) as any).spec.strategy.rollingUpdate.maxSurge, 1);
  assert.deepEqual(findings(ID, fixed), []);

  // an absent parameter is defaulted to 25% before validation: one zero alone is fine
  assert.deepEqual(findings(ID, workload('Deployment', '  strategy:\n    rollingUpdate:\n      maxSurge: 0')), []);
  // a Deployment may surge above 100%, but not be more than 100% unavailable
  const over = workload('Deployment', '  strategy:\n    rollingUpdate:\n      maxSurge: 200%\n      maxUnavailable: 120%');
  const o = findings(ID, over);
  assert.deepEqual(o.map((f) => slice(over, f.range)), ['120%']);
  assert.match(o[0].message, /must not be greater than 100%/);
  assert.equal((valueOf(applyFix(over, fixTitled(o[0], 'Set to 100%'))) as any).spec.strategy.rollingUpdate.maxUnavailable, '100%');

  const neg = workload('Deployment', '  strategy:\n    rollingUpdate:\n      maxSurge: -1\n      maxUnavailable: "25"');
  const n = findings(ID, neg);
  assert.deepEqual(n.map((f) => slice(neg, f.range)), ['-1', '"25"']);
  assert.match(n[0].message, /must be greater than or equal to 0/);
  assert.match(n[1].message, /a valid percent string must be a numeric string followed by an ending '%' \(e\.g\. '1%', or '93%', regex used for validation is '\[0-9\]\+%'\)/);
});

test('DaemonSet: exactly one of maxSurge and maxUnavailable, counting the defaults', () => {
  const surgeOnly = workload('DaemonSet', '  updateStrategy:\n    rollingUpdate:\n      maxSurge: 1');
  const [s] = findings(ID, surgeOnly);
  assert.equal(slice(surgeOnly, s.range), '1');
  assert.match(s.message, /may not be set when maxUnavailable is non-zero \(maxUnavailable defaults to 1\)/);
  const fixed = applyFix(surgeOnly, fixTitled(s, 'Set maxUnavailable to 0'));
  assert.deepEqual((valueOf(fixed) as any).spec.updateStrategy.rollingUpdate, { maxSurge: 1, maxUnavailable: 0 });
  assert.deepEqual(findings(ID, fixed), []);

  const none = workload('DaemonSet', '  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 0');
  assert.match(findings(ID, none)[0].message, /cannot be 0 when maxSurge is 0/);
  const over = workload('DaemonSet', '  updateStrategy:\n    rollingUpdate:\n      maxSurge: 150%\n      maxUnavailable: 0');
  assert.match(findings(ID, over)[0].message, /maxSurge: Invalid value: "150%": must not be greater than 100%/);
  assert.deepEqual(findings(ID, workload('DaemonSet', '  updateStrategy:\n    type: OnDelete')), []);
});

test('StatefulSet: rollingUpdate with OnDelete, negative partition, zero maxUnavailable', () => {
  const onDelete = workload('StatefulSet', '  serviceName: w\n  updateStrategy:\n    type: OnDelete\n    rollingUpdate:\n      partition: 1');
  const [o] = findings(ID, onDelete);
  assert.match(o.message, /only allowed for updateStrategy 'RollingUpdate'/);
  assert.deepEqual((valueOf(applyFix(onDelete, fixesOf(o)[0])) as any).spec.updateStrategy, { type: 'OnDelete' });
  const neg = workload('StatefulSet', '  serviceName: w\n  updateStrategy:\n    rollingUpdate:\n      partition: -2\n      maxUnavailable: 0');
  const n = findings(ID, neg);
  assert.deepEqual(n.map((f) => slice(neg, f.range)), ['-2', '0']);
  assert.match(n[1].message, /maxUnavailable: Invalid value: 0: cannot be 0/);
});
