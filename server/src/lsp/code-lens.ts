// The lenses above every workload document: "Dry-run" and "Simulate rollout" where the simulator
// can run it (they carry their command and a WorkloadTarget, so the client only registers the two
// commands), then what acts on it: "selected by Service web", "scaled by HPA web (2-10)",
// "protected by PDB web (minAvailable 2)", each opening that object (the client's kdry.openObject).
// Above a Go/Helm template: how many of its references kdry leaves unresolved (their names are
// template actions).
import type { CodeLens, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ManifestDocument, ManifestFile } from '../manifest';
import { podTemplatePath } from '../manifest/pod-template';
import { DRY_RUN_COMMAND, OPEN_OBJECT_COMMAND, SIMULATE_ROLLOUT_COMMAND, type ObjectPlace, type WorkloadTarget } from '../protocol/requests';
import { linksToWorkload, type WorkloadLink } from '../scope/workload-links';
import { patchTarget } from '../scope/kustomize-build';
import { simulatableWorkloads } from '../engine';
import { json6902Targets, overlaysBuilding, unitLabel } from '../scope/dry-run-builds';
import { templatedReferencesLens } from '../scope/template-references';
import type { WorkspaceIndex } from '../workspace';
import { toLocation } from './navigation';
import { firstKeyOffset, workloadDocuments } from './workloads';

/** Past this many lines a file gets no lenses (too large to annotate usefully; the view still works). */
export const CODE_LENS_LINE_LIMIT = 50_000;

export function codeLenses(text: TextDocument, file: ManifestFile, workspace: WorkspaceIndex): CodeLens[] {
  if (text.lineCount > CODE_LENS_LINE_LIMIT) return [];
  if (workspace.isPatch(file.uri)) return patchLenses(text, file, workspace);
  const lenses: CodeLens[] = [];
  const simulatable = new Set<ManifestDocument>(workloadDocuments(file));
  const overlays = simulatable.size > 0 ? overlaysBuilding(workspace, file.uri) : [];
  for (const doc of file.documents) {
    const runs = simulatable.has(doc);
    if (doc.templated) lenses.push(...templateLens(text, file, doc));
    if (!runs && (doc.templated || doc.value === undefined || podTemplatePath(doc) === undefined)) continue;
    const offset = firstKeyOffset(doc);
    const position = text.positionAt(offset);
    const range = { start: position, end: position };
    if (runs) {
      const target: WorkloadTarget = { uri: text.uri, workload: { kind: doc.kind!, name: doc.name! }, offset };
      lenses.push(
        { range, command: { title: 'Dry-run', command: DRY_RUN_COMMAND, arguments: [target] } },
        { range, command: { title: 'Simulate rollout', command: SIMULATE_ROLLOUT_COMMAND, arguments: [target] } },
      );
      // A base used by several overlays: each overlay's build of it, named by its folder.
      for (const overlay of overlays) {
        const label = unitLabel(overlay, file.uri);
        const built: WorkloadTarget = { ...target, kustomization: overlay.uri };
        lenses.push({ range, command: { title: `Dry-run (${label})`, command: DRY_RUN_COMMAND, arguments: [built], tooltip: `Dry-run ${doc.kind} ${doc.name} as ${label}/ builds it (kustomize build ${label})` } });
      }
    }
    if (doc.templated || doc.value === undefined) continue;
    for (const link of linksToWorkload(workspace, { uri: file.uri, file, doc })) lenses.push(...linkLens(workspace, range, link));
  }
  return lenses;
}

/**
 * Above a template whose references name their objects with template actions: that kdry leaves
 * them unresolved (scope/template-references.ts). A label, not a link: nothing opens.
 */
function templateLens(text: TextDocument, file: ManifestFile, doc: ManifestDocument): CodeLens[] {
  const view = doc.template?.document;
  const lens = view && templatedReferencesLens(file, view);
  if (!lens) return [];
  const position = text.positionAt(firstKeyOffset(view));
  return [{ range: { start: position, end: position }, command: { title: lens.title, command: '', tooltip: lens.tooltip } }];
}

/**
 * A kustomize patch is not a workload of its own: a document that patches a workload of its
 * kustomization's build gets a "Dry-run" of that workload as the kustomization builds it.
 */
function patchLenses(text: TextDocument, file: ManifestFile, workspace: WorkspaceIndex): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const doc of workloadDocuments(file)) {
    if (!patchTarget(workspace, file.uri, doc.value)) continue;
    const offset = firstKeyOffset(doc);
    const position = text.positionAt(offset);
    const target: WorkloadTarget = { uri: text.uri, workload: { kind: doc.kind, name: doc.name }, offset };
    lenses.push({ range: { start: position, end: position }, command: { title: 'Dry-run', command: DRY_RUN_COMMAND, arguments: [target], tooltip: `Dry-run ${doc.kind} ${doc.name} as this patch's kustomization builds it` } });
  }
  // A JSON 6902 patch names no object: a "Dry-run" of each workload its entry's target selects, above
  // the first operation; in each build the patch acts in (the kustomization that lists it, each
  // overlay above that), named by its folder when there are several, as above a base workload.
  const targets = json6902Targets(workspace, file.uri).filter((t) => isSimulatable(t.entry.doc));
  if (targets.length > 0) {
    const position = text.positionAt(file.documents.find((d) => Array.isArray(d.value))?.range[0] ?? 0);
    const objects = new Set(targets.map((t) => t.entry.doc)).size;
    const builds = new Set(targets.map((t) => t.root)).size;
    for (const { entry, root } of targets) {
      const label = unitLabel(root, file.uri);
      const target: WorkloadTarget = { uri: text.uri, workload: { kind: entry.doc.kind!, name: entry.doc.name! }, offset: 0, ...(builds > 1 ? { kustomization: root.uri } : {}) };
      const title = ['Dry-run', objects > 1 ? `${entry.doc.kind} ${entry.doc.name}` : '', builds > 1 ? `(${label})` : ''].filter(Boolean).join(' ');
      lenses.push({ range: { start: position, end: position }, command: { title, command: DRY_RUN_COMMAND, arguments: [target], tooltip: `Dry-run ${entry.doc.kind} ${entry.doc.name} as ${label}/ builds it with this patch (kustomize build ${label})` } });
    }
  }
  return lenses;
}

/** A document the Dry-run runs (workloadDocuments' choice), judged alone. */
function isSimulatable(doc: ManifestDocument): boolean {
  return simulatableWorkloads([doc.value]).length > 0;
}

function linkLens(workspace: WorkspaceIndex, range: Range, link: WorkloadLink): CodeLens[] {
  const target = toLocation(workspace, link.place);
  if (!target) return [];
  const title = `${link.relation} ${link.kind} ${link.name}${link.detail ? ` (${link.detail})` : ''}`;
  const place: ObjectPlace = { uri: target.uri, ...target.range.start };
  return [{ range, command: { title, command: OPEN_OBJECT_COMMAND, arguments: [place], tooltip: `Open ${link.kind} ${link.name}` } }];
}
