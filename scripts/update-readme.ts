// Rewrites the generated parts of README.md (the Marketplace page): the rules table, from the
// rules' own metadata. `node --import tsx scripts/update-readme.ts`; test/package/readme.test.ts
// fails when the README is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from '../server/src/rules';

export const README_PATH = join(__dirname, '..', 'README.md');
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

export function rulesTable(): string {
  const rows = [...ALL_RULES]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => `| [\`${r.id}\`](docs/rules.md#${r.id}) | ${r.severity} | ${r.title.replace(/\|/g, '\\|')} |`);
  return [
    '| rule | default severity | what it catches |',
    '| --- | --- | --- |',
    ...rows,
    '',
    'Beside the rules, every document of a built-in kind (Deployments, Services, ConfigMaps, Ingresses, RBAC, ... every kind the Kubernetes API groups serve) is validated against the schema of the target Kubernetes release, 1.29 to 1.35 ([docs/kubernetes-versions.md](docs/kubernetes-versions.md)) (`schema`), and YAML syntax errors and duplicate keys are reported (`yaml-syntax`). `kdry rules` lists the same table; [docs/rules.md](docs/rules.md) explains each rule with an example.',
  ].join('\n');
}

export function renderReadme(current: string): string {
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${START} ... ${END} markers`);
  return current.slice(0, start + START.length) + '\n' + rulesTable() + '\n' + current.slice(end);
}

if (require.main === module) writeFileSync(README_PATH, renderReadme(readFileSync(README_PATH, 'utf8')));
