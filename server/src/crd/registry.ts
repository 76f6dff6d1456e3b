// Which schema judges a custom resource: a CustomResourceDefinition in the workspace (always
// first), else kdry's bundled snapshot. CRD documents are read once per change of their text,
// and the table of served kinds is rebuilt only when the set of CRD documents changes.
import { basename, dirname } from 'node:path';
import { valueRange, type ManifestDocument } from '../manifest';
import { uriToPath, type WorkspaceIndex } from '../workspace';
import { bundledKind } from './bundled-catalog';
import { CRD_API_VERSION, CRD_KIND, readDefinition, splitApiVersion, type CrdDefinition, type CrdVersion } from './definition';
import type { StructuralSchema } from '../k8s/structural-schema';

export type SchemaSource = { kind: 'workspace'; uri: string; label: string } | { kind: 'bundled'; project: string };

export type Resolution =
  | { kind: 'schema'; schema: StructuralSchema; version: CrdVersion; crdKind: string; source: SchemaSource }
  /** The group and kind are known, the version is not served: kubectl finds no match. */
  | { kind: 'not-served'; served: string[]; crdKind: string; source: SchemaSource };

interface Definitions {
  revision: number;
  documents: ManifestDocument[];
  byKind: Map<string, { definition: CrdDefinition; source: SchemaSource }>;
}

const definitionsBySource = new Map<string, CrdDefinition | null>();
const MAX_DEFINITIONS = 2000;
const registries = new WeakMap<WorkspaceIndex, Definitions>();

/** How kdry names a file in messages: its folder and name (`crds/rollouts.yaml`). */
export function shortName(uri: string): string {
  const path = uriToPath(uri) ?? uri;
  return `${basename(dirname(path))}/${basename(path)}`;
}

function definitionOf(doc: ManifestDocument): CrdDefinition | null {
  let hit = definitionsBySource.get(doc.source);
  if (hit === undefined) {
    hit = readDefinition(doc.value) ?? null;
    if (definitionsBySource.size >= MAX_DEFINITIONS) definitionsBySource.clear();
    definitionsBySource.set(doc.source, hit);
  }
  return hit;
}

function workspaceDefinitions(workspace: WorkspaceIndex): Definitions {
  // Every document of a file is checked against the same workspace: scan it once per change.
  const known = registries.get(workspace);
  if (known?.revision === workspace.revision) return known;
  const documents: ManifestDocument[] = [];
  const uris: string[] = [];
  for (const { uri, doc } of workspace.documents(CRD_KIND)) {
    if (doc.apiVersion !== CRD_API_VERSION) continue;
    documents.push(doc);
    uris.push(uri);
  }
  // After the plain ones, which win: CRDs a chart installs from its templates (`{{ if .Values.installCRDs }}`).
  for (const { uri, doc } of workspace.templates()) {
    const literal = literalDefinition(doc);
    if (!literal) continue;
    documents.push(literal);
    uris.push(uri);
  }
  if (known && known.documents.length === documents.length && known.documents.every((d, i) => d === documents[i])) {
    known.revision = workspace.revision;
    return known;
  }
  const byKind = new Map<string, { definition: CrdDefinition; source: SchemaSource }>();
  documents.forEach((doc, i) => {
    const definition = definitionOf(doc);
    const key = definition && `${definition.group}/${definition.kind}`;
    if (definition && key && !byKind.has(key)) byKind.set(key, { definition, source: { kind: 'workspace', uri: uris[i], label: shortName(uris[i]) } });
  });
  const fresh = { revision: workspace.revision, documents, byKind };
  registries.set(workspace, fresh);
  return fresh;
}

/**
 * A templated document's masked view when it is a CRD whose `spec` the template writes literally
 * (no action inside it): what it installs does not depend on the values, whatever encloses it.
 */
function literalDefinition(doc: ManifestDocument): ManifestDocument | undefined {
  const view = doc.template;
  const masked = view?.document;
  if (!masked || masked.kind !== CRD_KIND || masked.apiVersion !== CRD_API_VERSION) return undefined;
  const spec = valueRange(masked, ['spec']);
  if (!spec) return undefined;
  // The block's range runs over the blank lines after it, where a masked `{{- end }}` may be.
  let specEnd = spec[1];
  while (specEnd > spec[0] && /\s/.test(masked.source[specEnd - 1 - masked.offset] ?? '')) specEnd--;
  return view.actions.some(([start, end]) => start < specEnd && end > spec[0]) ? undefined : masked;
}

/** The schema that judges a document of `apiVersion`/`kind`, or undefined when kdry has none. */
export function resolveCustomResource(workspace: WorkspaceIndex, apiVersion: string | undefined, kind: string | undefined): Resolution | undefined {
  const gv = apiVersion ? splitApiVersion(apiVersion) : undefined;
  if (!gv || !kind) return undefined;
  const local = workspaceDefinitions(workspace).byKind.get(`${gv.group}/${kind}`);
  if (local) {
    const version = local.definition.versions.find((v) => v.name === gv.version && v.served);
    if (!version) return { kind: 'not-served', served: local.definition.versions.filter((v) => v.served).map((v) => v.name), crdKind: kind, source: local.source };
    if (!version.schema) return undefined;
    return { kind: 'schema', schema: version.schema, version, crdKind: kind, source: local.source };
  }
  const bundled = bundledKind(gv.group, kind);
  if (!bundled) return undefined;
  const source: SchemaSource = { kind: 'bundled', project: bundled.project };
  if (!bundled.versions.includes(gv.version)) return { kind: 'not-served', served: bundled.versions, crdKind: kind, source };
  const schema = bundled.schema(gv.version);
  return schema ? { kind: 'schema', schema, version: { name: gv.version, served: true, deprecated: false }, crdKind: kind, source } : undefined;
}

/** `Namespaced` or `Cluster`: the spec.scope of the workspace CRD that defines the kind, undefined when none does. */
export function customKindScope(workspace: WorkspaceIndex, apiVersion: string, kind: string): string | undefined {
  const gv = splitApiVersion(apiVersion);
  return gv && workspaceDefinitions(workspace).byKind.get(`${gv.group}/${kind}`)?.definition.scope;
}

/** spec.names.plural of the workspace CRD that defines the kind: the resource admission rules name. */
export function customKindPlural(workspace: WorkspaceIndex, apiVersion: string, kind: string): string | undefined {
  const gv = splitApiVersion(apiVersion);
  return gv && workspaceDefinitions(workspace).byKind.get(`${gv.group}/${kind}`)?.definition.plural;
}

/** How the workspace CRD that defines the kind converts between versions, and the versions it serves; undefined when none does. */
export function customKindConversion(workspace: WorkspaceIndex, apiVersion: string, kind: string): { strategy: string; served: string[] } | undefined {
  const gv = splitApiVersion(apiVersion);
  const definition = gv && workspaceDefinitions(workspace).byKind.get(`${gv.group}/${kind}`)?.definition;
  return definition && { strategy: definition.conversion, served: definition.versions.filter((v) => v.served).map((v) => v.name) };
}

/** "schema from the CRD in `crds/rollouts.yaml`" or "from kdry's bundled Argo Rollouts schema". */
export function describeSource(source: SchemaSource): string {
  return source.kind === 'workspace' ? `schema from the CRD in \`${source.label}\`` : `from kdry's bundled ${source.project} schema`;
}
