// Every quick-fix of every rule, end to end over stdio: open each rule's bad fixture, ask for the
// code actions of each of its diagnostics, apply each fix: the rule's diagnostic at that place is
// gone and the YAML still parses. This is the editor path (ranges converted to and from LSP).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { ALL_RULES } from '../../server/src/rules';
import { ruleFixtures } from '../../server/src/rules/fixture-files';
import { startedClient, LspClient, applyEdits } from './lsp-client';

let client: LspClient;
let n = 0;

before(async () => (client = await startedClient()));
after(() => client.shutdown());

const sameSpot = (a: Diagnostic, b: Diagnostic) => a.code === b.code && a.range.start.line === b.range.start.line && a.message === b.message;

describe('quick-fixes applied through the language server', () => {
  for (const rule of ALL_RULES) {
    ruleFixtures(rule.id).bad.forEach((text, i) => {
      test(`${rule.id} bad fixture ${i + 1}`, async () => {
        const uri = `file:///fixes/${n++}-${rule.id}.yaml`;
        const diagnostics = (await client.open(uri, text)).filter((d) => d.code === rule.id);
        assert.ok(diagnostics.length > 0, `${rule.id} reports its bad fixture over LSP`);
        for (const diagnostic of diagnostics) {
          const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
          assert.ok(actions.some((a) => a.title === `Disable ${rule.id} for this line`));
          for (const action of actions.filter((a) => !a.title.startsWith('Disable '))) {
            assert.equal(action.kind, 'quickfix');
            const fixed = applyEdits(text, action.edit!.changes![uri]);
            assert.ok(parseAllDocuments(fixed).every((d) => (d as { errors?: unknown[] }).errors?.length === 0), `${action.title}: YAML parses\n${fixed}`);
            const after = await client.change(uri, fixed);
            assert.ok(!after.some((d) => sameSpot(d, diagnostic)), `${action.title}: "${diagnostic.message}" is gone\n${fixed}`);
            await client.change(uri, text);
          }
        }
      });
    });
  }
});
