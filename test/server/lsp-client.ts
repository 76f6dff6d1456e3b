// A tiny LSP client for tests and benchmarks: spawns a language server over stdio and talks
// JSON-RPC to it the way an editor does (vscode-jsonrpc's own message reader/writer).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type CancellationToken, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { SERVER_EXEC_ARGV } from '../../server/src/protocol/server-process';
import { MessageArrivals } from './message-arrivals';

export const REPO = join(__dirname, '..', '..');
export const SERVER = join(REPO, 'dist', 'server.js');

/** The folders the bundles in dist/ are built from. */
const BUNDLED_SOURCES = ['server/src', 'client/src', 'client/webview', 'media', 'scripts/build.mjs'];

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/**
 * Builds dist/ when it is missing or older than a source, so a test file run alone tests the code as it is.
 * Under `npm test` (which builds first) it only compares times: test files run in parallel, and a build
 * replaces dist/k8s/ while other files' servers read it.
 */
export function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(SERVER).mtimeMs;
  } catch {
    // not built yet
  }
  if (built >= Math.max(...BUNDLED_SOURCES.map((source) => newestChange(join(REPO, source))))) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO });
}

/** A language server over stdio, built if needed and initialized. */
export async function startedClient(options?: ClientOptions): Promise<LspClient> {
  ensureBuilt();
  const client = new LspClient(options);
  await client.initialize();
  return client;
}

export interface ClientOptions {
  command?: string[];
  /** Answer to workspace/configuration for each requested section (of the resource `scopeUri`, if any). */
  configuration?: (section: string | undefined, scopeUri?: string) => unknown;
  initializationOptions?: unknown;
  workspaceFolder?: string;
  /** Several folders (a multi-root workspace); the first is also the root. */
  workspaceFolders?: string[];
  /** Advertise workspace/configuration support (as VS Code does). */
  pullConfiguration?: boolean;
  /** Advertise workspace/codeLens/refresh support (as VS Code does); `codeLensRefreshed` resolves on the first. */
  codeLensRefresh?: boolean;
  /** The server's working directory (default: the test's). */
  cwd?: string;
}

export class LspClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  /** When each message from the server began to arrive (the benches' server-side edit times). */
  readonly arrivals: MessageArrivals;
  private diagnostics = new Map<string, PublishDiagnosticsParams>();
  private waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  private listeners = new Set<(p: PublishDiagnosticsParams) => void>();
  private versions = new Map<string, number>();
  stderr = '';
  /** Every capability the server registered (client/registerCapability), in order. */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  /** Resolves when the server first asks the client to refresh its code lenses. */
  readonly codeLensRefreshed: Promise<void>;
  configuration: (section: string | undefined, scopeUri?: string) => unknown;

  constructor(private options: ClientOptions = {}) {
    // Started as the client starts it (protocol/server-process.ts).
    const [cmd, ...args] = options.command ?? [process.execPath, ...SERVER_EXEC_ARGV, SERVER, '--stdio'];
    this.process = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd });
    this.process.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.arrivals = new MessageArrivals(this.process.stdout!, new StreamMessageReader(this.process.stdout!));
    this.connection = createMessageConnection(this.arrivals, new StreamMessageWriter(this.process.stdin!));
    this.configuration = options.configuration ?? (() => ({}));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      for (const listener of this.listeners) listener(p);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri !== p.uri || !w.accept(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string; scopeUri?: string }[] }) => params.items.map((i) => this.configuration(i.section, i.scopeUri)));
    this.connection.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => (this.registrations.push(...params.registrations), null));
    this.codeLensRefreshed = new Promise((resolve) => this.connection.onRequest('workspace/codeLens/refresh', () => (resolve(), null)));
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification(() => undefined);
    this.connection.listen();
  }

  async initialize(): Promise<InitializeResult> {
    const folders = this.options.workspaceFolders ?? (this.options.workspaceFolder ? [this.options.workspaceFolder] : []);
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: folders.length ? pathToFileURL(folders[0]).href : null,
      workspaceFolders: folders.length ? folders.map((f, i) => ({ uri: pathToFileURL(f).href, name: i === 0 ? 'ws' : `ws${i + 1}` })) : null,
      capabilities: {
        workspace: { configuration: this.options.pullConfiguration !== false, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, codeLens: { refreshSupport: this.options.codeLensRefresh === true } },
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { dynamicRegistration: false } },
      },
      initializationOptions: this.options.initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Every uri the server has published diagnostics for so far. */
  get publishedUris(): string[] {
    return [...this.diagnostics.keys()];
  }

  /** Resolves with the next publishDiagnostics for `uri` that `accept` takes (default: any). */
  nextDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 20000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${this.stderr.slice(-2000)}`)), timeoutMs);
      this.waiters.push({ uri, accept, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  /** Calls `listener` with every publishDiagnostics from now on, until the returned function is called. */
  onDiagnostics(listener: (p: PublishDiagnosticsParams) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens a document and waits for its first diagnostics. */
  async open(uri: string, text: string): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    const next = this.nextDiagnostics(uri);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return (await next).diagnostics;
  }

  /** Replaces the whole text and waits for the diagnostics of that version. */
  async change(uri: string, text: string): Promise<Diagnostic[]> {
    return this.edit(uri, [{ text }]);
  }

  /** Sends content changes (incremental or full) and waits for the diagnostics of the new version. */
  async edit(uri: string, contentChanges: unknown[]): Promise<Diagnostic[]> {
    return (await this.editPublished(uri, contentChanges)).diagnostics;
  }

  /** As edit, with the whole publication (for arrivals.arrivalOf). */
  async editPublished(uri: string, contentChanges: unknown[]): Promise<PublishDiagnosticsParams> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const next = this.nextDiagnostics(uri, (p) => p.version === undefined || p.version >= version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
    return next;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** `token`: cancelling it sends $/cancelRequest, as an editor does for a request it no longer needs. */
  request<R>(method: string, params: unknown, token?: CancellationToken): Promise<R> {
    return token ? this.connection.sendRequest<R>(method, params, token) : this.connection.sendRequest<R>(method, params);
  }

  lastDiagnostics(uri: string): Diagnostic[] | undefined {
    return this.diagnostics.get(uri)?.diagnostics;
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    if (this.process.exitCode === null) this.process.kill();
  }
}

export function fixture(name: string): string {
  return readFileSync(join(REPO, 'test', 'fixtures', 'lsp', name), 'utf8');
}

/** Applies LSP TextEdits (line/character) to a text. */
export function applyEdits(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const offsetAt = (p: { line: number; character: number }) => {
    let off = 0;
    for (let l = 0; l < p.line; l++) {
      const nl = text.indexOf('\n', off);
      if (nl < 0) return text.length;
      off = nl + 1;
    }
    return Math.min(off + p.character, text.length);
  };
  // Last edit first; inserts at one position keep their array order in the result (as LSP says).
  const sorted = edits
    .map((e, index) => ({ index, start: offsetAt(e.range.start), end: offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.index - a.index);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** The text a diagnostic's range covers. */
export function slice(text: string, range: Diagnostic['range']): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(offset(range.start), offset(range.end));
}

/** A diagnostic's message as plain text (LSP 3.18 allows markup). */
export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}
