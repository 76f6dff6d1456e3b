// Drives kdry or yaml-language-server the way an editor does, for the LSP benchmarks: a fresh
// server per measurement, an open timed to its first publishDiagnostics, single-line edits timed
// to the diagnostics of their version, the server's CPU time and peak RSS from /proc.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, REPO, SERVER } from '../../../test/server/lsp-client';
import { CODE_CACHE_DIR_ARG, SERVER_CODE_CACHE_FILE, SERVER_EXEC_ARGV } from '../../../server/src/protocol/server-process';
import type { Diagnostic } from 'vscode-languageserver-protocol';

export type ServerName = 'kdry' | 'yaml-language-server';

const YAML_LS = join(REPO, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
/** yaml-language-server's validationDelayMs (yamlSettings.js), not configurable. */
export const YAML_LS_VALIDATION_DELAY_MS = 200;

export interface SessionOptions {
  /** The JSON schema yaml-language-server applies to every *.yaml file. */
  schema: string;
  workspaceFolder?: string;
  /** kdry's settings as workspace/configuration answers them (default: none set). */
  kdry?: Record<string, unknown>;
  /** kdry's code cache folder, as the VS Code client gives it (default: none, no cache). */
  codeCacheDir?: string;
}

/** A started server, with what its start cost: spawn to initialize answered. */
export interface StartedServer extends LspClient {
  startMs: number;
  startCpuMs: number;
}

/** A started, initialized server. */
export async function startServer(server: ServerName, options: SessionOptions): Promise<StartedServer> {
  const yamlSettings = {
    validate: true,
    hover: false,
    completion: false,
    format: { enable: false },
    schemaStore: { enable: false },
    kubernetesCRDStore: { enable: false },
    schemas: { [pathToFileURL(options.schema).href]: ['*.yaml'] },
  };
  const cache = server === 'kdry' && options.codeCacheDir ? [`${CODE_CACHE_DIR_ARG}=${options.codeCacheDir}`] : [];
  const t = performance.now();
  const client = new LspClient({
    command: server === 'kdry' ? [process.execPath, ...SERVER_EXEC_ARGV, SERVER, '--stdio', ...cache] : [process.execPath, YAML_LS, '--stdio'],
    configuration: (section) => (server === 'kdry' ? (section === 'kdry' ? (options.kdry ?? {}) : null) : section === 'yaml' ? yamlSettings : null),
    workspaceFolder: options.workspaceFolder,
  });
  await client.initialize();
  const started = Object.assign(client, { startMs: performance.now() - t, startCpuMs: cpuMs(client.process.pid!) });
  if (server === 'yaml-language-server') await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: yamlSettings } });
  return started;
}

/** Starts kdry with the code cache folder `dir` and waits until it has written its cache there (after its start-up warm-up). */
export async function primeCodeCache(options: SessionOptions & { codeCacheDir: string }): Promise<void> {
  const client = await startServer('kdry', options);
  try {
    for (const start = performance.now(); !existsSync(join(options.codeCacheDir, SERVER_CODE_CACHE_FILE)); await new Promise((r) => setTimeout(r, 50))) {
      if (performance.now() - start > 60_000) throw new Error('kdry wrote no code cache within 60 s');
    }
  } finally {
    await client.shutdown();
  }
}

/**
 * Opens a small document with a schema error and waits until it is reported, so the server has
 * loaded its schema; then `idleMs` of editor idle time (kdry's start-up warm-up runs then).
 */
export async function warmUp(client: LspClient, text: string, idleMs: number): Promise<void> {
  const uri = 'file:///bench/warm-up.yaml';
  const first = await client.open(uri, text);
  if (first.length === 0) await client.nextDiagnostics(uri, (p) => p.diagnostics.length > 0, 10000);
  await new Promise((resolve) => setTimeout(resolve, idleMs));
}

export interface OpenFigures {
  /** To the first publication of diagnostics. */
  ms: number;
  /** Server CPU time (user + system): less sensitive to other load on the machine. */
  cpuMs: number;
  diagnostics: number;
  /** To the last publication of the open: kdry publishes a large file's first documents first (lsp/diagnostics.ts HEAD_DOCUMENTS), then all. */
  allMs: number;
  allCpuMs: number;
  allDiagnostics: number;
  /** The diagnostics of that last publication. */
  published: Diagnostic[];
}

