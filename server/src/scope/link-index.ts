// What could link to an object, indexed so find references, rename and CodeLens read a few
// candidates instead of every document: the references of every file by the `kind/name` they name,
// and the selectors of Services, PodDisruptionBudgets and NetworkPolicies by one `key=value` pair
// they require. Kept per workspace revision; an edit replaces only the edited files' entries (files
// join or leave, and patches change, only with a structure change, which rebuilds it), as the pod
// template index of workspace-lookup.ts does. The candidates are then judged as before (resolved in
// the scope model, or matched against the labels): the index only skips what cannot match.
import { isRecord, type ManifestFile, type ObjectPath } from '../manifest';
import { valueAt } from '../manifest/pod-template';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { referencesOf, type ObjectReference } from './references';
import { TEMPLATE_PLACEHOLDER } from '../manifest/template-mask';

export interface Referrer {
  entry: IndexedDocument;
  ref: ObjectReference;
}

/** The kinds whose selector selects pod templates, in the order find references lists them, and where the selector is. */
export const SELECTOR_PATHS: readonly (readonly [string, ObjectPath])[] = [
  ['Service', ['spec', 'selector']],
  ['PodDisruptionBudget', ['spec', 'selector']],
  ['NetworkPolicy', ['spec', 'podSelector']],
];
const SELECTOR_KINDS = new Map(SELECTOR_PATHS);

/** Matches every pod template it could select (a selector with no `matchLabels` pair: only expressions, or `{}`). */
const ANY_LABEL = '';

/**
 * Entries of every file by key, kept per workspace revision: a file's entries are made once per
 * parsed file (a file object is replaced when its text changes, so it is the cache key), and an
 * edit replaces only the edited files' entries.
 */
class PerFileIndex<V> {
  private readonly byFile = new WeakMap<ManifestFile, Map<string, V[]>>();
  private readonly indexes = new WeakMap<WorkspaceIndex, { structure: number; revision: number; files: Map<string, ManifestFile>; order: Map<string, number>; byKey: Map<string, Map<string, V[]>> }>();

  constructor(private readonly entriesOf: (uri: string, file: ManifestFile) => Map<string, V[]>) {}

  /** The entries under `key`, with the uri of their file's position in the workspace (for file order). */
  get(workspace: WorkspaceIndex, key: string): { lists: Iterable<[string, V[]]>; order: Map<string, number> } {
    const index = this.indexOf(workspace);
    return { lists: index.byKey.get(key)?.entries() ?? [], order: index.order };
  }

  private entries(uri: string, file: ManifestFile): Map<string, V[]> {
    let entries = this.byFile.get(file);
    if (!entries) this.byFile.set(file, (entries = this.entriesOf(uri, file)));
    return entries;
  }

  private indexOf(workspace: WorkspaceIndex) {
    let index = this.indexes.get(workspace);
    if (index && index.revision === workspace.revision) return index;
    if (!index || index.structure !== workspace.structureVersion) {
      index = { structure: workspace.structureVersion, revision: workspace.revision, files: new Map(), order: new Map(), byKey: new Map() };
      this.indexes.set(workspace, index);
      for (const uri of workspace.uris()) {
        index.order.set(uri, index.order.size);
        const file = workspace.get(uri);
        if (file && !workspace.isPatch(uri)) this.add(index.byKey, index.files, uri, file);
      }
      return index;
    }
    for (const uri of workspace.uris()) {
      const file = workspace.get(uri);
      const had = index.files.get(uri);
      if (file === had || !file || !had) continue;
      for (const key of this.entries(uri, had).keys()) index.byKey.get(key)?.delete(uri);
      this.add(index.byKey, index.files, uri, file);
    }
    index.revision = workspace.revision;
    return index;
  }

