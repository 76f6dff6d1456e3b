// Fixes are built when they are asked for (a code action), never while diagnosing (issue #11):
// building one may read a document's whole YAML tree, which the fast loader otherwise never
// builds. The check of a file of fixable mistakes must leave every such tree unbuilt.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFile } from '../../server/src/check';
import { fixesOf } from '../../server/src/findings';
import { parseManifest, type ManifestFile } from '../../server/src/manifest';
import { fastLoad } from '../../server/src/manifest/fast-load';
import { applyTextEdits } from '../../server/src/rules';
import { WorkspaceIndex } from '../../server/src/workspace';
import { mixedFile } from '../../scripts/bench/inputs/mixed-file';

/**
 * Counts, per document the fast loader read, how often its full YAML tree is read. The others
 * (anchors, merge keys, YAML errors) were parsed to a tree while loading: reading it costs nothing.
 */
function countTreeReads(file: ManifestFile): Map<number, number> {
  const reads = new Map<number, number>();
  for (const doc of file.documents) {
    if (!fastLoad(doc.source)) continue;
    const tree = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(doc), 'yaml')!.get!;
    Object.defineProperty(doc, 'yaml', {
      get() {
        reads.set(doc.index, (reads.get(doc.index) ?? 0) + 1);
        return tree.call(doc);
      },
    });
  }
  return reads;
}

test('diagnosing a file of fixable mistakes builds no fix and reads no YAML tree; asking for the fixes builds them', () => {
  const file = parseManifest(mixedFile(200), 'file:///apps/mixed.yaml');
  const workspace = new WorkspaceIndex();
  workspace.set(file);
  const reads = countTreeReads(file);
  const findings = checkFile(file, workspace);
  const fixable = findings.filter((f) => f.fixes);
  assert.ok(fixable.length >= 50, `the file has fixable findings (${fixable.length})`);
  const ruleIds = new Set(fixable.map((f) => f.ruleId));
  for (const id of ['statefulset-service-name', 'service-selects-nothing', 'selector-mismatch', 'misplaced-rollout-fields', 'restart-policy', 'min-ready-seconds-deadline']) assert.ok(ruleIds.has(id), `${id} has fixable findings here`);
  assert.deepEqual([...reads.keys()], [], 'no document tree was read while diagnosing');

  // Asked for, the fixes exist, touch the text, and those that edit a document's structure read its tree.
  let built = 0;
  for (const f of fixable) {
    for (const fix of fixesOf(f)) {
      built++;
      assert.notEqual(applyTextEdits(file.text, fix.edits), file.text, fix.title);
    }
  }
  assert.ok(built >= fixable.length * 0.9, `fixes built on request: ${built} for ${fixable.length} findings`);
  assert.ok(reads.size > 0, 'structural fixes read the tree, on request only');
});