export async function timedOpen(client: LspClient, uri: string, text: string): Promise<OpenFigures> {
  const pid = client.process.pid!;
  const cpu0 = cpuMs(pid);
  const t = performance.now();
  const publications: { ms: number; cpuMs: number; diagnostics: Diagnostic[] }[] = [];
  const stop = client.onDiagnostics((p) => p.uri === uri && publications.push({ ms: performance.now() - t, cpuMs: cpuMs(pid) - cpu0, diagnostics: p.diagnostics }));
  try {
    await client.open(uri, text);
    // A request is answered after the check running when it arrives. The server's check that
    // follows a first publication starts on a timer right after it is written, so a request sent
    // a moment after the first publication waits for it. The request is one neither server knows
    // (answered MethodNotFound at once): a real one (documentSymbol) would parse the file on its
    // own account and be counted in the open.
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (let requests = 0, seen = -1; requests < 2 || seen !== publications.length; requests++) {
      seen = publications.length;
      await client.request('bench/ping', {}).catch(() => undefined);
    }
  } finally {
    stop();
  }
  const [first] = publications;
  const all = publications[publications.length - 1];
  return { ms: first.ms, cpuMs: first.cpuMs, diagnostics: first.diagnostics.length, allMs: all.ms, allCpuMs: all.cpuMs, allDiagnostics: all.diagnostics.length, published: all.diagnostics };
}

/**
 * Edit times, in the order of the edits: `answered`, from the didChange sent to the first byte of the
 * publication of its version (the server's answer: it writes once its work is done;
 * test/server/message-arrivals.ts), and `received`, to that publication parsed by this client
 * (a 410 KB publication of the mixed file costs this client 7-8 ms of CPU: not the server's).
 */
export interface EditTimes {
  answered: number[];
  received: number[];
}

type Change = Parameters<LspClient['edit']>[1][number];

/** Each change in turn, timed to the publication of its version. */
export async function timedChanges(client: LspClient, uri: string, changes: Change[]): Promise<EditTimes> {
  const times: EditTimes = { answered: [], received: [] };
  for (const change of changes) {
    const t = performance.now();
    const published = await client.editPublished(uri, [change]);
    times.received.push(performance.now() - t);
    times.answered.push((client.arrivals.arrivalOf(published) ?? NaN) - t);
  }
  return times;
}

/**
 * `count` single-line edits of `line` (replacing it by each of `variants` in turn), each timed to
 * the diagnostics of its version. `done`: edits this function already made to the same line (a
 * run continued), so the line holds the last of them.
 */
export function timedEdits(client: LspClient, uri: string, text: string, line: number, variants: string[], count: number, done = 0): Promise<EditTimes> {
  const old = text.split('\n')[line];
  const changes: Change[] = [];
  for (let e = done; e < done + count; e++) changes.push({ range: { start: { line, character: 0 }, end: { line, character: e === 0 ? old.length : variants[(e - 1) % variants.length].length } }, text: variants[e % variants.length] });
  return timedChanges(client, uri, changes);
}

/**
 * `count` keystrokes at the end of `line` (whose text is `text`): the k-th word (`word(k)`) typed a
 * character at a time, then erased with backspaces; each keystroke timed to the diagnostics of its
 * version. Each keystroke moves the rest of the file by a character.
 */
export function timedKeystrokes(client: LspClient, uri: string, line: number, text: string, word: (k: number) => string, count: number): Promise<EditTimes> {
  const changes: Change[] = [];
  let k = 0;
  let target = word(k);
  let typed = 0;
  let erasing = false;
  for (let e = 0; e < count; e++) {
    const column = text.length + typed;
    changes.push(
      erasing
        ? { range: { start: { line, character: column - 1 }, end: { line, character: column } }, text: '' }
        : { range: { start: { line, character: column }, end: { line, character: column } }, text: target[typed] },
    );
    typed += erasing ? -1 : 1;
    if (typed === target.length) erasing = true;
    else if (typed === 0) [erasing, target] = [false, word(++k)];
  }
  return timedChanges(client, uri, changes);
}

/** The line of the first `pattern` match at or after the middle of the text (else the first one before). */
export function middleLine(text: string, pattern: RegExp): number {
  const lines = text.split('\n');
  const middle = Math.floor(lines.length / 2);
  for (let i = middle; i < lines.length; i++) if (pattern.test(lines[i])) return i;
  for (let i = middle - 1; i >= 0; i--) if (pattern.test(lines[i])) return i;
  throw new Error(`no line matches ${pattern}`);
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** As percentile, of values in any order. */
export function percentileOf(values: number[], p: number): number {
  return percentile([...values].sort((a, b) => a - b), p);
}

export function median(values: number[]): number {
  return percentileOf(values, 50);
}

/** utime + stime of a process from /proc (10 ms ticks). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** VmHWM: the process's peak resident set size. */
export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export const fmt = (n: number) => (Number.isNaN(n) ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(1)).padStart(7);
