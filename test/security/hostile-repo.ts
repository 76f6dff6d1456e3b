// Hostile repositories built in a temporary folder, and the built `kdry` bin run over them the way
// CI runs it: as a child process, with a memory cap (V8's heap limit) and a deadline. A case that
// hangs or blows the heap fails with a message saying so, never by a timing assertion.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';

export const REPO = join(__dirname, '..', '..');
export const CLI = join(REPO, 'dist', 'cli.js');
/** Heap limit for the child: far above what a bounded read of any case needs, far below a runaway. */
export const HEAP_MB = 192;
/** Deadline per run: generous on a loaded 2-core machine; a hang fails the case instead of the suite. */
export const DEADLINE_MS = 60_000;

export interface Entry {
  /** File contents. */
  text?: string | Buffer;
  /** A symbolic link to this target. */
  link?: string;
  /** A FIFO (named pipe). */
  fifo?: true;
  /** A sparse file of this many bytes (no disk used). */
  sparse?: number;
}

/** A temporary folder with these entries (paths relative to it); `.git` makes it a repository. */
export function hostileRepo(entries: Record<string, Entry | string | Buffer>, options: { git?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'kdry-hostile-'));
  for (const [path, raw] of Object.entries(entries)) {
    const entry: Entry = typeof raw === 'string' || Buffer.isBuffer(raw) ? { text: raw } : raw;
    const abs = join(root, path);
    mkdirSync(dirname(abs), { recursive: true });
    if (entry.link !== undefined) symlinkSync(entry.link, abs);
    else if (entry.fifo) execFileSync('mkfifo', [abs]);
    else if (entry.sparse !== undefined) {
      writeFileSync(abs, '');
      execFileSync('truncate', ['-s', String(entry.sparse), abs]);
    } else writeFileSync(abs, entry.text ?? '');
  }
  if (options.git) {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root, stdio: 'pipe' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'hostile');
  }
  return root;
}

/** A `hostileRepo` maker for one test file: every repository it makes is removed after the file's tests. */
export function hostileRepos(): typeof hostileRepo {
  const made: string[] = [];
  after(() => made.forEach(removeRepo));
  return (...args) => {
    const root = hostileRepo(...args);
    made.push(root);
    return root;
  };
}

export function removeRepo(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

export interface BinRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js args` in `cwd`; rejects (failing the test) when it hangs or runs out of heap. */
export function runKdry(args: string[], cwd: string, options: { stdin?: string; /** A file (a device: /dev/zero) for standard input. */ stdinFrom?: string } = {}): Promise<BinRun> {
  return new Promise((resolve, reject) => {
    const input = options.stdinFrom === undefined ? 'pipe' : openSync(options.stdinFrom, 'r');
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, CLI, ...args], { cwd, stdio: [input, 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    if (typeof input === 'number') closeSync(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += String(d)));
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kdry ${args.join(' ')} did not finish within ${DEADLINE_MS / 1000} s (hung?); stderr: ${stderr.slice(-500)}`));
    }, DEADLINE_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (/heap out of memory|Allocation failed/i.test(stderr)) reject(new Error(`kdry ${args.join(' ')} ran out of its ${HEAP_MB} MB heap: ${stderr.slice(-500)}`));
      else resolve({ code, stdout, stderr });
    });
    child.stdin?.end(options.stdin ?? '');
  });
}

/** A Deployment named `name` with two schema errors (the misspelt keys `replica` and `imagePullPolice`). */
export function badDeployment(name = 'web'): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replica: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        imagePullPolice: Always\n`;
}

export const GOOD_DEPLOYMENT = badDeployment().replace('  replica: 2', '  replicas: 2').replace('        imagePullPolicy: Always\n', '').replace('        imagePullPolice: Always\n', '');
