// The status bar item "K8s 1.31" for YAML editors: the Kubernetes release kdry checks the active
// document for, with why in its tooltip (the server decides: kdry/kubernetesVersion). Clicking it
// opens the kdry.kubernetesVersion setting.
import * as vscode from 'vscode';
import { KubernetesVersionRequest, type KubernetesVersionResponse } from '../../server/src/protocol/requests';
import { MANIFEST_SELECTOR } from './language-client';
import type { ClientProvider } from './server-requests';

/** Long enough for the language client to send didChangeConfiguration; the server answers once it applied it. */
const SETTINGS_SENT_MS = 200;

export const KUBERNETES_VERSION_STATUS_ID = 'kdry.kubernetesVersion';

export interface KubernetesVersionShown {
  text: string;
  tooltip: string;
}

/** How long diagnostics must stay still before the item asks the server again. */
const DIAGNOSTICS_QUIET_MS = 500;

export class KubernetesVersionStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(KUBERNETES_VERSION_STATUS_ID, vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Moves on every refresh, so an answer to an older one is not shown. */
  private asked = 0;
  private quiet: ReturnType<typeof setTimeout> | undefined;
  private current: KubernetesVersionShown | undefined;
  private readonly changed = new vscode.EventEmitter<KubernetesVersionShown | undefined>();
  /** Fires when what the item shows changes (for the end-to-end tests). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: ClientProvider) {
    this.item.name = 'kdry: Kubernetes version';
    this.item.command = { command: 'workbench.action.openSettings', title: 'Open the kdry.kubernetesVersion setting', arguments: ['kdry.kubernetesVersion'] };
    this.subscriptions.push(
      this.item,
      this.changed,
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      // The server re-checks a document after the settings or its cluster file changed: ask again
      // then. Diagnostics also arrive on every keystroke, so the question waits for a quiet moment.
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (!active || !e.uris.some((uri) => uri.toString() === active)) return;
        clearTimeout(this.quiet);
        this.quiet = setTimeout(() => void this.refresh(), DIAGNOSTICS_QUIET_MS);
      }),
      { dispose: () => clearTimeout(this.quiet) },
      // After the language client has told the server (its own listener may run after this one).
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('kdry')) setTimeout(() => void this.refresh(), SETTINGS_SENT_MS);
      }),
    );
    void this.refresh();
  }

  /** What the item shows now; undefined when hidden. */
  get shown(): KubernetesVersionShown | undefined {
    return this.current;
  }

  async refresh(): Promise<void> {
    const asked = ++this.asked;
    const document = vscode.window.activeTextEditor?.document;
    // YAML and Helm editors: a JSON file is a manifest only when it holds a Kubernetes object, and
    // an item on every package.json would be noise.
    if (!document || document.languageId === 'json' || vscode.languages.match(MANIFEST_SELECTOR, document) === 0) return this.show(undefined);
    let answer: KubernetesVersionResponse | undefined;
    try {
      answer = await (await this.client()).sendRequest(KubernetesVersionRequest, { uri: document.uri.toString() });
    } catch {
      answer = undefined; // a server that cannot answer: no item rather than a wrong one
    }
    if (asked !== this.asked) return;
    this.show(answer && { text: `K8s ${answer.version}`, tooltip: `kdry checks this file for Kubernetes ${answer.version}: ${answer.reason}. Click to set kdry.kubernetesVersion.` });
  }

  private show(shown: KubernetesVersionShown | undefined): void {
    if (shown) {
      this.item.text = shown.text;
      this.item.tooltip = shown.tooltip;
      this.item.show();
    } else this.item.hide();
    if (shown?.text !== this.current?.text || shown?.tooltip !== this.current?.tooltip) {
      this.current = shown;
      this.changed.fire(shown);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
