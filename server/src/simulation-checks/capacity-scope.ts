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
import { resolveWorkloadRef, workloadRefOf } from '../engine';
import { isWorkloadDocument, scopeOf, workloadRefTarget } from './run';

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

/** Adds the workload to `into.workloads`, or to `into.refused` when its schema rejects it (in `release`) or its workloadRef does not resolve. */
function admit(workspace: WorkspaceIndex, uri: string, doc: ManifestDocument, into: ScopeWorkloads, release: string | undefined): void {
  const refuse = (errors: string[]) => into.refused.push({ key: `${uri}#${doc.index}`, uri, doc, kind: doc.kind ?? '', name: doc.name ?? '', errors });
  const refusals = customWorkloadRefusals(doc, workspace, release);
  if (refusals.length > 0) return void refuse(refusals.map((r) => (r.path ? `${r.path}: ${r.message}` : r.message)));
  const placed = workload(uri, doc);
  const referenced = doc.kind === 'Rollout' ? workloadRefTarget(workspace, uri, doc) : undefined;
  const resolved = doc.kind === 'Rollout' ? resolveWorkloadRef(placed.object, referenced ? [referenced.object] : []) : undefined;
  if (resolved && 'problem' in resolved) return void refuse([resolved.problem]);
  into.workloads.push(resolved ? { ...placed, object: resolved.rollout } : placed);
}

/**
 * Once the Rollouts are Healthy, a Deployment a Rollout's workloadRef names with `scaleDown:
 * onsuccess` or `progressively` is at 0 replicas (rollout/sync.go, rollout/replicaset.go
 * reconcileNewReplicaSet, scaleDeployment): its pods take no room. With `never` it keeps running.
 */
function scaledDownByRollouts(found: ScopeWorkloads): ScopeWorkloads {
  const scaledDown = new Set<unknown>();
  for (const w of found.workloads) {
    const ref = w.object.kind === 'Rollout' ? workloadRefOf(w.doc.value as Record<string, unknown>) : undefined;
    if (!ref || ref.kind !== 'Deployment' || ref.scaleDown === 'never') continue;
    const target = found.workloads.find((d) => d.doc.kind === 'Deployment' && d.doc.name === ref.name && (d.doc.namespace ?? '') === (w.doc.namespace ?? ''));
    if (target) scaledDown.add(target);
  }
  if (scaledDown.size === 0) return found;
  const atZero = (w: ScopeWorkload): ScopeWorkload => ({ ...w, object: { ...w.object, spec: { ...(w.object.spec as Record<string, unknown>), replicas: 0 } } });
  return { ...found, workloads: found.workloads.map((w) => (scaledDown.has(w) ? atZero(w) : w)) };
}

/** The workloads written in `uris`, in the order given, then document order; custom ones judged by their schema in `release`. */
export function workloadsOfFiles(workspace: WorkspaceIndex, uris: readonly string[], release?: string): ScopeWorkloads {
  const out: ScopeWorkloads = { workloads: [], refused: [] };
  for (const uri of uris) {
    const file = workspace.get(uri);
    if (!file || workspace.isPatch(uri)) continue;
    for (const doc of file.documents) if (isWorkloadDocument(doc, true)) admit(workspace, uri, doc, out, release);
  }
  return scaledDownByRollouts(out);
}

/** The workloads sharing a scope with the workloads of `uri` (its own first), and the scopes' ids. */
export function workloadsInScopeOf(workspace: WorkspaceIndex, uri: string, release?: string): ScopeWorkloads & { scopes: string[] } {
  const own = workloadsOfFiles(workspace, [uri], release);
  const scopes = new Set([...own.workloads, ...own.refused].map((w) => scopeOf(workspace, w.uri, w.doc)));
  if (scopes.size === 0) return { scopes: [], ...own };
  for (const { uri: other, doc } of workspace.documents()) {
    if (other === uri || !isWorkloadDocument(doc, true)) continue;
    if (scopes.has(scopeOf(workspace, other, doc))) admit(workspace, other, doc, own, release);
  }
  return { scopes: [...scopes], ...scaledDownByRollouts(own) };
}
