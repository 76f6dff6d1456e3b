// Starts code-server (the real VS Code workbench and Node extension host) on a free loopback port
// with a fresh user-data-dir, in its own process group so stop() (and process exit) ends all of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CODE_SERVER, NODE24_BIN } from './tools';

export interface CodeServer {
  port: number;
  url: string;
  runDir: string;
  userDataDir: string;
  extensionsDir: string;
  log: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

export const WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'git.openRepositoryInParentFolders': 'always',
  // VS Code for the web saves after a delay by default: an edit a test reverts must not reach the disk
  // first, or the next test reads it as the file's content (a race the machine's load decides).
  'files.autoSave': 'off',
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH ?? ''}`, ...extra };
}

/** Runs a code-server CLI command that exits (e.g. --install-extension). */
export function codeServerCli(args: string[], runDir: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(CODE_SERVER, ['--config', join(runDir, 'config.yaml'), ...args], { env: toolEnv(), stdio: 'inherit' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

export function prepareRunDir(runDir: string, settings: Record<string, unknown> = {}): { userDataDir: string; extensionsDir: string } {
  const userDataDir = join(runDir, 'ud');
  const extensionsDir = join(runDir, 'ext');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...WORKBENCH_SETTINGS, ...settings }, null, 1));
  writeFileSync(join(runDir, 'config.yaml'), ''); // always pass --config, or code-server writes ~/.config/code-server
  return { userDataDir, extensionsDir };
}

export async function startCodeServer(runDir: string, env: Record<string, string> = {}): Promise<CodeServer> {
  const { userDataDir, extensionsDir } = prepareRunDir(runDir);
  const port = await freePort();
  const log = join(runDir, 'code-server.log');
  const out = openSync(log, 'a');
  const child: ChildProcess = spawn(CODE_SERVER, [
    '--config', join(runDir, 'config.yaml'), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--vscode-option', 'enable-smoke-test-driver',
  ], { env: toolEnv(env), detached: true, stdio: ['ignore', out, out] });
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const onSignal = () => {
    killGroup();
    process.exit(143);
  };
  process.once('exit', killGroup);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${log}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killGroup();
      throw new Error(`code-server not ready after ${READY_TIMEOUT_MS} ms; see ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port, url, runDir, userDataDir, extensionsDir, log,
    stop: async () => {
      if (!child.pid || child.exitCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 1500));
      killGroup();
      process.removeListener('exit', killGroup);
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
    },
  };
}
