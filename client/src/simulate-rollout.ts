// "kdry: Simulate Rollout": before = the file at git HEAD (tracked and changed) or the buffer with
// one change the user picks; after = the editor buffer; strategy from a quick pick. Returns the
// server's SimulateResponse (tests assert it) and shows it in the Dry-run view.
import * as vscode from 'vscode';
import type { SimulateParams, SimulateResponse } from '../../server/src/protocol/requests';
import type { Faults, StrategyChoice, StrategyParams } from '../../server/src/protocol/wire';
import { gitHeadText } from './git-baseline';
import { pickStrategy } from './strategy-picker';
import { pickChange } from './change-picker';
import { requestChange, requestWorkloads, workloadAt, type ClientProvider } from './server-requests';
import type { DryRunView } from './dry-run-view';
import { hasSimulatableScheme, SIMULATABLE_SCHEMES } from './document-uri';

export { SIMULATE_ROLLOUT_COMMAND } from '../../server/src/protocol/requests';

/** Arguments from the CodeLens, the view or a test; any field left out is asked for. */
export interface SimulateRolloutArgs {
  uri?: string;
  workload?: { kind: string; name: string };
  beforeText?: string;
  afterText?: string;
  strategy?: StrategyChoice;
  strategyParams?: StrategyParams;
  faults?: Faults;
}

const STRATEGIES = new Set<StrategyChoice>(['manifest', 'rolling', 'recreate', 'canary', 'bluegreen', 'ab', 'shadow']);

export async function simulateRollout(view: DryRunView, client: ClientProvider, rawArgs?: unknown): Promise<SimulateResponse | undefined> {
  const args = parseArgs(rawArgs);
  if (args.uri !== undefined && !hasSimulatableScheme(args.uri)) {
    void vscode.window.showErrorMessage(`kdry: Simulate Rollout opens ${SIMULATABLE_SCHEMES.map((s) => `${s}:`).join(' and ')} documents only.`);
    return undefined;
  }
  const document = args.uri ? await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri, true)) : vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage('kdry: open a workload YAML file to simulate its rollout.');
    return undefined;
  }
  let after = args.afterText ?? document.getText();
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
  const offset = editor ? document.offsetAt(editor.selection.active) : 0;
  const workloads = await requestWorkloads(client, document.uri.toString(), after);
  const workload = args.workload
    ? workloads.find((w) => w.kind === args.workload?.kind && w.name === args.workload?.name)
    : workloadAt(workloads, offset);
  if (!workload) {
    void vscode.window.showInformationMessage('kdry: no workload to simulate in this file (a Deployment, Argo Rollout, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob or Pod with a name).');
    return undefined;
  }

  let before = args.beforeText ?? (await gitHeadText(document.uri, after));
  if (before === undefined) {
    const change = await pickChange(workload);
    if (change === undefined) return undefined;
    const changed = await requestChange(client, { uri: document.uri.toString(), text: after, workload: { kind: workload.kind, name: workload.name }, ...change });
    if (changed.text === undefined) {
      void vscode.window.showErrorMessage(`kdry: ${changed.error ?? 'the change could not be applied.'}`);
      return undefined;
    }
    before = after;
    after = changed.text;
  }
  const strategy = args.strategy ? { strategy: args.strategy, strategyParams: args.strategyParams } : await pickStrategy();
  if (!strategy) return undefined;

  const params: Omit<SimulateParams, 'uri'> = {
    text: after,
    beforeText: before,
    workload: { kind: workload.kind, name: workload.name },
    ...strategy,
    faults: args.faults,
  };
  const answer = await view.showRollout(document.uri, params);
  return answer.response;
}

/**
 * Keeps only well-formed fields: the command can be invoked by anything with a command URI. The
 * strategy parameters and faults go on to the server, which schema-checks them (validate-requests.ts).
 */
function parseArgs(raw: unknown): SimulateRolloutArgs {
  if (typeof raw !== 'object' || raw === null || raw instanceof vscode.Uri) {
    return raw instanceof vscode.Uri ? { uri: raw.toString() } : {};
  }
  const input = raw as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const workload = input.workload as Record<string, unknown> | undefined;
  return {
    uri: text(input.uri),
    workload: workload && typeof workload.kind === 'string' && typeof workload.name === 'string' ? { kind: workload.kind, name: workload.name } : undefined,
    beforeText: text(input.beforeText),
    afterText: text(input.afterText),
    strategy: STRATEGIES.has(input.strategy as StrategyChoice) ? (input.strategy as StrategyChoice) : undefined,
    strategyParams: typeof input.strategyParams === 'object' && input.strategyParams !== null ? (input.strategyParams as StrategyParams) : undefined,
    faults: typeof input.faults === 'object' && input.faults !== null ? (input.faults as Faults) : undefined,
  };
}
