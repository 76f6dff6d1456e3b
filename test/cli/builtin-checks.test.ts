// The built-in checks (yaml-syntax, schema, file-too-large, not-text, kdry-internal) are one table:
// what the pipeline emits, SARIF's rule metadata and `kdry rules` all agree with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_CHECKS, FILE_TOO_LARGE, NOT_TEXT, SCHEMA, YAML_SYNTAX } from '../../server/src/builtin-checks';
import { checkFile, MAX_CHECKED_DOCUMENTS } from '../../server/src/check';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { runCli } from './run-cli';

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

const INPUTS: Record<string, string> = {
  'syntax.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n',
  'schema.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: "three"\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: "nginx:1.27"}]}\n',
  'many.yaml': Array.from({ length: MAX_CHECKED_DOCUMENTS + 1 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`).join('---\n'),
};

function check(text: string) {
  const file = parseManifest(text, 'file:///t.yaml');
  const workspace = new WorkspaceIndex();
  workspace.set(file);
  return checkFile(file, workspace);
}

test('each built-in check is emitted with the id and severity of its table entry', () => {
  const emitted = (text: string, id: string) => check(text).filter((f) => f.ruleId === id);
  for (const [check, text] of [
    [YAML_SYNTAX, INPUTS['syntax.yaml']],
    [SCHEMA, INPUTS['schema.yaml']],
    [FILE_TOO_LARGE, INPUTS['many.yaml']],
    [FILE_TOO_LARGE, `# ${'x'.repeat(2 * 1024 * 1024)}\napiVersion: v1\nkind: Pod\n`],
    [NOT_TEXT, 'apiVersion: v1\nkind: Pod\nmetadata: {name: "\u0000"}\n'],
  ] as const) {
    const found = emitted(text, check.id);
    assert.equal(found.length, 1, `${check.id} found once`);
    assert.equal(found[0].severity, check.severity, check.id);
  }
});

test('SARIF describes every rule and built-in check; titles and levels come from the table and match the results', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-builtin-'));
  for (const [name, text] of Object.entries(INPUTS)) writeFileSync(join(dir, name), text);
  const r = await runCli(['check', '--format', 'sarif', '.'], { cwd: dir });
  const run = JSON.parse(r.stdout).runs[0];
  const rules = new Map<string, { shortDescription: { text: string }; defaultConfiguration: { level: string } }>(run.tool.driver.rules.map((x: { id: string }) => [x.id, x]));
  for (const check of BUILTIN_CHECKS) {
    const rule = rules.get(check.id);
    assert.ok(rule, `${check.id} is described`);
    assert.equal(rule.shortDescription.text, check.title, check.id);
    assert.equal(rule.defaultConfiguration.level, SARIF_LEVEL[check.severity], check.id);
  }
  assert.equal(rules.has('yaml'), false, 'the YAML check is described under its id, yaml-syntax');
  const levels = (id: string) => run.results.filter((x: { ruleId: string }) => x.ruleId === id).map((x: { level: string }) => x.level);
  assert.deepEqual(levels(YAML_SYNTAX.id), ['error']);
  assert.deepEqual(levels(SCHEMA.id), ['error']);
  assert.deepEqual(levels(FILE_TOO_LARGE.id), ['note']);
});

test('`kdry rules` lists the built-in checks beside the rules, in text and JSON', async () => {
  const text = await runCli(['rules']);
  for (const check of BUILTIN_CHECKS) assert.match(text.stdout, new RegExp(`^${check.id} +${check.severity} +${check.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  assert.match(text.stdout, new RegExp(`and ${BUILTIN_CHECKS.length} built-in checks`));
  const json = JSON.parse((await runCli(['rules', '--format', 'json'])).stdout) as { id: string; severity: string; builtIn?: boolean }[];
  assert.deepEqual(
    json.filter((c) => c.builtIn).map((c) => [c.id, c.severity]),
    BUILTIN_CHECKS.map((c) => [c.id, c.severity]),
  );
});
