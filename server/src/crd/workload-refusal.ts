// A custom workload the API server would refuse by its schema (an Argo Rollout against its CRD in
// the workspace, else kdry's bundled Argo Rollouts schema) is never stored, so the Dry-run has
// nothing to simulate: like a Deployment with maxSurge and maxUnavailable both 0, the run ends
// with the refusal, each error in kubectl's words (engine SimulateOptions.refusals).
import type { ManifestDocument } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import { fieldPath } from '../schema/field-path';
import { judgeCustomResource } from './check-resource';
import { fieldErrorText } from './field-error';
import { describeSource, resolveCustomResource } from './registry';

export interface Refusal {
  /** The field the error is about (`spec.strategy.canary.steps[0].setWeight`), '' for the document. */
  path: string;
  message: string;
}

/**
 * The errors the API server of `release` (its CEL settings: CRDValidationRatcheting decides whether
 * an optionalOldSelf rule runs on a create; the newest release when not given) refuses `doc` with,
 * by its CRD schema and validation rules; [] when it accepts it or kdry has no schema.
 */
export function customWorkloadRefusals(doc: ManifestDocument, workspace: WorkspaceIndex, release?: string): Refusal[] {
  const resolution = resolveCustomResource(workspace, doc.apiVersion, doc.kind);
  if (!resolution) return [];
  const source = describeSource(resolution.source);
  const kind = resolution.crdKind;
  if (resolution.kind === 'not-served') {
    // kdry's bundled snapshot may be older than the cluster's CRD: only a workspace CRD refuses a version.
    if (resolution.source.kind === 'bundled') return [];
    return [{ path: 'apiVersion', message: `the API server rejects this ${kind}: no matches for kind "${kind}" in version "${doc.apiVersion}" (${source})` }];
  }
  return judgeCustomResource(doc.value, resolution.schema, release, resolution.version.statusSubresource).violations.map((v) => ({
    path: fieldPath(v.path),
    message: `the API server rejects this ${kind}: ${fieldErrorText(v)} (${source})`,
  }));
}
