// `kdry rules`: every rule and built-in check with its documentation, from their own metadata.
import { BUILTIN_CHECKS } from '../builtin-checks';
import { ALL_RULES } from '../rules';
import { SIMULATION_RULES } from '../simulation-checks';
import { generateRulesDoc } from './rules-doc';
import type { Command } from './args';

export function runRules(cmd: Extract<Command, { name: 'rules' }>, out: (s: string) => void): number {
  const rules = [...ALL_RULES, ...SIMULATION_RULES].sort((a, b) => a.id.localeCompare(b.id));
  if (cmd.format === 'json') {
    const builtins = BUILTIN_CHECKS.map(({ example: _example, ...meta }) => ({ ...meta, builtIn: true }));
    out(JSON.stringify([...rules.map(ruleMetadata), ...builtins], null, 2) + '\n');
    return 0;
  }
  if (cmd.format === 'markdown') {
    out(generateRulesDoc());
    return 0;
  }
  const width = Math.max(...[...rules, ...BUILTIN_CHECKS].map((r) => r.id.length));
  const line = (c: { id: string; severity: string; title: string }) => out(`${c.id.padEnd(width)}  ${c.severity.padEnd(7)}  ${c.title}\n`);
  rules.forEach(line);
  out('\nBuilt-in checks:\n');
  BUILTIN_CHECKS.forEach(line);
  out(`\n${rules.length} rules and ${BUILTIN_CHECKS.length} built-in checks. \`kdry rules --format markdown\` prints their documentation.\n`);
  return 0;
}

/** What `kdry rules --format json` lists of a rule: its data, not its code. */
function ruleMetadata(rule: (typeof ALL_RULES)[number] | (typeof SIMULATION_RULES)[number]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rule).filter(([, v]) => typeof v !== 'function'));
}
