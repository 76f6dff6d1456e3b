// The simulation-backed rules' fixtures, kept as data like the other rules' (rules/fixture-files.ts):
// `fixtures/<rule-id>/good-N.yaml` gives no finding on the embedded default cluster, `bad-N.yaml`
// at least one; `bad-1.yaml` is the rule's example in docs/rules.md.
import { join } from 'node:path';
import { readExample, readFixtures, type RuleFixtures } from '../rules/fixture-files';

const SIMULATION_FIXTURES_ROOT = join(__dirname, 'fixtures');

/** A simulation-backed rule's good and bad fixtures (read from the sources: tests and tools only). */
export function simulationRuleFixtures(id: string): RuleFixtures {
  return readFixtures(join(SIMULATION_FIXTURES_ROOT, id));
}

/** A simulation-backed rule's example for its documentation. */
export function simulationRuleExample(id: string): string {
  return readExample(SIMULATION_FIXTURES_ROOT, id);
}