  private add(byKey: Map<string, Map<string, V[]>>, files: Map<string, ManifestFile>, uri: string, file: ManifestFile): void {
    files.set(uri, file);
    for (const [key, list] of this.entries(uri, file)) {
      let inner = byKey.get(key);
      if (!inner) byKey.set(key, (inner = new Map()));
      inner.set(uri, list);
    }
  }
}

function append<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function objectsOf(uri: string, file: ManifestFile): IndexedDocument[] {
  return file.documents.filter((doc) => !doc.templated && doc.value !== undefined).map((doc) => ({ uri, file, doc }));
}

/**
 * References by the `kind/name` they name. A Go/Helm template's are read in its masked view (same
 * offsets) and only where the name is written literally: that name is static, F12 follows it
 * (links.ts templateDefinitionsAt), so find references lists it and a rename may edit it; a name
 * made by template actions is known only once the chart renders and is never a candidate.
 */
const referenceIndex = new PerFileIndex<Referrer>((uri, file) => {
  const byTarget = new Map<string, Referrer[]>();
  for (const entry of objectsOf(uri, file)) for (const ref of referencesOf(entry.doc)) append(byTarget, `${ref.kind}/${ref.name}`, { entry, ref });
  for (const written of file.documents) {
    const view = written.templated ? written.template?.document : undefined;
    if (!view || view.value === undefined) continue;
    const entry = { uri, file, doc: view };
    for (const ref of referencesOf(view)) if (!ref.name.includes(TEMPLATE_PLACEHOLDER)) append(byTarget, `${ref.kind}/${ref.name}`, { entry, ref });
  }
  return byTarget;
});

/** Services, budgets and policies by the pair selectorPair gives. */
const selectorIndex = new PerFileIndex<IndexedDocument>((uri, file) => {
  const byPair = new Map<string, IndexedDocument[]>();
  for (const entry of objectsOf(uri, file)) {
    const path = entry.doc.kind === undefined ? undefined : SELECTOR_KINDS.get(entry.doc.kind);
    const pair = path && selectorPair(entry.doc.kind!, valueAt(entry.doc.value, path));
    if (pair !== undefined) append(byPair, pair, entry);
  }
  return byPair;
});

/**
 * A `key=value` pair every pod template the selector selects carries; ANY_LABEL when it requires
 * none; undefined when it selects nothing (a Service without a selector).
 */
function selectorPair(kind: string, selector: unknown): string | undefined {
  if (!isRecord(selector)) return undefined;
  const labels = kind === 'Service' ? selector : selector.matchLabels;
  const first = isRecord(labels) ? Object.entries(labels)[0] : undefined;
  if (first) return `${first[0]}=${String(first[1])}`;
  return kind === 'Service' ? undefined : ANY_LABEL;
}

/** Every reference in the workspace written to `kind/name` (not yet resolved: another object of that name may be nearer to it), in file then document order. */
export function referencesNaming(workspace: WorkspaceIndex, kind: string, name: string): Referrer[] {
  const { lists, order } = referenceIndex.get(workspace, `${kind}/${name}`);
  return [...lists].sort(([a], [b]) => order.get(a)! - order.get(b)!).flatMap(([, list]) => list);
}

/**
 * The Services, disruption budgets and network policies that could select pod templates with
 * `labels` (each requires a pair of them, or none): Services first, then budgets, then policies,
 * each in file then document order.
 */
export function selectorsFor(workspace: WorkspaceIndex, labels: Record<string, string>): IndexedDocument[] {
  const found: IndexedDocument[] = [];
  let order = new Map<string, number>();
  for (const key of [ANY_LABEL, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]) {
    const at = selectorIndex.get(workspace, key);
    order = at.order;
    for (const [, list] of at.lists) found.push(...list);
  }
  const kindOrder = (e: IndexedDocument) => SELECTOR_PATHS.findIndex(([kind]) => kind === e.doc.kind);
  return found.sort((a, b) => kindOrder(a) - kindOrder(b) || order.get(a.uri)! - order.get(b.uri)! || a.doc.index - b.doc.index);
}
