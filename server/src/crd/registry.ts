// Which schema judges a custom resource: a CustomResourceDefinition in the workspace (always
// first), else kdry's bundled snapshot. CRD documents are read once per change of their text,
// and the table of served kinds is rebuilt only when the set of CRD documents changes.
import { basename, dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { valueRange, type ManifestDocument } from '../manifest';
import { uriToPath, type WorkspaceIndex } from '../workspace';
import { bundledKind } from './bundled-catalog';
import { generatedDefinitions, isXrd, XRD_KIND } from './xrd';
import { CRD_API_VERSION, CRD_KIND, readDefinition, splitApiVersion, type CrdDefinition, type CrdVersion } from './definition';
import type { StructuralSchema } from '../k8s/structural-schema';

/** `xrd`: the CRD Crossplane generates in the cluster from a CompositeResourceDefinition of the workspace (xrd.ts). */
export type SchemaSource = { kind: 'workspace'; uri: string; label: string } | { kind: 'xrd'; uri: string; label: string } | { kind: 'bundled'; project: string };

export type Resolution =
  | { kind: 'schema'; schema: StructuralSchema; version: CrdVersion; crdKind: string; source: SchemaSource }
  /** The group and kind are known, the version is not served: kubectl finds no match. */
  | { kind: 'not-served'; served: string[]; crdKind: string; source: SchemaSource };

interface Definitions {
  revision: number;
  documents: ManifestDocument[];
  byKind: Map<string, { definition: CrdDefinition; source: SchemaSource }>;
  /** CRD documents of a kind another workspace CRD also defines, with what kdry says about each. */
  /** By `uri#index` of the document. */
  duplicates: Map<string, DuplicateDefinition>;
}

/** A workspace CRD for a group and kind another workspace CRD defines too (trial T21). */
export interface DuplicateDefinition {
  kind: string;
  group: string;
  /** Whether kdry judges the kind's resources by this document. */
  used: boolean;
  /** The other documents' files, in the order `kubectl apply -f . -R` applies them. */
  others: string[];
  /** Where the one kdry uses is, when it is not this one. */
  usedLabel?: string;
  /**
   * Why kdry uses another one: this CRD is replaced by a later apply of the same name, or the kind
   * is held by a CRD of another name applied before it. For the one used: whether others of its
   * name were replaced by it (`replaced`), else it holds the kind against others (`kind-conflict`).
   */
  reason: 'replaced' | 'kind-conflict';
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

const generatedBySource = new Map<string, CrdDefinition[]>();

/** The CRDs Crossplane generates from an XRD document, once per text of it. */
function generatedOf(doc: ManifestDocument): CrdDefinition[] {
  let hit = generatedBySource.get(doc.source);
  if (!hit) {
    hit = generatedDefinitions(doc.apiVersion!, doc.value);
    if (generatedBySource.size >= MAX_DEFINITIONS) generatedBySource.clear();
    generatedBySource.set(doc.source, hit);
  }
  return hit;
}

function workspaceDefinitions(workspace: WorkspaceIndex): Definitions {
  // Every document of a file is checked against the same workspace: scan it once per change.
  const known = registries.get(workspace);
  if (known?.revision === workspace.revision) return known;
  const documents: ManifestDocument[] = [];
  const uris: string[] = [];
  const plain = [...workspace.documents(CRD_KIND)].filter(({ doc }) => doc.apiVersion === CRD_API_VERSION);
  for (const { uri, doc } of plain.sort(applyOrder)) {
    documents.push(doc);
    uris.push(uri);
  }
  const plainCount = documents.length;
  // After the plain ones, which win: CRDs a chart installs from its templates (`{{ if .Values.installCRDs }}`).
  const templateXrds: { uri: string; doc: ManifestDocument }[] = [];
  for (const { uri, doc } of workspace.templates()) {
    const literal = literalDefinition(doc);
    if (!literal) continue;
    if (literal.kind === XRD_KIND) templateXrds.push({ uri, doc: literal });
    else {
      documents.push(literal);
      uris.push(uri);
    }
  }
  // Last, the CRDs Crossplane generates from the workspace's XRDs (plain ones, then those of chart
  // templates, which they win over as plain CRDs do): a CRD file of the kind wins.
  const xrds: number[] = [];
  const plainXrdDocuments = [...workspace.documents(XRD_KIND)].filter(({ doc }) => isXrd(doc.apiVersion, doc.kind));
  for (const { uri, doc } of [...plainXrdDocuments, ...templateXrds]) {
    xrds.push(documents.length);
    documents.push(doc);
    uris.push(uri);
  }
  const templatedFrom = documents.length - templateXrds.length;
  if (known && known.documents.length === documents.length && known.documents.every((d, i) => d === documents[i])) {
    known.revision = workspace.revision;
    return known;
  }
  const byKind = new Map<string, { definition: CrdDefinition; source: SchemaSource }>();
  const plainByKind = new Map<string, number[]>();
  const ambiguousXrds = new Set<string>();
  // The kinds a plain XRD generates: a chart template's XRD of one of them does not count.
  const plainXrds = new Set<string>();
  documents.forEach((doc, i) => {
    if (xrds.includes(i)) {
      for (const definition of generatedOf(doc)) {
        const key = `${definition.group}/${definition.kind}`;
        if (i < templatedFrom) plainXrds.add(key);
        else if (plainXrds.has(key)) continue;
        const held = byKind.get(key);
        if (!held && !plainByKind.has(key) && !ambiguousXrds.has(key)) byKind.set(key, { definition, source: { kind: 'xrd', uri: uris[i], label: shortName(uris[i]) } });
        // XRDs of one kind that generate different CRDs (a test suite's setups, applied one at a time): kdry cannot tell which one is installed, and judges by none.
        else if (held?.source.kind === 'xrd' && !isDeepStrictEqual(held.definition, definition)) {
          byKind.delete(key);
          ambiguousXrds.add(key);
        }
      }
      return;
    }
    const definition = definitionOf(doc);
    if (!definition) return;
    const key = `${definition.group}/${definition.kind}`;
    if (i < plainCount) plainByKind.set(key, [...(plainByKind.get(key) ?? []), i]);
    else if (!byKind.has(key)) byKind.set(key, { definition, source: { kind: 'workspace', uri: uris[i], label: shortName(uris[i]) } });
  });
  const duplicates = new Map<string, DuplicateDefinition>();
  for (const [key, indexes] of plainByKind) {
    const used = indexes[servedDefinition(indexes.map((i) => documents[i]))];
    byKind.set(key, { definition: definitionOf(documents[used])!, source: { kind: 'workspace', uri: uris[used], label: shortName(uris[used]) } });
    const differing = indexes.filter((i) => i === used || !sameSpec(documents[i], documents[used]));
    if (differing.length < 2) continue;
    const usedName = documents[used].name;
    for (const i of differing) {
      const { group, kind } = definitionOf(documents[i])!;
      duplicates.set(`${uris[i]}#${documents[i].index}`, {
        group,
        kind,
        used: i === used,
        others: differing.filter((j) => j !== i).map((j) => shortName(uris[j])),
        ...(i === used ? {} : { usedLabel: shortName(uris[used]) }),
        reason: (i === used ? differing.some((j) => j !== used && documents[j].name === usedName) : documents[i].name === usedName) ? 'replaced' : 'kind-conflict',
      });
    }
  }
  const fresh = { revision: workspace.revision, documents, byKind, duplicates };
  registries.set(workspace, fresh);
  return fresh;
}

/**
 * The order `kubectl apply -f <folder> -R` applies files in: the folder walked in lexical order
 * (kubectl's visitor walks with filepath.Walk, which reads each folder sorted by name), then the
 * documents of a file in order.
 */
function applyOrder(a: { uri: string; doc: ManifestDocument }, b: { uri: string; doc: ManifestDocument }): number {
  if (a.uri !== b.uri) {
    const x = (uriToPath(a.uri) ?? a.uri).split('/');
    const y = (uriToPath(b.uri) ?? b.uri).split('/');
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return x.length - y.length;
  }
  return a.doc.index - b.doc.index;
}

/**
 * Which of several CRDs for one group and kind (in apply order) the cluster serves after they are
 * all applied: the first one's name holds the kind (the naming controller refuses the kind to a
 * CRD of another name: apiextensions-apiserver controller/status/naming_controller.go
 * calculateNamesAndConditions, equalToAcceptedOrFresh: KindConflict "\"Widget\" is already in
 * use"), and of the documents with that name the last applied replaces the others' spec.
 */
function servedDefinition(docs: ManifestDocument[]): number {
  const name = docs[0].name;
  let last = 0;
  docs.forEach((d, i) => {
    if (d.name === name) last = i;
  });
  return last;
}

/** Two CRD documents that install the same thing: their specs are equal. */
function sameSpec(a: ManifestDocument, b: ManifestDocument): boolean {
  return a.name === b.name && isDeepStrictEqual((a.value as { spec?: unknown }).spec, (b.value as { spec?: unknown }).spec);
}

/** What kdry says about a workspace CRD whose group and kind another one defines too; undefined for the others. */
export function duplicateDefinition(workspace: WorkspaceIndex, uri: string, doc: ManifestDocument): DuplicateDefinition | undefined {
  return workspaceDefinitions(workspace).duplicates.get(`${uri}#${doc.index}`);
}

/**
 * A templated document's masked view when it is a CRD or a Crossplane XRD whose `spec` the template
 * writes literally (no action inside it): what it installs does not depend on the values, whatever encloses it.
 */
function literalDefinition(doc: ManifestDocument): ManifestDocument | undefined {
  const view = doc.template;
  const masked = view?.document;
  if (!masked || !((masked.kind === CRD_KIND && masked.apiVersion === CRD_API_VERSION) || isXrd(masked.apiVersion, masked.kind))) return undefined;
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
  if (source.kind === 'xrd') return `schema from the XRD in \`${source.label}\`, as Crossplane generates the CRD from it`;
  return source.kind === 'workspace' ? `schema from the CRD in \`${source.label}\`` : `from kdry's bundled ${source.project} schema`;
}
