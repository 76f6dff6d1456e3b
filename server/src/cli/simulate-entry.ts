// `kdry simulate`, bundled apart as dist/cli-simulate.js (scripts/build.mjs): the bin loads the engine
// and what reads its inputs, not the check pipeline.
import type { Command } from './args';
import type { CheckIo } from './check-command';
import { ConfigError, loadSettings } from './config';
import { reportingInputErrors } from './input-errors';
import { runSimulate, SimulateInputError } from './simulate-command';

export function runCommand(cmd: Extract<Command, { name: 'simulate' }>, io: CheckIo): Promise<number> {
  return reportingInputErrors(io, [SimulateInputError, ConfigError], async () => {
    // The target release as kdry check resolves it: --kubernetes-version, else the config's, else the --cluster file's kubelets;
    // the CRDs of --crds and of the config's `crds:`, as kdry check reads them.
    const config = await loadSettings(io.cwd, cmd.config);
    return await runSimulate({ ...cmd, crds: [...(cmd.crds ?? []), ...config.crds] }, config, io);
  });
}
