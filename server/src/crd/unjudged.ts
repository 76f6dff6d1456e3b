// A custom resource kdry has no schema for (no CRD in the workspace, none bundled) is not
// validated at all: `kdry check` must not count its file as wholly checked (SECURITY.md: a gate
// never calls clean what it did not check), as it does for a template it could not read.
import { isRecord, type ManifestDocument, type ManifestFile } from '../manifest';
import { TEMPLATE_PLACEHOLDER } from '../manifest/template-mask';
import type { WorkspaceIndex } from '../workspace';
import { apiAvailability } from '../schema/api-availability';
import type { KubernetesTarget } from '../schema';
import { resolveCustomResource } from './registry';
import { splitApiVersion } from './definition';
import { isComponentConfigGroup } from '../k8s/component-config';
import { notAppliedObject } from '../k8s/tool-configs';

/** Why each document of `file` that is a custom resource without a schema was not validated. */
export function unjudgedCustomResources(file: ManifestFile, workspace: WorkspaceIndex, target: KubernetesTarget): string[] {
  const reasons: string[] = [];
  for (const outer of file.documents) {
    // A template kdry could not read is reported by templateNotChecked, a document that did not
    // parse by its YAML errors; a template's literal apiVersion and kind are read from its masked view.
    const doc = outer.templated ? outer.template?.document : outer;
    if (!doc) continue;
    const without = customKindWithoutSchema(doc, workspace, target);
    // Not a cluster object: the custom-resource rule says so on the document (rules/custom-resource.ts).
    if (!without || without.notApplied) continue;
    // A name the template renders (`{{ .Release.Name }}-w`) is not shown masked.
    const name = doc.name && !doc.name.includes(TEMPLATE_PLACEHOLDER) ? doc.name : undefined;
    reasons.push(
      `${doc.kind} ${name ? `"${name}" ` : ''}(${doc.apiVersion}, document ${doc.index + 1}) was not validated: kdry found no CustomResourceDefinition for it (in the files checked, --crds or the config's crds:) and bundles no schema of it. Name its CRD with --crds.`,
    );
  }
  return reasons;
}

/** What a custom kind with no schema is when no API server receives it (k8s/tool-configs.ts); undefined for any other document. */
export function notAppliedCustomObject(doc: ManifestDocument, workspace: WorkspaceIndex, target: KubernetesTarget): string | undefined {
  return customKindWithoutSchema(doc, workspace, target)?.notApplied;
}

/** A document of a kind neither built in, component configuration nor served by a CRD kdry has. */
function customKindWithoutSchema(doc: ManifestDocument, workspace: WorkspaceIndex, target: KubernetesTarget): { notApplied?: string } | undefined {
  if (!isRecord(doc.value) || !doc.apiVersion || !doc.kind) return undefined;
  const gv = splitApiVersion(doc.apiVersion);
  if (!gv || isComponentConfigGroup(gv.group)) return undefined;
  // A built-in kind, or a kind of a built-in group (a typo there is unknown-kind's to report).
  if (apiAvailability(doc.apiVersion, doc.kind, target) !== undefined || builtInGroup(gv.group, target)) return undefined;
  if (resolveCustomResource(workspace, doc.apiVersion, doc.kind)) return undefined;
  return { notApplied: notAppliedObject(gv.group, doc.kind, doc.value) };
}

function builtInGroup(group: string, target: KubernetesTarget): boolean {
  for (const served of target.catalog.release.kinds.values()) {
    const slash = served.apiVersion.indexOf('/');
    if ((slash < 0 ? '' : served.apiVersion.slice(0, slash)) === group) return true;
  }
  return false;
}
