// "Dry-run" and "Simulate rollout" above every workload document the simulator can run. The lenses
// carry their command and a WorkloadTarget, so the client only registers the two commands.
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ManifestFile } from '../manifest';
import { DRY_RUN_COMMAND, SIMULATE_ROLLOUT_COMMAND, type WorkloadTarget } from '../protocol/requests';
import { firstKeyOffset, workloadDocuments } from './workloads';

/** Past this many lines a file gets no lenses (too large to annotate usefully; the view still works). */
export const CODE_LENS_LINE_LIMIT = 50_000;

export function codeLenses(text: TextDocument, file: ManifestFile): CodeLens[] {
  if (text.lineCount > CODE_LENS_LINE_LIMIT) return [];
  return workloadDocuments(file).flatMap((doc) => {
    const offset = firstKeyOffset(doc);
    const position = text.positionAt(offset);
    const range = { start: position, end: position };
    const target: WorkloadTarget = { uri: text.uri, workload: { kind: doc.kind, name: doc.name }, offset };
    return [
      { range, command: { title: 'Dry-run', command: DRY_RUN_COMMAND, arguments: [target] } },
      { range, command: { title: 'Simulate rollout', command: SIMULATE_ROLLOUT_COMMAND, arguments: [target] } },
    ];
  });
}
