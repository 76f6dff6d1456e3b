// Before/after proof for a change that must not change behaviour (issue 10): what `kdry check`
// reports (JSON) on a fixed corpus, and what `kdry simulate` says (JSON) about every example.
//
//   node --import tsx scripts/findings-proof.ts corpus DIR      # once: examples/, test/fixtures/,
//                                                               # every rule's fixtures, and generated
//                                                               # variants of them, one folder each
//   node --import tsx scripts/findings-proof.ts dump DIR OUT    # in each tree, after `npm run build`
//   diff -r OUT-before OUT-after                                # nothing: the same behaviour
//
// `dump` runs the tree's own dist/cli.js, so it compares what users run. The generated documents are
// the seeds mutated by a fixed-seed generator (numbers, deleted and doubled lines, names, kinds), so
// the corpus is the same every time it is written from the same seeds.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

const REPO = join(__dirname, '..');
const CLI = join(REPO, 'dist', 'cli.js');
const FIXTURE_ROOTS = ['server/src/rules/fixtures', 'server/src/simulation-checks/fixtures'];
const GENERATED = 400;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
    });
}

/** mulberry32: a small fixed-seed generator, so the corpus is the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = ['0', '-1', '1', '3', '65536', '99999999', '1.5', '"2"', '50%', '120%'];
const NAMES = ['Web_App', 'a'.repeat(70), 'web', 'missing', '-bad-', 'app.kubernetes.io/name'];
const KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'Service', 'Rollout'];

/** One document changed in one to three places. */
function mutate(text: string, next: () => number): string {
  const lines = text.split('\n');
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const changes = 1 + Math.floor(next() * 3);
  for (let c = 0; c < changes; c++) {
    const i = Math.floor(next() * lines.length);
    const line = lines[i] ?? '';
    switch (Math.floor(next() * 6)) {
      case 0:
        lines[i] = line.replace(/(:\s*)(-?\d+(\.\d+)?%?|"\d+")\s*$/, `$1${pick(NUMBERS)}`);
        break;
      case 1:
        lines.splice(i, 1);
        break;
      case 2:
        lines.splice(i, 0, line);
        break;
      case 3:
        lines[i] = line.replace(/((?:name|app|serviceName|claimName|secretName|configMap):\s*)\S+\s*$/, `$1${pick(NAMES)}`);
        break;
      case 4:
        lines[i] = line.replace(/^kind:\s*\S+/, `kind: ${pick(KINDS)}`);
        break;
      default:
        lines[i] = line.replace(/^(\s*)/, (s) => (next() < 0.5 ? s.slice(2) : `${s}  `));
    }
  }
  return lines.join('\n');
}

function writeCorpus(out: string): void {
  mkdirSync(out, { recursive: true });
  cpSync(join(REPO, 'examples'), join(out, 'examples'), { recursive: true });
  cpSync(join(REPO, 'test', 'fixtures'), join(out, 'test-fixtures'), { recursive: true });
  const seeds: string[] = yamlFiles(join(REPO, 'examples'));
  for (const root of FIXTURE_ROOTS) {
    for (const id of readdirSync(join(REPO, root)).sort()) {
      for (const name of readdirSync(join(REPO, root, id)).sort()) {
        // One folder per fixture: cross-document rules judge it alone (its scope is its folder).
        const dir = join(out, 'rule-fixtures', `${id}-${basename(name, '.yaml')}`);
        mkdirSync(dir, { recursive: true });
        cpSync(join(REPO, root, id, name), join(dir, 'doc.yaml'));
        seeds.push(join(REPO, root, id, name));
      }
    }
  }
  const next = random(10);
  for (let n = 0; n < GENERATED; n++) {
    const seed = seeds[Math.floor(next() * seeds.length)];
    const dir = join(out, 'generated', String(n).padStart(3, '0'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'doc.yaml'), mutate(readFileSync(seed, 'utf8'), next));
  }
  console.log(`wrote ${yamlFiles(out).length} files to ${out} (${seeds.length} seeds, ${GENERATED} generated)`);
}

function cli(args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status === null) throw new Error(`kdry ${args.join(' ')} did not finish: ${r.error ?? r.signal}`);
  // Exit 0 or 1 (findings) print the report; a refusal (exit 2) is part of the behaviour too.
  return r.status <= 1 ? r.stdout : `${r.stdout}[exit ${r.status}] ${r.stderr}`;
}

function dump(corpus: string, out: string): void {
  if (!existsSync(CLI)) throw new Error('run `npm run build` first');
  mkdirSync(join(out, 'simulate'), { recursive: true });
  // Each top folder is checked as a workspace of its own, with paths relative to the corpus.
  for (const group of readdirSync(corpus).sort()) writeFileSync(join(out, `check-${group}.json`), cli(['check', '--format', 'json', group], corpus));
  for (const file of yamlFiles(join(corpus, 'examples')).filter((f) => !f.endsWith('cluster-kind.yaml'))) {
    const name = relative(join(corpus, 'examples'), file).replace(/\//g, '--');
    writeFileSync(join(out, 'simulate', `${name}.json`), cli(['simulate', relative(corpus, file), '--format', 'json'], corpus));
    const onKind = ['simulate', relative(corpus, file), '--format', 'json', '--cluster', 'examples/cluster-kind.yaml'];
    writeFileSync(join(out, 'simulate', `${name}--kind-cluster.json`), cli(onKind, corpus));
  }
  console.log(`wrote ${readdirSync(out).length - 1} check reports and ${readdirSync(join(out, 'simulate')).length} simulations to ${out}`);
}

const [command, dir, out] = process.argv.slice(2);
if (command === 'corpus' && dir) writeCorpus(dir);
else if (command === 'dump' && dir && out) dump(dir, out);
else {
  console.error('usage: findings-proof.ts corpus DIR | dump DIR OUT');
  process.exit(2);
}
