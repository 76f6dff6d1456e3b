// Runs the CLI in-process with captured output (the bin itself is spawned once in cli.test.ts).
import { main } from '../../server/src/cli';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], options: { cwd?: string; stdin?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    cwd: options.cwd ?? process.cwd(),
    stdin: () => (options.stdin !== undefined ? [options.stdin] : process.stdin),
    out: (s) => (stdout += s),
    err: (s) => (stderr += s),
    color: false,
    version: '0.0.0-test',
  });
  return { code, stdout, stderr };
}
