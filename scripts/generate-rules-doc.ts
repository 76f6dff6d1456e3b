// Writes docs/rules.md from the rules' and built-in checks' metadata (server/src/cli/rules-doc.ts).
// `node --import tsx scripts/generate-rules-doc.ts`; test/rules/rules-doc.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_CHECKS } from '../server/src/builtin-checks';
import { ALL_RULES } from '../server/src/rules';
import { generateRulesDoc } from '../server/src/cli/rules-doc';

export const RULES_DOC_PATH = join(__dirname, '..', 'docs', 'rules.md');
export { generateRulesDoc };

if (process.argv[1] && /generate-rules-doc\.ts$/.test(process.argv[1])) {
  writeFileSync(RULES_DOC_PATH, generateRulesDoc());
  console.log(`wrote ${RULES_DOC_PATH} (${ALL_RULES.length} rules, ${BUILTIN_CHECKS.length} built-in checks)`);
}
