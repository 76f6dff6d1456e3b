// `kdry`: the editor's checks and the dry-run engine on the command line, for CI.
// Exit codes: 0 clean, 1 findings or unchecked files (or a rollout that did not complete), 2 usage or I/O errors.
import { parseCommand, UsageError, USAGE } from './cli/args';
import type { CheckIo } from './cli/check-command';
import type * as SimulateEntry from './cli/simulate-entry';
import type * as CheckEntry from './cli/check-entry';
import { commandBundle } from './cli/command-bundle';
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
      // Each command's code is a bundle of its own beside this one (scripts/build.mjs), required when
      // the command runs: compiling the whole 2.6 MB bundle cost about 170 ms of CPU before any work.
      // Compiled with V8's code cache kept in the user's cache folder (cli/command-bundle.ts).
      case 'simulate': {
        const bundle = commandBundle('simulate', () => require('./cli/simulate-entry') as typeof SimulateEntry);
        return bundle.finish(await bundle.entry.runCommand(cmd, io));
      }
      case 'rules':
      case 'capacity':
      case 'check': {
        const bundle = commandBundle('check', () => require('./cli/check-entry') as typeof CheckEntry);
        return bundle.finish(await bundle.entry.runCommand(cmd, io));
      }
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`kdry: ${escapeControls(e.message)}\n\n${USAGE}\n`);
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
    stdin: () => process.stdin,
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    version: VERSION,
  };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
