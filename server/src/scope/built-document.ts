// A document as the kustomization that builds it sends it to the API server (docs/scope.md): what a
// check of the applied object (an admission policy's match and expressions, the pods a workload
// creates) must judge. A base file is applied only through the overlays that build it, each its
// own way (`kustomize build overlays/prod` patches, names and places it differently from
// `overlays/staging`), so such checks judge it once per build (buildsOf).
import { isRecord, type ManifestDocument } from '../manifest';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { builtObject, objectsOfBuild } from './kustomize-build';
import { placementOf, unitIndex } from './scope';
import { topKustomizations, type Unit } from './units';
import { isComponent, unitLabel } from './dry-run-builds';

/** At most this many builds of one file are judged (as many as the Dry-run offers lenses for). */
const MAX_BUILDS = 8;

/**
 * `doc` with the value `kustomize build` gives it (namespace:, namePrefix/nameSuffix,
 * commonLabels/labels, patches, images...) and its apiVersion, kind, name and namespace read from
 * that value; `doc` itself when no kustomization changes it. The view keeps `doc`'s text and tree,
 * so ranges still point into the file. `root`: the build of that kustomization (default: the one
 * that lists the file directly).
 */
export function builtDocument(workspace: WorkspaceIndex, uri: string, doc: ManifestDocument, root?: Unit): ManifestDocument {
  const value = builtObject(workspace, uri, doc.value, root);
  if (value === doc.value || !isRecord(value)) return doc;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return Object.create(doc, {
    value: { value },
    apiVersion: { value: text(value.apiVersion) },
    kind: { value: text(value.kind) },
    name: { value: text(metadata.name) },
    namespace: { value: text(metadata.namespace) },
  }) as ManifestDocument;
}

/**
 * The namespace the object lives in: in a kustomization's build, the one the build gives it (the
 * object as built: its `namespace:` or `metadata.namespace`); else the scope model's
 * (scope.ts placementOf). Undefined when nothing sets it (`kubectl apply -n` decides).
 */
export function namespaceInBuild(workspace: WorkspaceIndex, from: { uri: string; doc: ManifestDocument }, build?: Pick<Build, 'root' | 'doc'>): string | undefined {
  return build?.root ? build.doc.namespace : placementOf(workspace, from.uri, from.doc).namespace;
}

/** One way the file's object reaches the API server. */
export interface Build {
  /** The kustomization at the top of the build; undefined when no kustomization builds the file. */
  root?: Unit;
  /** The object as that build makes it (builtDocument). */
  doc: ManifestDocument;
  /** How a finding names the build: the root's folder relative to the file's (`overlays/prod`). */
  label?: string;
  /** The build is the one of the kustomization that lists the file directly (`kustomize build` of its own folder). */
  own: boolean;
}

const buildsMemo = new WeakMap<ManifestDocument, { workspace: WorkspaceIndex; revision: number; builds: Build[] }>();

/**
 * The builds that apply the document: one per kustomization at the top of a build of its file (an
 * overlay, built by no other kustomization that builds the file; components are never built alone:
 * kustomize applies them inside the kustomization that names them, kusttarget.go
 * accumulateComponents), each with the object as it builds it; the document as written when no
 * kustomization builds it. Once per workspace revision.
 */
export function buildsOf(workspace: WorkspaceIndex, uri: string, doc: ManifestDocument): Build[] {
  const memo = buildsMemo.get(doc);
  if (memo && memo.workspace === workspace && memo.revision === workspace.revision) return memo.builds;
  const units = unitIndex(workspace).fileOf(uri).units.filter((u) => u.kind === 'kustomization');
  const own = units[0];
  let builds: Build[];
  if (!own) builds = [{ doc, own: true }];
  else {
    // A kustomization built by one it builds too (a loop kustomize refuses) still counts as a top.
    const tops = topKustomizations(units, { loops: true }).filter((u) => !isComponent(u));
    const roots = tops.length ? tops.slice(0, MAX_BUILDS) : [own];
    builds = roots.map((root) => ({ root, doc: builtDocument(workspace, uri, doc, root), label: unitLabel(root, uri), own: root === own }));
  }
  buildsMemo.set(doc, { workspace, revision: workspace.revision, builds });
  return builds;
}

const builtOfKind = new WeakMap<Unit, { workspace: WorkspaceIndex; revision: number; byKind: Map<string, IndexedDocument[]> }>();

/**
 * The objects of `kind` that `root`'s build applies, each as that build makes it: what `kubectl
 * apply -k` of the root creates, the overlay's own Namespace, ServiceAccounts and LimitRanges that
 * the documents of that build meet in the cluster. Once per kind and workspace revision.
 */
export function builtObjectsOf(workspace: WorkspaceIndex, root: Unit, kind: string): IndexedDocument[] {
  let memo = builtOfKind.get(root);
  if (!memo || memo.workspace !== workspace || memo.revision !== workspace.revision) builtOfKind.set(root, (memo = { workspace, revision: workspace.revision, byKind: new Map() }));
  let list = memo.byKind.get(kind);
  if (!list) {
    list = objectsOfBuild(workspace, root)
      .files.filter((e) => e.doc.kind === kind)
      .map((e) => ({ ...e, doc: buildsOf(workspace, e.uri, e.doc).find((b) => b.root === root)?.doc ?? builtDocument(workspace, e.uri, e.doc, root) }));
    memo.byKind.set(kind, list);
  }
  return list;
}
