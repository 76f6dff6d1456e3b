// `kdry`: the editor's checks and the dry-run engine on the command line, for CI.
// Exit codes: 0 clean, 1 findings or unchecked files (or a rollout that did not complete), 2 usage or I/O errors.
import { readFileSync } from 'node:fs';
import { parseCommand, UsageError, USAGE } from './cli/args';
import { runCheck, type CheckIo } from './cli/check-command';
import { runSimulate, SimulateInputError } from './cli/simulate-command';
import { runRules } from './cli/rules-command';
import { runCapacity } from './cli/capacity-command';
import { loadSettings, ConfigError } from './cli/config';
import { escapeControls } from './cli/format/escape';
import { tuneV8ForCheck } from './cli/v8-tuning';

declare const KDRY_VERSION: string | undefined; // replaced by the bundler
const VERSION = typeof KDRY_VERSION === 'string' ? KDRY_VERSION : '0.0.0-dev';

export async function main(argv: string[], io: CheckIo): Promise<number> {
  try {
    const cmd = parseCommand(argv);
    switch (cmd.name) {
      case 'help':
        io.out(USAGE + '\n');
        return 0;
      case 'version':
        io.out(VERSION + '\n');
        return 0;
      case 'rules':
        return runRules(cmd, io.out);
      case 'simulate': {
        // The target release as kdry check resolves it: --kubernetes-version, else the config's, else the --cluster file's kubelets;
        // the CRDs of --crds and of the config's `crds:`, as kdry check reads them.
        const config = await loadSettings(io.cwd, cmd.config);
        return await runSimulate({ ...cmd, crds: [...(cmd.crds ?? []), ...config.crds] }, config, io);
      }
      case 'capacity':
        return await runCapacity(cmd, await loadSettings(io.cwd, cmd.config), io);
      case 'check': {
        const config = await loadSettings(io.cwd, cmd.config);
        return await runCheck({ ...cmd, crds: [...cmd.crds, ...config.crds] }, config, io);
      }
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`kdry: ${escapeControls(e.message)}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof SimulateInputError || e instanceof ConfigError) {
      // One problem a line (a cluster file's errors), each behind the prefix and escaped.
      for (const line of e.message.split('\n')) io.err(`kdry: ${escapeControls(line)}\n`);
      return 2;
    }
    io.err(`kdry: internal error: ${escapeControls((e as Error).message)}\n`);
    return 2;
  }
}

if (require.main === module) {
  // Only the bin: the process is the check's alone (the tests call main in their own). `simulate` is
  // a short batch run as well: the same inlining cap took `kdry simulate` of 10,000 replicas on a
  // 1,000-node cluster file (JSON) from 2,430 to 2,050 ms of process CPU (median of 8 alternating
  // runs each, load 16-19), lower in every pair; its output is unchanged.
  if (process.argv[2] === 'check' || process.argv[2] === 'simulate') tuneV8ForCheck();
  const io: CheckIo = {
    cwd: process.cwd(),
    stdin: () => readFileSync(0, 'utf8'),
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    version: VERSION,
  };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
