// `npm run demo`: the main job on the embedded defaults. Checks the seed's manifests as written
// (including its mis-indented RollingUpdate) and corrected, then dry-runs a rolling update, the
// StatefulSet and the DaemonSets, printing every step. Exits non-zero if a corrected manifest
// has an error or a simulation does not complete.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const cli = join(root, 'dist', 'cli.js');
let failed = false;

function run(title, args, { expectFindings = false } = {}) {
  console.log(`\n\u001b[1m== ${title}\u001b[0m\n$ kdry ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit', timeout: 120_000 });
  const ok = expectFindings ? r.status === 1 : r.status === 0;
  if (!ok) {
    failed = true;
    console.log(`\u001b[31m(unexpected exit code ${r.status})\u001b[0m`);
  }
}

run('The seed manifests as written: its mistakes, on the exact keys', ['check', 'examples/original'], { expectFindings: true });
run('The same manifests corrected', ['check', 'examples/corrected']);
run('Rolling update nginx 1.14.2 -> 1.16.1 (maxSurge 0, maxUnavailable 1, minReadySeconds 10)', [
  'simulate',
  'examples/rollout/nginx-1.16.yaml',
  '--from',
  'examples/corrected/deployment-rolling-update.yaml',
]);
run('StatefulSet web: ordinals, PVCs, OrderedReady', ['simulate', 'examples/corrected/statefulset-web.yaml']);
run('DaemonSet node-agent with hostPort 11559 on the default cluster', ['simulate', 'examples/corrected/daemonset-node-agent.yaml']);
run('DaemonSet demo with nodeSelector gpu=cuda on a kind cluster where kind-worker2 has the label', [
  'simulate',
  'examples/corrected/daemonset-gpu.yaml',
  '--cluster',
  'examples/cluster-kind.yaml',
]);

console.log(failed ? '\n\u001b[31mdemo: something did not go as expected (see above)\u001b[0m' : '\ndemo: done');
process.exit(failed ? 1 : 0);
