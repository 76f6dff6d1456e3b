// Typing in a custom resource through the language server's path (the file's cache, a keystroke
// patched into the previous value by manifest/incremental.ts, defaults, schema walk and rule
// outcomes remembered per unchanged subtree) must give exactly the findings of a fresh parse
// checked from scratch. Checked over seeded random keystrokes in a Fleet judged by a CRD with
// defaults, patterns, enums, list-map keys and CEL rules at the list, item and string level.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestCache, parseDocuments, parseManifest, splitDocuments, type ManifestDocument } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { checkCustomResource } from '../../server/src/crd/check-resource';
import { fleet, fleetCrd } from '../../scripts/bench/inputs/custom-resources';
import { random, typist } from '../manifest/yaml-corpus';

function findingsOf(doc: ManifestDocument, workspace: WorkspaceIndex) {
  return checkCustomResource(doc, workspace).map(({ ruleId, severity, range, message }) => ({ ruleId, severity, range, message }));
}

test('keystrokes in a custom resource give the findings of a fresh parse and check', () => {
  const workspace = new WorkspaceIndex();
  workspace.set(parseManifest(fleetCrd(), 'file:///w/crds/fleets.yaml'));
  // 40 items, one named against the format rule; typing then breaks and mends others.
  let text = fleet().split('    - name: item-40\n')[0].replace('name: item-3\n', 'name: Item_3\n');
  const next = random(20261207);
  const keystroke = typist(next);
  const cache = new ManifestCache();
  let findings = 0;
  let patched = 0;
  parseDocuments(splitDocuments(text), cache);
  cache.sweep();
  for (let k = 0; k < 300; k++) {
    const [before] = parseDocuments(splitDocuments(text), cache);
    cache.sweep();
    text = keystroke(text);
    const [incremental] = parseDocuments(splitDocuments(text), cache);
    cache.sweep();
    // Patched: the edited document shares a subtree of the one before.
    const items = (d: ManifestDocument) => ((d?.value as { spec?: { items?: unknown[] } })?.spec?.items ?? []);
    if (items(incremental).some((item, i) => item === items(before)[i])) patched++;
    const [fresh] = parseManifest(text).documents;
    if (!incremental || !fresh) continue;
    const expected = findingsOf(fresh, workspace);
    assert.deepEqual(findingsOf(incremental, workspace), expected, `keystroke ${k}:\n${text}`);
    findings += expected.length;
  }
  assert.ok(patched >= 60, `only ${patched} keystrokes were patched`);
  assert.ok(findings >= 300, `only ${findings} findings compared`);
});
