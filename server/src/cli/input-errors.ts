// A command's input problems (a config file's, a cluster file's): one a line behind the prefix, each
// escaped, exit 2. Each command bundle (scripts/build.mjs) has its own copy of the error classes, so
// the classes are matched inside the bundle that throws them.
import type { CheckIo } from './check-command';
import { escapeControls } from './format/escape';

type ErrorClass = new (...args: never[]) => Error;

export async function reportingInputErrors(io: CheckIo, inputErrors: ErrorClass[], run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (!inputErrors.some((c) => e instanceof c)) throw e;
    for (const line of (e as Error).message.split('\n')) io.err(`kdry: ${escapeControls(line)}\n`);
    return 2;
  }
}
