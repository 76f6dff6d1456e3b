// The places of the kustomizations building an object that name it by its name, outside the
// object fields the reference model reads (references.ts): kustomize matches them by name, so a
// rename of the object must change them or the overlays stop building.
// - `replicas[].name` (plugin/builtin/replicacounttransformer ReplicaCountTransformer.go
//   createMatcher: `r.Name == p.Replica.Name`, any id the object has had);
// - a patch's `target.name` and `patchesJson6902[].target.name` (api/types/selector.go: an
//   anchored regular expression; only a name written literally is one kdry can rename);
// - a strategic merge patch file without a `target`, by its `metadata.name` (PatchTransformer.go:
//   the patch's own id; "no resource matches strategic merge patch" once it names nothing);
// - `replacements[].source.name`, `targets[].select.name`, `targets[].reject[].name`
//   (api/filters/replacement/replacement.go, selected like a patch target);
// - `vars[].objref.name` (api/types/var.go Var.ObjRef).
// `images:` names images, not objects, and is left alone. A name is matched in each form the
// object has had by then in the build (as written, then with each prefix and suffix).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isRecord, valueRange, type ManifestDocument, type ObjectPath, type Offsets } from '../manifest';
import { valueAt } from '../manifest/pod-template';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { buildChain, renaming, SCALED_KINDS } from './kustomize-build';
import { configuredFieldSpecs } from './kustomize-configurations';
import { selectedBy, selectorOf } from './kustomize-patches';
import { unitIndex } from './scope';
import type { Unit } from './units';

export interface KustomizeNameReference {
  uri: string;
  range: Offsets;
  /** The text a rename to `name` writes there (the form of the name written there: with the prefixes and suffixes of the kustomizations before it). */
  renamed: (name: string) => string;
}

/** Every place of a kustomization building `target` (or of a patch file it lists) that names it, in kustomization order. */
export function kustomizeReferencesTo(workspace: WorkspaceIndex, target: IndexedDocument): KustomizeNameReference[] {
  const { kind, name } = target.doc;
  if (!kind || !name) return [];
  const found = new Map<string, KustomizeNameReference>();
  const add = (uri: string, range: Offsets | undefined, renamed: (n: string) => string) => {
    if (range) found.set(`${uri}#${range[0]}`, { uri, range, renamed });
  };
  const tops = unitIndex(workspace).fileOf(target.uri).units.filter((u) => u.kind === 'kustomization');
  for (const top of tops) {
    const chain = buildChain(workspace, target.uri, top);
    // forms[k]: the name after the first k kustomizations of the chain.
    const forms: ((n: string) => string)[] = [(n) => n];
    chain.forEach((unit, j) => {
      const r = renaming(unit, kind);
      const before = forms[j];
      forms.push(r ? (n) => `${r.prefix}${before(n)}${r.suffix}` : before);
      // A patch without target and `patches:` run before the unit's own prefix; replicas, JSON 6902 patches and replacements after it (kustomize-build.ts buildStep).
      namesIn(workspace, unit, target.doc, forms.slice(0, j + 1), forms.slice(0, j + 2), name, add);
    });
  }
  return [...found.values()];
}

type Add = (uri: string, range: Offsets | undefined, renamed: (n: string) => string) => void;

/** The places of one kustomization naming the object, `early` the forms its patches see, `late` those its later transforms see. */
function namesIn(workspace: WorkspaceIndex, unit: Unit, object: ManifestDocument, early: ((n: string) => string)[], late: ((n: string) => string)[], name: string, add: Add): void {
  const config = unit.config;
  const own = workspace.get(unit.uri)?.documents[0];
  if (!config || !own) return;
  const kind = object.kind!;
  const formOf = (forms: ((n: string) => string)[], written: unknown) => (typeof written === 'string' ? forms.find((f) => f(name) === written) : undefined);
  const at = (path: ObjectPath, forms: ((n: string) => string)[]) => {
    const form = formOf(forms, valueAt(config, path));
    if (form) add(unit.uri, valueRange(own, path), form);
  };
  // A target or select written with the literal name and selecting the object's kind and group.
  const selector = (path: ObjectPath, forms: ((n: string) => string)[]) => {
    const s = selectorOf(valueAt(config, path));
    const form = s && formOf(forms, s.name);
    if (!s || !form) return;
    const probe = { value: { apiVersion: object.apiVersion, kind, metadata: { name: form(name) } }, ids: [] };
    if (selectedBy(probe, { group: s.group, version: s.version, kind: s.kind, name: s.name })) add(unit.uri, valueRange(own, [...path, 'name']), form);
  };
  const scaled = SCALED_KINDS.includes(kind) || configuredFieldSpecs(workspace, unit).replicas.some((f) => f.kind === kind);
  if (scaled) list(config.replicas).forEach((_, i) => at(['replicas', i, 'name'], late));
  list(config.patches).forEach((entry, i) => {
    if (!isRecord(entry)) return;
    if (isRecord(entry.target)) selector(['patches', i, 'target'], early);
    else if (typeof entry.path === 'string') patchFileNames(workspace, unit, entry.path, object, early, name, add);
  });
  list(config.patchesStrategicMerge).forEach((entry) => {
    if (typeof entry === 'string' && !entry.includes('\n')) patchFileNames(workspace, unit, entry, object, early, name, add);
  });
  list(config.patchesJson6902).forEach((_, i) => selector(['patchesJson6902', i, 'target'], late));
  list(config.replacements).forEach((entry, i) => {
    if (!isRecord(entry)) return;
    selector(['replacements', i, 'source'], late);
    list(entry.targets).forEach((t, j) => {
      if (!isRecord(t)) return;
      selector(['replacements', i, 'targets', j, 'select'], late);
      list(t.reject).forEach((_, k) => selector(['replacements', i, 'targets', j, 'reject', k], late));
    });
  });
  list(config.vars).forEach((v, i) => {
    const ref = isRecord(v) && isRecord(v.objref) ? v.objref : undefined;
    if (ref?.kind === kind) at(['vars', i, 'objref', 'name'], late);
  });
}

/** A strategic merge patch file's documents that patch the object by its own id (apiVersion, kind, name). */
function patchFileNames(workspace: WorkspaceIndex, unit: Unit, path: string, object: ManifestDocument, forms: ((n: string) => string)[], name: string, add: Add): void {
  const uri = pathToFileURL(resolve(unit.dir, path.trim())).href;
  for (const doc of workspace.get(uri)?.documents ?? []) {
    if (doc.kind !== object.kind || doc.apiVersion !== object.apiVersion) continue;
    const form = forms.find((f) => f(name) === doc.name);
    if (form) add(uri, valueRange(doc, ['metadata', 'name']), form);
  }
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
