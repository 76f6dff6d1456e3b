// The Dry-run webview view: follows the active YAML editor, asks the server to simulate the workload
// under the cursor (an edit after a pause at once, typing once it pauses: edit-refresh.ts; stale
// answers dropped by sequence number) and posts the result to the
// panel. A rollout from the Simulate Rollout command replaces the dry-run until the next editor switch.
// The same webview code runs in the sidebar view and in an editor-area panel (kdry.openDryRunPanel,
// beside the file, room for node columns and the per-pod timeline); both show the same result.
import * as vscode from 'vscode';
import type { CapacityExtent, SimulateParams } from '../../server/src/protocol/requests';
import { podsAtStep, VIEW_POD_WINDOW, type Faults } from '../../server/src/protocol/wire';
import { analysisFault, NO_FAULTS, parseViewMessage, type ResultMessage, type ToViewMessage, type ViewFaults } from '../webview/messages';
import { pagedRevisionOrder, revisionOrder } from '../webview/revisions';
import { dryRunHtml, localResourceRoots } from './webview-html';
import { compactForView } from './compact-for-view';
import { EditRefresh } from './edit-refresh';
import type { SimulateAnswer, SimulateRequester } from './simulate-requester';

export const DRY_RUN_VIEW_ID = 'kdry.dryRun';
/** The editor-area panel's view type, and the command that opens it beside the file. */
export const DRY_RUN_PANEL_TYPE = 'kdry.dryRunPanel';
export const OPEN_DRY_RUN_PANEL_COMMAND = 'kdry.openDryRunPanel';
/**
 * Edits closer than this are typing: refreshed once it pauses this long (the first edit after a
 * pause is refreshed at once: edit-refresh.ts). Also the wait after the cursor moves to another workload.
 */
export const EDIT_DEBOUNCE_MS = 100;
/** Virtual second at which the "node goes NotReady" fault takes the node down. */
export const NODE_DOWN_AT_SECONDS = 10;

export interface RenderTiming {
  seq: number;
  /** From the edit (or request) that triggered it until the panel finished drawing (a wait for a pause in typing included). */
  totalMs: number;
  /** The kdry/simulate round trip to the language server. */
  requestMs: number;
  /** Drawing in the webview. */
  renderMs: number;
  /** Moving the result from the extension host into the webview. */
  transferMs: number;
}

/** When the panel's frame with a result was painted (layout and paint done, after RenderTiming's drawing). */
export interface PaintTiming {
  seq: number;
  /** From the edit (or request) that triggered it until the frame was painted (a wait for a pause in typing included). */
  totalMs: number;
  /** From the end of drawing (RenderTiming) until painted: style, layout and paint. */
  paintMs: number;
}

interface Source {
  uri: vscode.Uri;
  mode: 'dry-run' | 'rollout';
  /**
   * Rollout parameters kept for re-runs (faults, workload choice). `afterText` is set when "after" is
   * not the buffer (a change picked in a quick pick); an edit of the buffer then ends the rollout.
   */
  rollout?: Pick<SimulateParams, 'beforeText' | 'strategy' | 'strategyParams'> & { afterText?: string };
}

/** One webview showing the Dry-run: the sidebar view or the editor-area panel. */
interface Host {
  webview: vscode.Webview;
  visible(): boolean;
  /** The webview said `ready`: messages posted now arrive. */
  ready: boolean;
  /** The last message it could not take yet. */
  pending?: ToViewMessage;
}

