// Odd input must never make a rule throw or point outside the text: every rule's own check runs
// (without the defineRule guard) over mutilated versions of the fixtures and the seed manifests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { kubernetesTarget } from '../../server/src/schema';
import { ALL_RULES, applyTextEdits, ruleApplies } from '../../server/src/rules';
import { ruleFixtures } from '../../server/src/rules/fixture-files';
import { rawCheck } from '../../server/src/rules/define-rule';
import { fixesOf } from '../../server/src/findings';

const ODD_VALUES = ['~', '[]', '{}', '-1', '"x"', '0', '[1, {a: b}]', '{matchLabels: [a]}', 'true', '"50%"', '"200%"'];

function variants(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    out.push([...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'));
    const colon = line.indexOf(': ');
    if (colon > 0) for (const v of ODD_VALUES) out.push([...lines.slice(0, i), line.slice(0, colon + 2) + v, ...lines.slice(i + 1)].join('\n'));
    else if (line.trim().endsWith(':')) for (const v of ODD_VALUES.slice(0, 4)) out.push([...lines.slice(0, i), line + ' ' + v, ...lines.slice(i + 1)].join('\n'));
  });
  return out;
}

function yamlErrors(text: string): number {
  return parseManifest(text).documents.reduce((n, d) => n + d.problems.filter((p) => p.severity === 'error').length, 0);
}

test('no rule throws on mutilated fixtures and seed manifests, and every fix offered keeps the YAML valid', () => {
  const sources = ALL_RULES.flatMap((r) => {
    const { good, bad } = ruleFixtures(r.id);
    return [...good, ...bad];
  });
  for (const dir of ['examples/original', 'examples/corrected']) for (const f of readdirSync(dir)) sources.push(readFileSync(`${dir}/${f}`, 'utf8'));
  let runs = 0;
  let fixes = 0;
  for (const source of sources) {
    for (const text of variants(source)) {
      const file = parseManifest(text, 'file:///fuzz.yaml');
      const workspace = new WorkspaceIndex();
      workspace.set(file);
      for (const doc of file.documents)
        for (const rule of ALL_RULES) {
          const ctx = { file, doc, workspace, kubernetes: kubernetesTarget()! };
          if (!ruleApplies(rule, doc) || doc.problems.some((p) => p.severity === 'error')) continue;
          runs++;
          let found;
          try {
            found = rawCheck(rule)(ctx);
          } catch (err) {
            assert.fail(`${rule.id} threw ${(err as Error).stack}\non:\n${text}`);
          }
          for (const f of found)
            for (const fix of fixesOf(f)) {
              fixes++;
              const out = applyTextEdits(text, fix.edits);
              // other documents of the mutilated file may be broken already: the fix must not add errors
              assert.ok(yamlErrors(out) <= yamlErrors(text), `${rule.id} fix "${fix.title}" keeps the YAML valid:\n${text}\n=>\n${out}`);
            }
          for (const f of found) assert.ok(Array.isArray(f.range) && f.range[0] >= 0 && f.range[0] >= doc.range[0] && f.range[1] <= doc.range[1] && f.range[0] <= f.range[1], `${rule.id} range inside the text: ${JSON.stringify(f.range)} (${f.message})\non:\n${text}`);
        }
    }
  }
  assert.ok(runs > 1000 && fixes > 100, `exercised ${runs} rule runs and ${fixes} fixes`);
});

test('the guard: no findings on a document with duplicate keys, whose value and ranges disagree', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nmetadata:\n  name: p\nspec:\n  containers: [{name: a, image: busybox}]\n';
  const file = parseManifest(text);
  const workspace = new WorkspaceIndex();
  workspace.set(file);
  for (const rule of ALL_RULES) assert.deepEqual(rule.check({ file, doc: file.documents[0], workspace, kubernetes: kubernetesTarget()! }), [], rule.id);
});
