// kdry's VS Code side, kept thin: start the language server, register the commands the server's
// CodeLenses invoke, and the Dry-run view. Everything that understands Kubernetes runs in the server.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DRY_RUN_COMMAND, OPEN_OBJECT_COMMAND, SIMULATE_ROLLOUT_COMMAND, type CapacityResponse, type SimulateParams, type SimulateResponse } from '../../server/src/protocol/requests';
import { createLanguageClient } from './language-client';
import { SimulateRequester } from './simulate-requester';
import { DryRunView, DRY_RUN_VIEW_ID, OPEN_DRY_RUN_PANEL_COMMAND, type PaintTiming, type RenderTiming } from './dry-run-view';
import { simulateRollout } from './simulate-rollout';
import { hasSimulatableScheme } from './document-uri';
import { KubernetesVersionStatus, type KubernetesVersionShown } from './kubernetes-version-status';
import { showUpgradeReport, UPGRADE_REPORT_COMMAND } from './upgrade-report';

/** What the extension exports: used by the end-to-end tests and the benchmark. */
export interface KdryApi {
  readonly activationMs: number;
  /** From starting the language client until the server answered initialize. */
  readonly serverStartMs: number | undefined;
  /** Resolves once the language server is running. */
  ready(): Promise<LanguageClient>;
  simulate(params: SimulateParams): Promise<SimulateResponse>;
  /** kdry/capacity: the scope of `uri` placed together on the cluster in force. */
  capacity(uri: string): Promise<CapacityResponse | undefined>;
  onDidRender: vscode.Event<RenderTiming>;
  /** The frame showing a drawn result was painted (the edit-to-view figure). */
  onDidPaint: vscode.Event<PaintTiming>;
  /** What the Kubernetes version status bar item shows now (undefined: hidden). */
  kubernetesVersionShown(): KubernetesVersionShown | undefined;
}

let client: LanguageClient | undefined;
let serverStartMs: number | undefined;

export function activate(context: vscode.ExtensionContext): KdryApi {
  const started = performance.now();
  client = createLanguageClient(context);
  // Start the server on the next turn: activation returns at once, the language client's feature
  // registration and the server's spawn happen right after, off the activation path.
  let starting = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    const spawnStarted = performance.now();
    return client!.start().then(() => {
      serverStartMs = performance.now() - spawnStarted;
    });
  });
  const ready = async () => {
    await starting;
    return client!;
  };
  const requester = new SimulateRequester(ready);
  const view = new DryRunView(context.extensionUri, requester);
  const versionStatus = new KubernetesVersionStatus(ready);

  context.subscriptions.push(
    view,
    versionStatus,
    vscode.window.registerWebviewViewProvider(DRY_RUN_VIEW_ID, view, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.commands.registerCommand(SIMULATE_ROLLOUT_COMMAND, (args?: unknown) => simulateRollout(view, ready, args)),
    // An argument (`1.35`) skips the question: the end-to-end tests pass one.
    vscode.commands.registerCommand(UPGRADE_REPORT_COMMAND, (to?: unknown) => showUpgradeReport(ready, to)),
    vscode.commands.registerCommand(DRY_RUN_COMMAND, async (args?: unknown) => {
      const target = dryRunTarget(args);
      await vscode.commands.executeCommand(`${DRY_RUN_VIEW_ID}.focus`);
      return (await view.refreshNow(target.uri, target.workload, target.kustomization))?.response;
    }),
    // The link lenses (selected by Service web, ...) open the object at its name.
    vscode.commands.registerCommand(OPEN_OBJECT_COMMAND, async (place?: unknown) => {
      const target = objectPlace(place);
      if (target) await vscode.window.showTextDocument(target.uri, { selection: new vscode.Range(target.position, target.position) });
    }),
    // The Dry-run beside the file, in the editor area: the same webview code with room for node columns and the per-pod timeline.
    vscode.commands.registerCommand(OPEN_DRY_RUN_PANEL_COMMAND, async (args?: unknown) => {
      const target = dryRunTarget(args);
      view.openPanel();
      return (await view.refreshNow(target.uri, target.workload, target.kustomization))?.response;
    }),
    // Trust granted: restart so the server may now read the workspace's cluster file.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      starting = client!.restart();
    }),
  );

  const activationMs = performance.now() - started;
  return {
    activationMs,
    get serverStartMs() {
      return serverStartMs;
    },
    ready,
    simulate: async (params) => (await requester.simulate(params)).response,
    capacity: (uri) => requester.capacity({ uri }),
    onDidRender: view.onDidRender,
    onDidPaint: view.onDidPaint,
    kubernetesVersionShown: () => versionStatus.shown,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

function dryRunTarget(args: unknown): { uri?: vscode.Uri; workload?: { kind: string; name: string }; kustomization?: string } {
  if (args instanceof vscode.Uri) return { uri: args };
  if (typeof args !== 'object' || args === null) return {};
  const input = args as Record<string, unknown>;
  const workload = input.workload as Record<string, unknown> | undefined;
  return {
    uri: typeof input.uri === 'string' ? vscode.Uri.parse(input.uri) : undefined,
    workload: workload && typeof workload.kind === 'string' && typeof workload.name === 'string' ? { kind: workload.kind, name: workload.name } : undefined,
    // An overlay's build of a base (the per-overlay lens).
    kustomization: typeof input.kustomization === 'string' ? input.kustomization : undefined,
  };
}

const isPosition = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

function objectPlace(arg: unknown): { uri: vscode.Uri; position: vscode.Position } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { uri, line, character } = arg as Record<string, unknown>;
  if (typeof uri !== 'string' || !isPosition(line) || !isPosition(character)) return undefined;
  // Any command link or extension can run this command: open files and unsaved buffers only, as Simulate Rollout does.
  if (!hasSimulatableScheme(uri)) return undefined;
  return { uri: vscode.Uri.parse(uri), position: new vscode.Position(line, character) };
}
