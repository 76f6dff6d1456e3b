// Which workloads a capacity report places together: every workload document of the files given
// (`kdry capacity DIR`), or every one sharing the scope of a file (the Dry-run view's Capacity
// part: the file's kustomization or chart, else its folder, as the simulation checks group them).
// Patches and chart templates are not objects of their own and are left out, and so is a custom
// workload its schema refuses (an Argo Rollout, crd/workload-refusal.ts): the API server never
// stores it, so its pods take no room. A `workloadRef` Rollout is placed with the template of the
// workload it names in its scope (rollout/templateref.go Resolve); one whose reference does not
// resolve is left out with Argo's InvalidSpec message (the controller creates no pods for it).
import type { ManifestDocument } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import { customWorkloadRefusals } from '../crd/workload-refusal';
import { atZeroReplicas, resolveWorkloadRef, scalesReferencedToZero } from '../engine';
import { isWorkloadDocument, referencedForEngine, scopeOf, workloadRefTarget } from './run';

export interface ScopeWorkload {
  /** `uri#document index`. */
  key: string;
  uri: string;
  doc: ManifestDocument;
  object: Record<string, unknown>;
}

/** A workload left out because the API server rejects it by its CRD's schema. */
export interface RefusedWorkload {
  key: string;
  uri: string;
  doc: ManifestDocument;
  kind: string;
  name: string;
  /** Each error in kubectl's words, naming the schema's source. */
  errors: string[];
}

export interface ScopeWorkloads {
  workloads: ScopeWorkload[];
  refused: RefusedWorkload[];
}

function workload(uri: string, doc: ManifestDocument): ScopeWorkload {
  return { key: `${uri}#${doc.index}`, uri, doc, object: doc.value as Record<string, unknown> };
}

/** What admit gathers: the workloads, and the objects their Rollouts' workloadRefs scale to 0. */
interface Admitted extends ScopeWorkloads {
  scaledDown: Set<unknown>;
}

/**
 * Adds the workload to `into.workloads`, or to `into.refused` when its schema rejects it (in
 * `release`) or its workloadRef does not resolve; a Rollout that scales the workload it resolved to
 * down marks that object (the document's value, the one the scope's Deployment is placed as).
 */
function admit(workspace: WorkspaceIndex, uri: string, doc: ManifestDocument, into: Admitted, release: string | undefined): void {
  const refuse = (errors: string[]) => into.refused.push({ key: `${uri}#${doc.index}`, uri, doc, kind: doc.kind ?? '', name: doc.name ?? '', errors });
  const refusals = customWorkloadRefusals(doc, workspace, release);
  if (refusals.length > 0) return void refuse(refusals.map((r) => (r.path ? `${r.path}: ${r.message}` : r.message)));
  const placed = workload(uri, doc);
  const target = doc.kind === 'Rollout' ? workloadRefTarget(workspace, uri, doc) : undefined;
  const resolved = doc.kind === 'Rollout' ? resolveWorkloadRef(placed.object, target ? [referencedForEngine(target, doc).object] : []) : undefined;
  if (resolved && 'problem' in resolved) return void refuse([resolved.problem]);
  if (target && scalesReferencedToZero(resolved)) into.scaledDown.add(target.doc.value);
  into.workloads.push(resolved ? { ...placed, object: resolved.rollout } : placed);
}

/**
 * Once the Rollouts are Healthy, a Deployment a Rollout's workloadRef resolved to with `scaleDown:
 * onsuccess` or `progressively` is at 0 replicas (scalesReferencedToZero): its pods take no room.
 */
function scaledDownByRollouts({ workloads, refused, scaledDown }: Admitted): ScopeWorkloads {
  return { workloads: workloads.map((w) => (scaledDown.has(w.object) ? { ...w, object: atZeroReplicas(w.object) } : w)), refused };
}

/** The workloads written in `uris`, in the order given, then document order; custom ones judged by their schema in `release`. */
export function workloadsOfFiles(workspace: WorkspaceIndex, uris: readonly string[], release?: string): ScopeWorkloads {
  return scaledDownByRollouts(admitFiles(workspace, uris, release));
}

function admitFiles(workspace: WorkspaceIndex, uris: readonly string[], release: string | undefined): Admitted {
  const out: Admitted = { workloads: [], refused: [], scaledDown: new Set() };
  for (const uri of uris) {
    const file = workspace.get(uri);
    if (!file || workspace.isPatch(uri)) continue;
    for (const doc of file.documents) if (isWorkloadDocument(doc, true)) admit(workspace, uri, doc, out, release);
  }
  return out;
}

/** The workloads sharing a scope with the workloads of `uri` (its own first), and the scopes' ids. */
export function workloadsInScopeOf(workspace: WorkspaceIndex, uri: string, release?: string): ScopeWorkloads & { scopes: string[] } {
  const own = admitFiles(workspace, [uri], release);
  const scopes = new Set([...own.workloads, ...own.refused].map((w) => scopeOf(workspace, w.uri, w.doc)));
  if (scopes.size === 0) return { scopes: [], ...scaledDownByRollouts(own) };
  for (const { uri: other, doc } of workspace.documents()) {
    if (other === uri || !isWorkloadDocument(doc, true)) continue;
    if (scopes.has(scopeOf(workspace, other, doc))) admit(workspace, other, doc, own, release);
  }
  return { scopes: [...scopes], ...scaledDownByRollouts(own) };
}
