// `kdry simulate` refuses what the API server refuses to store, in the words `kdry check` uses.
// Upstream: pkg/apis/apps/validation/validation.go ValidateRollingUpdateDeployment ("may not be 0
// when `maxSurge` is 0") and ValidateRollingUpdateDaemonSet ("cannot be 0 when maxSurge is 0").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { simulate } from '../../server/src/engine/simulate';
import { findings, workload } from '../rules/helpers';


/** The API server's error text inside a `kdry check` finding (between the code marks). */
function checkError(text: string): string {
  const [finding] = findings('rolling-update-params', text);
  const quoted = /^[^`]*(`+) ?(.*?) ?\1\./.exec(finding.message);
  assert.ok(quoted, finding.message);
  return quoted[2];
}

describe('simulate refuses manifests the API server rejects', () => {
  for (const [kind, strategy] of [
    ['Deployment', '  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0'],
    ['Deployment', '  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 0%\n      maxUnavailable: "0%"'],
    ['DaemonSet', '  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 0'],
  ]) {
    it(`${kind} with no room to roll (${strategy.replace(/\s+/g, ' ').trim()})`, () => {
      const text = workload(kind, strategy);
      const result = simulate({ objects: [parse(text)] });
      assert.equal(result.steps.length, 0);
      assert.deepEqual(result.problems, [{ path: '', message: `the API server rejects this ${kind}: ${checkError(text)}` }]);
      assert.match(result.problems[0].message, kind === 'Deployment' ? /spec\.strategy\.rollingUpdate\.maxUnavailable: Invalid value: ("0%"|0): may not be 0 when `maxSurge` is 0$/ : /spec\.updateStrategy\.rollingUpdate\.maxUnavailable: Required value: cannot be 0 when maxSurge is 0$/);
    });
  }

  it('an earlier version the API server rejects is reported on `before`', () => {
    const after = parse(workload('Deployment', '  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0'));
    const before = parse(workload('Deployment', '  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0'));
    assert.deepEqual(simulate({ objects: [after], before }).problems.map((p) => p.path), ['before']);
  });

  it('one zero, absent values (25% defaults) or Recreate still run', () => {
    for (const strategy of ['  strategy:\n    rollingUpdate:\n      maxSurge: 0', '  strategy:\n    rollingUpdate:\n      maxUnavailable: 0', '  strategy:\n    type: Recreate']) {
      const result = simulate({ objects: [parse(workload('Deployment', strategy))] });
      assert.deepEqual(result.problems, [], strategy);
      assert.ok(result.summary.completed, strategy);
    }
  });
});
