// `kdry check`, `kdry rules` and `kdry capacity`, bundled apart as dist/cli-check.js (scripts/build.mjs):
// `kdry --version` and `kdry simulate` do not load the check pipeline.
import type { Command } from './args';
import { runCapacity } from './capacity-command';
import { runCheck, type CheckIo } from './check-command';
import { ConfigError, loadSettings } from './config';
import { reportingInputErrors } from './input-errors';
import { runRules } from './rules-command';

export { serveCheckWorker } from './check-worker-main';

export function runCommand(cmd: Extract<Command, { name: 'check' | 'rules' | 'capacity' }>, io: CheckIo): Promise<number> {
  return reportingInputErrors(io, [ConfigError], async () => {
    switch (cmd.name) {
      case 'rules':
        return runRules(cmd, io.out);
      case 'capacity':
        return await runCapacity(cmd, await loadSettings(io.cwd, cmd.config), io);
      case 'check': {
        const config = await loadSettings(io.cwd, cmd.config);
        return await runCheck(cmd, config, io);
      }
    }
  });
}
