// Shared test plumbing: run one rule over a text (optionally with other workspace files) and
// apply a fix the way an editor would.
import assert from 'node:assert/strict';
import { parseManifest, type Offsets } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { checkFile } from '../../server/src/check';
import { ALL_RULES, applyTextEdits, type Rule } from '../../server/src/rules';
import type { Finding, Fix } from '../../server/src/findings';
import { fixesOf } from '../../server/src/findings';

export function rule(id: string): Rule {
  const r = ALL_RULES.find((x) => x.id === id);
  assert.ok(r, `rule ${id} is registered in ALL_RULES`);
  return r;
}

/** Findings of rule `id` in `text` as `kdry check` reports them; `others` are further workspace files (uri -> text). */
export function findings(id: string, text: string, others: Record<string, string> = {}): Finding[] {
  const workspace = new WorkspaceIndex();
  const file = parseManifest(text, 'file:///work/test.yaml');
  workspace.set(file);
  for (const [uri, t] of Object.entries(others)) workspace.set(parseManifest(t, uri));
  return checkFile(file, workspace).filter((f) => f.ruleId === rule(id).id);
}

export function slice(text: string, range: Offsets): string {
  return text.slice(range[0], range[1]);
}

/** Applies the fix, asserts the result is YAML without errors, and returns the new text. */
export function applyFix(text: string, fix: Fix): string {
  const out = applyTextEdits(text, fix.edits);
  const errors = parseManifest(out).documents.flatMap((d) => d.problems.filter((p) => p.severity === 'error'));
  assert.deepEqual(errors, [], `fix "${fix.title}" yields valid YAML:\n${out}`);
  return out;
}

export function fixTitled(f: Finding, startsWith: string): Fix {
  const fix = fixesOf(f).find((x) => x.title.startsWith(startsWith));
  assert.ok(fix, `finding "${f.message}" offers a fix starting "${startsWith}" (has: ${fixesOf(f).map((x) => x.title).join(' | ')})`);
  return fix;
}

export function valueOf(text: string, docIndex = 0): unknown {
  return parseManifest(text).documents[docIndex].value;
}

/** A workload `w` of `kind` whose spec starts with `strategy` (indented YAML lines such as `  strategy:\n    type: Recreate`). */
export const workload = (kind: string, strategy: string) => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: w
spec:
${strategy}
  selector:
    matchLabels: {app: w}
  template:
    metadata:
      labels: {app: w}
    spec:
      containers: [{name: w, image: busybox}]
`;