export class DryRunView implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly hosts = new Set<Host>();
  private panel: vscode.WebviewPanel | undefined;
  /** The Capacity part is open in some webview: it is asked for after each result. */
  private capacityWanted = false;
  /** What the Capacity part places: the file's scope, or the whole workspace. */
  private capacityExtent: CapacityExtent = 'scope';
  private lastCapacity: ToViewMessage | undefined;
  private source: Source | undefined;
  /** The workload chosen (a lens, the picker); `kustomization`: the overlay whose build of it a lens asked for. */
  private pinned: { uri: string; kind: string; name: string; kustomization?: string } | undefined;
  private faults: ViewFaults = NO_FAULTS;
  private neverReadyRevision: string | undefined;
  private lastResult: ResultMessage | undefined;
  private lastCursorWorkload: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly edits = new EditRefresh(EDIT_DEBOUNCE_MS);
  /** Wall-clock epoch ms per sequence number: the trigger, and when the result was posted to the view. */
  private readonly triggeredAt = new Map<number, number>();
  private readonly postedAt = new Map<number, number>();
  /** Per sequence number drawn and not yet painted: its trigger and when drawing ended. */
  private readonly drawnAt = new Map<number, { triggered: number; rendered: number }>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly rendered = new vscode.EventEmitter<RenderTiming>();
  /** Fires when the panel has drawn a result (tests and the benchmark listen). */
  readonly onDidRender = this.rendered.event;
  private readonly painted = new vscode.EventEmitter<PaintTiming>();
  /** Fires when the frame showing a drawn result was painted (a visible webview only: hidden ones paint no frames). */
  readonly onDidPaint = this.painted.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly requester: SimulateRequester) {
    this.disposables.push(
      this.rendered,
      this.painted,
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && isYaml(editor.document)) this.follow(editor.document.uri, 0);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.source && event.document.uri.toString() === this.source.uri.toString() && event.contentChanges.length > 0) {
          if (this.source.rollout?.afterText !== undefined) this.source = { uri: this.source.uri, mode: 'dry-run' };
          this.afterEdit();
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => this.onSelection(event)),
    );
    const editor = vscode.window.activeTextEditor;
    if (editor && isYaml(editor.document)) this.source = { uri: editor.document.uri, mode: 'dry-run' };
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(this.extensionUri) };
    view.webview.html = dryRunHtml(view.webview, this.extensionUri, 'sidebar');
    const host = this.attach(view.webview, () => view.visible);
    this.disposables.push(
      view.onDidDispose(() => this.hosts.delete(host)),
      view.onDidChangeVisibility(() => {
        if (view.visible && this.source) this.schedule(0);
      }),
    );
  }

  /** Opens (or reveals) the Dry-run in the editor area beside the file: the same webview code, more room. */
  openPanel(): vscode.WebviewPanel {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(DRY_RUN_PANEL_TYPE, 'kdry Dry-run', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: localResourceRoots(this.extensionUri) });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'kdry.svg');
    panel.webview.html = dryRunHtml(panel.webview, this.extensionUri, 'editor');
    const host = this.attach(panel.webview, () => panel.visible);
    const visibility = panel.onDidChangeViewState(() => {
      if (panel.visible && this.source) this.schedule(0);
    });
    panel.onDidDispose(() => {
      this.hosts.delete(host);
      visibility.dispose();
      this.panel = undefined;
    });
    this.panel = panel;
    return panel;
  }

  private attach(webview: vscode.Webview, visible: () => boolean): Host {
    const host: Host = { webview, visible, ready: false };
    this.hosts.add(host);
    this.disposables.push(webview.onDidReceiveMessage((raw) => this.onMessage(raw, host)));
    return host;
  }

  private anyVisible(): boolean {
    return [...this.hosts].some((h) => h.visible());
  }

  /** Shows a rollout from the Simulate Rollout command and keeps it across edits of that file. */
  async showRollout(uri: vscode.Uri, params: Omit<SimulateParams, 'uri'>): Promise<SimulateAnswer> {
    const buffer = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.getText();
    const afterText = params.text !== undefined && params.text !== buffer ? params.text : undefined;
    this.source = { uri, mode: 'rollout', rollout: { beforeText: params.beforeText, strategy: params.strategy, strategyParams: params.strategyParams, afterText } };
    if (params.workload) this.pinned = { uri: uri.toString(), ...params.workload };
    if (params.faults) this.neverReadyRevision = params.faults.neverReadyRevision;
    const answer = await this.run(params.text, params.offset, params.faults ?? this.resolvedFaults());
    await vscode.commands.executeCommand(`${DRY_RUN_VIEW_ID}.focus`).then(undefined, () => undefined);
    return answer;
  }

  /** Re-simulates the active editor now (tests, the "Dry-run" CodeLens). */
  async refreshNow(uri?: vscode.Uri, workload?: { kind: string; name: string }, kustomization?: string): Promise<SimulateAnswer | undefined> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) return undefined;
    if (!this.source || this.source.uri.toString() !== target.toString()) this.source = { uri: target, mode: 'dry-run' };
    if (workload) this.pinned = { uri: target.toString(), ...workload, kustomization };
    return this.run();
  }

  private follow(uri: vscode.Uri, delay: number): void {
    if (this.source?.uri.toString() !== uri.toString()) {
      this.source = { uri, mode: 'dry-run' };
      this.neverReadyRevision = undefined;
      this.lastCursorWorkload = undefined;
    }
    this.schedule(delay);
  }

  private onSelection(event: vscode.TextEditorSelectionChangeEvent): void {
    const document = event.textEditor.document;
    if (!this.source || document.uri.toString() !== this.source.uri.toString() || !this.lastResult) return;
    // The server's last answer lists where each workload document starts: no re-parse per cursor move.
    const workload = workloadStartingBefore(this.lastResult.response.workloads, document.offsetAt(event.selections[0].active));
    const key = workload ? `${workload.kind}/${workload.name}` : undefined;
    if (key === this.lastCursorWorkload) return;
    this.lastCursorWorkload = key;
    this.pinned = undefined; // the cursor moved to another workload: follow it again
    this.schedule(EDIT_DEBOUNCE_MS);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.edits.cancel();
    const triggered = Date.now();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh(triggered);
    }, delay);
  }

  /** An edit of the shown file: refreshed at once after a pause, else once the typing pauses (it replaces any refresh waiting). */
  private afterEdit(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const triggered = Date.now();
    this.edits.edited(() => this.refresh(triggered));
  }

  private refresh(triggered: number): void {
    if (this.anyVisible()) void this.run(undefined, undefined, undefined, triggered, 'refresh'); // hidden: refreshed when shown
  }

  /** `lane`: a refresh after an edit, which the next refresh replaces (cancels); commands run unlaned. */
  private async run(text?: string, offset?: number, faults?: Faults, triggered = Date.now(), lane?: string): Promise<SimulateAnswer> {
    const source = this.source;
    if (!source) {
      this.post({ type: 'idle', message: 'Open a Kubernetes workload YAML file to see its dry-run.' });
      return { seq: this.requester.latest, response: { workloads: [] }, ms: 0 };
    }
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.uri.toString());
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === source.uri.toString());
    const bufferText = text ?? source.rollout?.afterText ?? document?.getText();
    const pinned = this.pinned?.uri === source.uri.toString() ? { kind: this.pinned.kind, name: this.pinned.name } : undefined;
    const kustomization = pinned ? this.pinned?.kustomization : undefined;
    const params: SimulateParams = {
      uri: source.uri.toString(),
      text: bufferText,
      offset: offset ?? (editor && document ? document.offsetAt(editor.selection.active) : undefined),
      workload: pinned,
      faults: faults ?? this.resolvedFaults(),
      then: this.faults.then ? [this.faults.then] : undefined,
      beforeText: source.rollout?.beforeText,
      strategy: source.rollout?.strategy,
      strategyParams: source.rollout?.strategyParams,
      podWindow: VIEW_POD_WINDOW,
      ...(kustomization ? { kustomization } : {}),
    };
    this.post({ type: 'busy' });
    const answer = await this.requester.simulate(params, lane);
    if (answer.seq !== this.requester.latest) return answer; // a newer edit is already on its way
    this.triggeredAt.set(answer.seq, triggered);
    this.postedAt.set(answer.seq, Date.now());
    const message: ResultMessage = {
      type: 'result',
      seq: answer.seq,
      file: `${source.uri.path.split('/').pop() ?? source.uri.toString()}${kustomization ? ` as ${builtBy(kustomization)} builds it` : ''}`,
      mode: source.mode,
      response: compactForView(answer.response),
      bounds: answer.response.bounds,
      faults: this.faults,
      requestMs: answer.ms,
    };
    this.lastResult = message;
    this.post(message);
    if (this.capacityWanted) void this.refreshCapacity(source.uri);
    return answer;
  }

  /** The Capacity part: the file's scope (or the workspace) placed together; a newer request replaces an older one. */
  private async refreshCapacity(uri: vscode.Uri): Promise<void> {
    const response = await this.requester.capacity({ uri: uri.toString(), extent: this.capacityExtent }, 'capacity');
    if (response === undefined || this.source?.uri.toString() !== uri.toString()) return; // replaced, or the view moved on
    this.lastCapacity = { type: 'capacity', response };
    this.post(this.lastCapacity);
  }

  /** The kind of the workload the next run simulates: the one picked for this file, else the one last shown. */
  private workloadKind(): string | undefined {
    if (this.pinned && this.pinned.uri === this.source?.uri.toString()) return this.pinned.kind;
    return this.lastResult?.response.result?.workload?.kind;
  }

  private resolvedFaults(): Faults {
    const faults: Faults = {};
    if (this.faults.neverReady) {
      const last = this.lastResult?.response.result;
      const paging = this.lastResult?.response.paging;
      this.neverReadyRevision ??= paging ? pagedRevisionOrder(paging).newest : last ? revisionOrder(last, podsAtStep(last, last.steps.length - 1)).newest : undefined;
      if (this.neverReadyRevision) faults.neverReadyRevision = this.neverReadyRevision;
    }
    if (this.faults.nodeNotReady) faults.nodeNotReady = [{ node: this.faults.nodeNotReady, at: NODE_DOWN_AT_SECONDS }];
    // Without `at`, the drain starts a second after the workload first settled (engine/result.ts Faults.drain).
    if (this.faults.drain) faults.drain = [{ node: this.faults.drain }];
    if (this.faults.exitCode > 0) faults.podExit = { exitCode: this.faults.exitCode, ...(this.faults.exitShare < 100 ? { sharePercent: this.faults.exitShare } : {}) };
    const analysis = analysisFault(this.faults, this.workloadKind());
    if (analysis) faults.analysis = analysis;
    return faults;
  }

  private onMessage(raw: unknown, host: Host): void {
    const message = parseViewMessage(raw);
    if (!message) return; // not one of ours: ignore
    switch (message.type) {
      case 'ready': {
        host.ready = true;
        // A webview opened later (the panel beside the sidebar) starts from what the other shows.
        const first = host.pending ?? this.lastResult;
        if (first) void host.webview.postMessage(first);
        else this.schedule(0);
        if (this.lastCapacity) void host.webview.postMessage(this.lastCapacity);
        host.pending = undefined;
        return;
      }
      case 'showCapacity':
        this.capacityWanted = message.show;
        if (message.extent) this.capacityExtent = message.extent;
        if (message.show && this.source) void this.refreshCapacity(this.source.uri);
        return;
      case 'selectWorkload':
        if (this.source) this.pinned = { uri: this.source.uri.toString(), kind: message.kind, name: message.name };
        this.schedule(0);
        return;
      case 'setFaults':
        this.faults = message.faults;
        if (!message.faults.neverReady) this.neverReadyRevision = undefined;
        this.schedule(0);
        return;
      case 'pods': {
        const { seq, type, ...request } = message;
        const id = this.lastResult?.seq === seq ? this.lastResult.response.paging?.id : undefined;
        if (id === undefined) return; // an older run's page: the view has moved on
        void this.requester.pods({ id, ...request }).then((response) => {
          if (this.lastResult?.seq === seq) void host.webview.postMessage({ type, seq, request, response } satisfies ToViewMessage);
        });
        return;
      }
      case 'simulateRollout':
        void vscode.commands.executeCommand('kdry.simulateRollout', this.source ? { uri: this.source.uri.toString() } : undefined);
        return;
      case 'rendered': {
        const started = this.triggeredAt.get(message.seq);
        const posted = this.postedAt.get(message.seq);
        this.triggeredAt.delete(message.seq);
        this.postedAt.delete(message.seq);
        const requestMs = this.lastResult?.seq === message.seq ? this.lastResult.requestMs : 0;
        if (started === undefined || posted === undefined) return;
        this.drawnAt.set(message.seq, { triggered: started, rendered: message.renderedAt });
        // only the newest drawing is waited for: a hidden webview never paints, and a newer result replaces an older one
        for (const seq of this.drawnAt.keys()) if (seq < message.seq) this.drawnAt.delete(seq);
        this.rendered.fire({
          seq: message.seq,
          totalMs: message.renderedAt - started,
          requestMs,
          renderMs: message.renderMs,
          transferMs: Math.max(0, message.renderedAt - message.renderMs - posted),
        });
        return;
      }
      case 'painted': {
        const drawn = this.drawnAt.get(message.seq);
        this.drawnAt.delete(message.seq);
        if (drawn) this.painted.fire({ seq: message.seq, totalMs: message.paintedAt - drawn.triggered, paintMs: message.paintedAt - drawn.rendered });
        return;
      }
    }
  }

  private post(message: ToViewMessage): void {
    for (const host of this.hosts) {
      if (host.ready) void host.webview.postMessage(message);
      else if (message.type !== 'busy' && message.type !== 'capacity') host.pending = message;
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** The workload whose document starts last at or before `offset` (documents are in file order). */
export function workloadStartingBefore<T extends { offset: number }>(workloads: readonly T[], offset: number): T | undefined {
  let found: T | undefined;
  for (const workload of workloads) if (workload.offset <= offset) found = workload;
  return found ?? workloads[0];
}

export function isYaml(document: vscode.TextDocument): boolean {
  return document.languageId === 'yaml' && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
}

/** An overlay's folder as the workspace names it (`overlays/prod/`), for the view's title. */
function builtBy(kustomization: string): string {
  const folder = vscode.Uri.joinPath(vscode.Uri.parse(kustomization), '..');
  return `${vscode.workspace.asRelativePath(folder, false)}/`;
}
