// `npm run bench capacity`: `kdry capacity` over the simulation-diagnostics workspace (100
// workloads in 10 folders: Deployments, a StatefulSet, a DaemonSet and a CronJob each) on its
// 1,000-node cluster file: the whole command in-process (read, parse, place ~10,000 DaemonSet pods
// and ~380 others, try every node's failure, format), text and JSON. Figures only.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/src/cli';
import { cluster, FOLDERS, PER_FOLDER, workload } from './simulation-diagnostics';
import { fmt, median } from './harness/lsp-session';

const RUNS = 3;

export default async function run(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kdry-bench-capacity-'));
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, '.kdry'));
  writeFileSync(join(root, '.kdry', 'cluster.yaml'), cluster());
  for (let f = 0; f < FOLDERS; f++) {
    mkdirSync(join(root, `team-${f}`));
    for (let i = 0; i < PER_FOLDER; i++) writeFileSync(join(root, `team-${f}`, `app-${i}.yaml`), workload(f, i));
  }
  for (const format of ['text', 'json']) {
    const times: number[] = [];
    let bytes = 0;
    let code = -1;
    for (let r = 0; r < RUNS; r++) {
      let out = '';
      const t = performance.now();
      code = await main(['capacity', '.', '--format', format], { cwd: root, stdin: () => '', out: (s) => (out += s), err: (s) => process.stderr.write(s), color: false, version: 'bench' });
      times.push(performance.now() - t);
      bytes = out.length;
    }
    console.log(`kdry capacity --format ${format}, 100 workloads, 1,000 nodes: median ${fmt(median(times))} ms of ${RUNS} (exit ${code}, ${bytes.toLocaleString('en-US')} characters)`);
  }
}
