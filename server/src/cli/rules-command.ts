// `kdry rules`: every rule with its documentation, from the rules' own metadata.
import { ALL_RULES } from '../rules';
import { generateRulesDoc } from '../rules/docs';
import type { Command } from './args';

export function runRules(cmd: Extract<Command, { name: 'rules' }>, out: (s: string) => void): number {
  const rules = [...ALL_RULES].sort((a, b) => a.id.localeCompare(b.id));
  if (cmd.format === 'json') {
    out(JSON.stringify(rules.map(({ check: _check, fixtures: _fixtures, ...meta }) => meta), null, 2) + '\n');
    return 0;
  }
  if (cmd.format === 'markdown') {
    out(generateRulesDoc());
    return 0;
  }
  const width = Math.max(...rules.map((r) => r.id.length));
  for (const r of rules) out(`${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.title}\n`);
  out(`\n${rules.length} rules. \`kdry rules --format markdown\` prints their documentation.\n`);
  return 0;
}
