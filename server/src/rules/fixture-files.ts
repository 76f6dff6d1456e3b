// A rule's fixtures are data, kept apart from its check code (as kube-linter keeps check, metadata
// and test data apart): `fixtures/<rule-id>/good-N.yaml` beside the rule files holds documents that
// must give no finding of the rule, `bad-N.yaml` documents that must give at least one (N from 1).
// `bad-1.yaml` is also the rule's example in docs/rules.md and `kdry rules --format markdown`: the
// build copies only those beside the bundles, as `dist/rule-examples/<rule-id>.yaml`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RuleFixtures {
  /** Documents that must produce no finding of this rule. */
  good: string[];
  /** Documents that must produce at least one finding of this rule. */
  bad: string[];
}

const FIXTURE_FILE = /^(good|bad)-(\d+)\.yaml$/;

/** The fixtures in `folder` (one rule's `fixtures/<rule-id>/`), each list in the order of N. */
export function readFixtures(folder: string): RuleFixtures {
  const found: { kind: 'good' | 'bad'; n: number; name: string }[] = [];
  for (const name of readdirSync(folder)) {
    const m = FIXTURE_FILE.exec(name);
    if (m) found.push({ kind: m[1] as 'good' | 'bad', n: Number(m[2]), name });
  }
  found.sort((a, b) => a.n - b.n);
  const texts = (kind: 'good' | 'bad') => found.filter((f) => f.kind === kind).map((f) => readFileSync(join(folder, f.name), 'utf8'));
  return { good: texts('good'), bad: texts('bad') };
}

/**
 * A rule's example (its first bad fixture): from the sources (`fixturesRoot/<rule-id>/bad-1.yaml`)
 * when they are there, else from beside the bundle that runs (`rule-examples/<rule-id>.yaml`).
 */
export function readExample(fixturesRoot: string, id: string): string {
  const candidates = [join(fixturesRoot, id, 'bad-1.yaml'), join(__dirname, 'rule-examples', `${id}.yaml`)];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`the example of rule ${id} is missing (looked in ${candidates.join(', ')})`);
  return readFileSync(found, 'utf8');
}

/** Where this room keeps its rules' fixtures (in the sources; the bundles carry only the examples). */
export const RULE_FIXTURES_ROOT = join(__dirname, 'fixtures');

/** A rule's good and bad fixtures (read from the sources: tests and tools only). */
export function ruleFixtures(id: string): RuleFixtures {
  return readFixtures(join(RULE_FIXTURES_ROOT, id));
}

/** A rule's example for its documentation. */
export function ruleExample(id: string): string {
  return readExample(RULE_FIXTURES_ROOT, id);
}
