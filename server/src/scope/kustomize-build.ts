// What `kustomize build` does to an object, for the Dry-run and the checks. An object is built by
// the chain of kustomizations from the one that lists its file directly up to the root of the
// build (by default that one: `kustomize build` of the folder that lists the file); an overlay's
// transforms apply after its base's, as kustomize's recursion does (api/internal/target/kusttarget.go
// accumulateTarget). Each kustomization applies, in upstream's order
// (kusttarget_configplugin.go configureBuiltinTransformers): `patchesStrategicMerge`, `patches`,
// `namespace`, `namePrefix`/`nameSuffix`, `commonLabels`/`labels`, `commonAnnotations`, `patchesJson6902`,
// `replicas:`, `images:`, `replacements:`. Then the references to objects of the build are rewritten to their
// built names (namereference.go, done once after the recursion: makeCustomizedResMap), a
// generated ConfigMap's or Secret's with its content hash (addHashesToNames), and `vars` are
// resolved (ResolveVars). The
// fields are upstream's (api/internal/konfig/builtinpluginconsts: namereference.go,
// commonlabels.go, metadatalabels.go, replicas.go; plugin/builtin/prefixtransformer skips
// CustomResourceDefinition, APIService and Namespace).
import { isRecord, type ManifestDocument, type ObjectPath } from '../manifest';
import { podTemplatePath, podsTemplatePath, valueAt } from '../manifest/pod-template';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { referencesOf, type ReferenceVia } from './references';
import { isClusterScoped, placementOf, unitIndex } from './scope';
import type { Unit, UnitIndex } from './units';
import type { LabelSet } from './kustomize-transforms';
import { currentId, patchStepsOf, tryPatch, type BuildingObject, type KustomizePatch, type PatchOutcome, type PatchSource, type PatchSteps } from './kustomize-patches';
import { applyImages, imageRulesOf } from './kustomize-images';
import { generate } from './kustomize-generators';
import { SourceMemo } from './kustomize-sources';
import { mergeGenerated } from './kustomize-generator-behavior';
import { kustomizeHash } from './kustomize-hash';
import { applyReplacements, replacementsOf, replacementValues, type Replacement, type ReplacementValues } from './kustomize-replacements';
import { substituteVars, varsOf, varValue, type VarValue } from './kustomize-vars';
import { configuredFieldSpecs, configuredFor, type FieldSpec } from './kustomize-configurations';

/** Kinds the prefix/suffix transformer leaves alone (PrefixTransformer.go prefixFieldSpecsToSkip). */
const NOT_RENAMED = new Set(['CustomResourceDefinition', 'APIService', 'Namespace']);
/** Kinds `replicas:` sets spec.replicas on (replicas.go), in upstream's order. */
export const SCALED_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];
const SCALED = new Set(SCALED_KINDS);
/**
 * References namereference.go rewrites to the renamed object (runtimeClassName, an HTTPRoute's
 * parentRefs and requestMirror backends are not among them).
 */
const RENAMED_REFERENCES = new Set<ReferenceVia>(['envFrom', 'env', 'volume', 'projected volume', 'imagePullSecrets', 'serviceAccountName', 'priorityClassName', 'persistentVolumeClaim', 'ingress backend', 'scaleTargetRef', 'serviceName', 'route backend']);

/**
 * The kustomizations that build the file at `uri`, innermost first, up to `root` (when `root`
 * builds it; else the kustomization that lists the file directly); [] when none builds it.
 */
export function buildChain(workspace: WorkspaceIndex, uri: string, root?: Unit): Unit[] {
  const index = unitIndex(workspace);
  const units = index.fileOf(uri).units.filter((u) => u.kind === 'kustomization');
  const top = root && units.includes(root) ? root : units[0];
  return top ? chainUpTo(index, units, top) : [];
}

/**
 * `units` (those that build an object) that `top` builds, innermost first, each after the
 * components that act on the object. A kustomization's components act, in order, on everything it
 * has built so far (its resources and what the components before them added), before its own
 * transforms (kusttarget.go accumulateTarget: accumulateComponents runs after
 * accumulateResources). An object `generatedBy` a kustomization is made after its components ran
 * (runGenerators comes after accumulateComponents), so they leave it alone; the components of the
 * kustomizations above act on it.
 */
function chainUpTo(index: UnitIndex, units: readonly Unit[], top: Unit, generatedBy?: Unit): Unit[] {
  const chain: Unit[] = [];
  for (const unit of innermostFirst(units.filter((u) => u === top || top.nested?.has(u.uri)))) {
    // A file that comes through one of them gets only those after it.
    const components = unit === generatedBy ? [] : (unit.components ?? []).map((c) => index.kustomization(c)).filter((c): c is Unit => c !== undefined);
    const through = components.findIndex((c) => chain.includes(c) || [...(c.nested ?? [])].some((n) => chain.some((u) => u.uri === n)));
    for (const c of components.slice(through + 1)) if (!chain.includes(c)) chain.push(c);
    if (!chain.includes(unit)) chain.push(unit);
  }
  return chain;
}

/**
 * An object of the file at `uri` as the kustomizations up to `root` build it (a file `root` does
 * not build: as its own kustomization does): a copy with the transforms applied, or `value` itself
 * when the file is in no kustomization that changes it.
 */
export function builtObject(workspace: WorkspaceIndex, uri: string, value: unknown, root?: Unit): unknown {
  return builtOrDeleted(workspace, uri, value, root).value;
}

/**
 * builtObject's answer, and when the build deletes the object (a strategic merge patch with
 * `$patch: delete` on the whole object: kyaml merge2 removes it, and kustomize drops it from the
 * build) the kustomization whose patch does, and that patch's entry; one build for both (the
 * Dry-run needs both for the workload it runs).
 */
export function builtOrDeleted(workspace: WorkspaceIndex, uri: string, value: unknown, root?: Unit): { value: unknown; deletion?: Deletion } {
  if (!isRecord(value)) return { value };
  const patched = root === undefined ? patchTarget(workspace, uri, value) : undefined;
  if (patched) return builtOrDeleted(workspace, patched.entry.uri, patched.entry.doc.value, patched.root);
  let deletion: Deletion | undefined;
  const built = buildObject(workspace, uri, value, root, (unit, patch, outcome) => {
    if (outcome.object.deleted && !deletion) deletion = { unit, source: patch.source };
  });
  return { value: built?.value ?? value, deletion };
}

/** The kustomization whose patch deletes an object from the build, and that patch's entry. */
export interface Deletion {
  unit: Unit;
  source: PatchSource;
}

/** builtObject's work, with what each patch did told to `record`; undefined when no kustomization changes the object. */
export function buildObject(workspace: WorkspaceIndex, uri: string, value: Record<string, unknown>, root?: Unit, record?: PatchRecorder, withoutReplacementsOf?: Unit): BuildingObject | undefined {
  const chain = buildChain(workspace, uri, root);
  if (!chain.some(changesObjects) && !generatesIn(workspace, chain.at(-1))) return undefined;
  let object: BuildingObject = { value: structuredClone(value), ids: [] };
  for (const unit of chain) object = buildStep(workspace, unit, object, record, withoutReplacementsOf);
  if (!object.deleted && !withoutReplacementsOf) {
    renameReferences(workspace, object.value, chain.at(-1)!, chain);
    resolveVars(workspace, object.value, chain.at(-1)!);
  }
  return object;
}

/** Roots whose vars are being read: the objects a var reads are built without vars (no loop). */
const resolvingVars = new Set<Unit>();

/** A var that cannot resolve: kustomize build fails (accumulator.go findVarValueFromResources). */
export interface VarProblem {
  unit: Unit;
  index: number;
  message: string;
}

const varsMemo = new SourceMemo<Unit, { values: Map<string, VarValue>; problems: VarProblem[] }>();

/**
 * The vars of `root`'s build (its own and those of the kustomizations it builds), each read from
 * its object as built (a resource file's, or a generated ConfigMap's or Secret's), with those that
 * cannot resolve; once per workspace revision while the generators' files are unchanged (every
 * object of the build substitutes the same).
 */
export function varsOfBuild(workspace: WorkspaceIndex, root: Unit): { values: Map<string, VarValue>; problems: VarProblem[] } {
  return varsMemo.get(workspace, root, '', () => readVars(workspace, root));
}

/** varsOfBuild's work. */
function readVars(workspace: WorkspaceIndex, root: Unit): { values: Map<string, VarValue>; problems: VarProblem[] } {
  const values = new Map<string, VarValue>();
  const problems: VarProblem[] = [];
  const index = unitIndex(workspace);
  resolvingVars.add(root);
  try {
    for (const unit of [root, ...[...(root.nested ?? [])].map((u) => index.kustomization(u)).filter((u): u is Unit => u !== undefined)]) {
      for (const v of varsOf(unit.config ?? {})) {
        const files = workspace.named(v.kind, v.objectName).filter((c) => varMatches(v.namespace, unit, c.doc.namespace, placementOf(workspace, c.uri, c.doc).units));
        // Generated in the declaring kustomization's build, as built up to the root.
        const generated = v.kind === 'ConfigMap' || v.kind === 'Secret' ? generatedIn(workspace, root, v.kind, v.objectName, unit) : undefined;
        const say = (message: string) => problems.push({ unit, index: v.index, message });
        // Several objects of that kind and name (in different namespaces: the objref names none) cannot
        // be told apart (resaccumulator.go MergeVars). A generator's object of the name is the file's
        // one it merges into or replaces, or a collision kustomize-build reports on its own.
        if (!generated && files.length > 1) {
          say(`kustomize build fails: found ${files.length} resId matches for var ${v.name} (unable to disambiguate): ${v.kind} "${v.objectName}" in ${files.map((c) => `namespace ${placementOf(workspace, c.uri, c.doc).namespace ?? '(none)'}`).join(' and ')}`);
          continue;
        }
        const source = (generated && withHashedName(generated)) ?? files.map((c) => (isRecord(c.doc.value) ? (buildObject(workspace, c.uri, c.doc.value, root)?.value ?? c.doc.value) : undefined)).find(isRecord);
        const value = source && varValue(v, source);
        if (!source) {
          if (!root.incomplete) say(`kustomize build fails: var '${v.name}' cannot be mapped to a field in the set of known resources (no ${v.kind} "${v.objectName}" in the build)`);
        } else if (value === undefined) say(`kustomize build fails: field specified in var '${v.name}' not found in corresponding resource (${v.kind} "${v.objectName}" has no ${v.fieldPath.join('.')})`);
        else if (!values.has(v.name)) values.set(v.name, value);
      }
    }
  } finally {
    resolvingVars.delete(root);
  }
  return { values, problems };
}

/**
 * Whether an object of the var's kind and name is one its objref names. kustomize matches a var
 * within the build of the kustomization that declares it, not the whole build (kusttarget.go
 * accumulateTarget ends with MergeVars on that kustomization's own accumulator, before a parent
 * merges it), so two sibling bases each with a ConfigMap `x` do not make the other's var
 * ambiguous. Without an objref namespace any namespace matches (resaccumulator.go MergeVars:
 * GvknEquals); with one, resid.go Equals/IsNsEquals (unset is `default`) against the original id,
 * the namespace as written (the namespace transformer stores the previous id first). kdry also
 * accepts a namespace a kustomization on the way up to the declaring one sets, as older kustomize
 * compared ids after the bases' builds: it reports a failure only when no version would match.
 */
function varMatches(objrefNamespace: string | undefined, declaring: Unit, written: string | undefined, units: readonly Unit[]): boolean {
  if (!units.includes(declaring)) return false;
  if (objrefNamespace === undefined) return true;
  const wanted = objrefNamespace || 'default';
  const onTheWayUp = (u: Unit) => u === declaring || declaring.nested?.has(u.uri) === true;
  return (written || 'default') === wanted || units.some((u) => onTheWayUp(u) && u.namespace === wanted);
}

/**
 * A generated object as a var reads it: vars resolve after the content hash is on its name
 * (kusttarget.go makeCustomizedResMap: addHashesToNames, FixBackReferences, then ResolveVars), so
 * `$(CM_NAME)` of a generated `settings` is `settings-<hash>`.
 */
function withHashedName(generated: GeneratedBuild): Record<string, unknown> {
  const value = generated.object.value;
  return { ...value, metadata: { ...(isRecord(value.metadata) ? value.metadata : {}), name: generated.name } };
}

/** kustomize-vars.ts: every var of the build substituted in the object's var fields. */
function resolveVars(workspace: WorkspaceIndex, built: Record<string, unknown>, root: Unit): void {
  if (resolvingVars.has(root)) return;
  substituteVars(built, varsOfBuild(workspace, root).values);
}

/** A kustomization's replacements as written (they read no file), and what they write (which may come from generated objects). */
const replacementsMemo = new SourceMemo<Unit, Replacement[]>();
const replacementValuesMemo = new SourceMemo<Unit, ReplacementValues>();

function replacementsFor(workspace: WorkspaceIndex, unit: Unit): Replacement[] {
  return replacementsMemo.get(workspace, unit, '', () => replacementsOf(workspace, unit.dir, unit.config ?? {}));
}

/**
 * What each of `unit`'s replacements writes, and where one fails the build, found once per
 * workspace revision (while the generators' files are unchanged) over the objects of its build
 * as every transform so far made them, its own replacements not yet (replacementValues then runs
 * them in order).
 */
export function replacementValuesOf(workspace: WorkspaceIndex, unit: Unit): ReplacementValues {
  const replacements = replacementsFor(workspace, unit);
  if (replacements.length === 0) return { values: [], problems: [] };
  return replacementValuesMemo.get(workspace, unit, '', () => valuesOfReplacements(workspace, unit, replacements));
}

/** replacementValuesOf's work. */
function valuesOfReplacements(workspace: WorkspaceIndex, unit: Unit, replacements: Replacement[]): ReplacementValues {
  const objects: BuildingObject[] = [];
  const { files, generated } = objectsOfBuild(workspace, unit);
  for (const { uri, doc } of files) {
    const built = buildObject(workspace, uri, doc.value as Record<string, unknown>, unit, undefined, unit);
    if (!built?.deleted) objects.push(built ?? { value: structuredClone(doc.value as Record<string, unknown>), ids: [] });
  }
  for (const g of generated) {
    const built = buildGenerated(workspace, g.chain, g.kind, g.name, undefined, unit);
    if (built) objects.push(built.object);
  }
  return replacementValues(replacements, objects);
}

/** A ConfigMap or Secret a generator creates in a build: the chain that builds it (its creator first). */
export interface GeneratedInBuild {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  chain: Unit[];
}

const walkCache = new WeakMap<Unit, { revision: number; workspace: WorkspaceIndex; files: IndexedDocument[]; generated: GeneratedInBuild[] }>();

/**
 * Every object of `unit`'s build, once per workspace revision: each document of its files (patch
 * files and templated documents left out), then each ConfigMap and Secret a generator of the build
 * creates (its own and those of the kustomizations it builds; `merge` and `replace` entries change
 * one of these rather than adding one).
 */
export function objectsOfBuild(workspace: WorkspaceIndex, unit: Unit): { files: IndexedDocument[]; generated: GeneratedInBuild[] } {
  const cached = walkCache.get(unit);
  if (cached && cached.workspace === workspace && cached.revision === workspace.revision) return cached;
  const files: IndexedDocument[] = [];
  for (const uri of unit.members ?? []) {
    if (workspace.isPatch(uri)) continue;
    const file = workspace.get(uri);
    for (const doc of file?.documents ?? []) if (!doc.templated && typeof doc.kind === 'string' && isRecord(doc.value)) files.push({ uri, file: file!, doc });
  }
  const generated: GeneratedInBuild[] = [];
  const index = unitIndex(workspace);
  for (const generator of [unit, ...[...(unit.nested ?? [])].map((u) => index.kustomization(u)).filter((u): u is Unit => u !== undefined)]) {
    for (const g of generator.generated) {
      const target = g.behavior === 'create' ? chainOfTarget(workspace, unit, g.kind, g.name, generator) : undefined;
      if (target?.generated && target.chain[0] === generator) generated.push({ kind: g.kind, name: g.name, chain: target.chain });
    }
  }
  walkCache.set(unit, { revision: workspace.revision, workspace, files, generated });
  return { files, generated };
}

/**
 * For a document of a patch file: the object it patches (the same kind and name) in the build of
 * the kustomization that lists the patch, and that kustomization. The Dry-run of a patch shows
 * that object as the kustomization builds it: in an overlay, the base's object with the base's
 * transforms, then the overlay's patches and transforms.
 */
export function patchTarget(workspace: WorkspaceIndex, uri: string, value: unknown): { entry: IndexedDocument; root: Unit } | undefined {
  if (!isRecord(value) || !workspace.isPatch(uri)) return undefined;
  const by = workspace.patchedBy(uri);
  const root = by === undefined ? undefined : unitIndex(workspace).kustomization(by);
  const { kind, name } = asDocument(value);
  if (!root || !kind || !name) return undefined;
  const entry = workspace.named(kind, name).find((c) => placementOf(workspace, c.uri, c.doc).units.includes(root));
  return entry && { entry, root };
}

/** A kustomization or one it builds has generators: references to what they make get the built names. */
function generatesIn(workspace: WorkspaceIndex, root: Unit | undefined): boolean {
  if (!root) return false;
  if (root.generated.length > 0) return true;
  const index = unitIndex(workspace);
  return [...(root.nested ?? [])].some((uri) => (index.kustomization(uri)?.generated.length ?? 0) > 0);
}

function changesObjects(unit: Unit): boolean {
  const c = unit.config ?? {};
  return unit.namespace !== undefined || unit.transforms !== undefined || ['patches', 'patchesStrategicMerge', 'patchesJson6902', 'images', 'replacements', 'vars'].some((f) => Array.isArray(c[f]) && c[f].length > 0);
}

const patchCache = new WeakMap<Unit, { revision: number; workspace: WorkspaceIndex; steps: PatchSteps }>();

/** A kustomization's patches, read once per change of the workspace. */
export function patchesOf(workspace: WorkspaceIndex, unit: Unit): PatchSteps {
  const cached = patchCache.get(unit);
  if (cached && cached.workspace === workspace && cached.revision === workspace.revision) return cached.steps;
  const steps = patchStepsOf(workspace, unit.dir, unit.config ?? {});
  patchCache.set(unit, { revision: workspace.revision, workspace, steps });
  return steps;
}

/** Told what each patch did to the object built (kustomize-problems.ts collects them). */
export type PatchRecorder = (unit: Unit, patch: KustomizePatch, outcome: PatchOutcome) => void;

/** One kustomization's transforms on one object, in kustomize's order; a deleted object is left as it is. */
export function buildStep(workspace: WorkspaceIndex, unit: Unit, start: BuildingObject, record?: PatchRecorder, withoutReplacementsOf?: Unit): BuildingObject {
  const steps = patchesOf(workspace, unit);
  // Generators run before the transformers (kusttarget.go accumulateTarget: runGenerators, then runTransformers).
  let object = mergedByGenerators(workspace, unit, start);
  const apply = (patch: KustomizePatch) => {
    if (object.deleted) return;
    const outcome = tryPatch(object, patch);
    record?.(unit, patch, outcome);
    object = outcome.object;
  };
  steps.patchesStrategicMerge.forEach(apply);
  steps.patches.forEach(apply);
  if (object.deleted) return object;
  const built = object.value;
  const doc = asDocument(built);
  const meta = (isRecord(built.metadata) ? built.metadata : (built.metadata = {})) as Record<string, unknown>;
  const remember = () => object.ids.push(currentId(built));
  if (unit.namespace !== undefined && !isClusterScoped(doc.kind) && meta.namespace !== unit.namespace) (remember(), (meta.namespace = unit.namespace));
  if (unit.namespace !== undefined) setDefaultSubjectsNamespace(built, doc, unit.namespace);
  const t = unit.transforms;
  if (t && (t.namePrefix || t.nameSuffix) && doc.kind && !NOT_RENAMED.has(doc.kind) && typeof meta.name === 'string') (remember(), (meta.name = `${t.namePrefix}${meta.name}${t.nameSuffix}`));
  const configured = configuredFieldSpecs(workspace, unit).commonLabels.filter((f) => f.kind === doc.kind);
  for (const set of t?.labels ?? []) addLabels(built, doc, set, configured);
  if (t && Object.keys(t.annotations).length > 0) addAnnotations(built, doc, t.annotations);
  steps.patchesJson6902.forEach(apply);
  if (object.deleted) return object;
  const names = new Set([...object.ids, currentId(object.value)].map((id) => id.name));
  const count = [...(t?.replicas ?? [])].find(([name]) => names.has(name))?.[1];
  if (count !== undefined && doc.kind && SCALED.has(doc.kind)) (object.value.spec = isRecord(object.value.spec) ? object.value.spec : {}), ((object.value.spec as Record<string, unknown>).replicas = count);
  else if (count !== undefined) for (const spec of configuredFieldSpecs(workspace, unit).replicas) if (spec.kind === doc.kind) setAt(object.value, spec.path, count);
  applyImages(object.value, imageRulesOf(unit.config ?? {}));
  const replacements = replacementsFor(workspace, unit);
  if (replacements.length > 0 && withoutReplacementsOf !== unit) applyReplacements(object, replacements, () => replacementValuesOf(workspace, unit).values);
  return object;
}

/**
 * A kustomization's generator with `behavior: merge` or `replace` changes the ConfigMap or Secret
 * of its name already in the build (kustomize-generator-behavior.ts), one a base generated or a
 * resource file's; the name is matched against the object's ids (GetMatchingResourcesByAnyId).
 */
function mergedByGenerators(workspace: WorkspaceIndex, unit: Unit, object: BuildingObject): BuildingObject {
  if (!unit.generated.some((g) => g.behavior !== 'create')) return object;
  const names = new Set([...object.ids, currentId(object.value)].map((id) => id.name));
  // Each entry in turn (one plugin an entry, absorbed in order: kusttarget.go runGenerators).
  for (const entry of unit.generated) {
    if (entry.behavior === 'create' || entry.kind !== object.value.kind || !names.has(entry.name)) continue;
    const made = generate(workspace, unit, entry);
    if (!made) continue;
    // `replace` drops the old data, and with it what the old one could not read.
    const unread = [...(entry.behavior === 'merge' ? (object.unread ?? []) : []), ...made.unread];
    object = { ...object, value: mergeGenerated(object.value, made.value, entry.behavior), unread: unread.length ? unread : undefined };
  }
  return object;
}

/**
 * namereference.go: a reference to an object of the build gets the name the build gives that
 * object (every prefix and suffix on the way from its kustomization to the root); a reference to
 * an object outside the build keeps its name.
 */
function renameReferences(workspace: WorkspaceIndex, built: Record<string, unknown>, root: Unit, chain: readonly Unit[]): void {
  const doc = asDocument(built);
  if (!rewritesReferencesOf(workspace, chain, doc)) return;
  for (const ref of referencesOf(doc)) {
    if (!RENAMED_REFERENCES.has(ref.via) || (ref.via === 'route backend' && !ref.path.includes('backendRefs')) || NOT_RENAMED.has(ref.kind)) continue;
    const target = chainOfTarget(workspace, root, ref.kind, ref.name);
    if (!target) continue;
    const name = (target.generated ? generatedIn(workspace, root, ref.kind as 'ConfigMap' | 'Secret', ref.name)?.name : undefined) ?? builtName(target.chain, ref.name);
    if (name !== ref.name) setAt(built, ref.path, name);
  }
  if (doc.kind === 'RoleBinding' || doc.kind === 'ClusterRoleBinding') renameSubjects(workspace, built, root);
}

/**
 * Whether kustomize's name reference transformer rewrites the references of the object: those of
 * the kinds namereference.go lists; an Argo Rollout's pod template only where a kustomization of
 * the chain adds its fields under `configurations:`.
 */
export function rewritesReferencesOf(workspace: WorkspaceIndex, chain: readonly Unit[], doc: ManifestDocument): boolean {
  return podTemplatePath(doc) !== undefined || podsTemplatePath(doc) === undefined || configuredFor(workspace, chain, 'nameReference', doc.kind);
}

/** A name with every prefix and suffix of the chain that builds its object. */
function builtName(chain: readonly Unit[], name: string): string {
  for (const unit of chain) if (unit.transforms) name = `${unit.transforms.namePrefix}${name}${unit.transforms.nameSuffix}`;
  return name;
}

/**
 * namereference.go lists `subjects` of RoleBinding and ClusterRoleBinding as references to a
 * ServiceAccount; api/filters/nameref/nameref.go setMapping gives a subject naming a
 * ServiceAccount of the build that account's built name and namespace. A subject with a
 * `namespace` names the account first written in, or built into, that namespace
 * (filterMapCandidatesByNamespace); one without may name any. Like upstream, the subject's own
 * `kind` is not consulted.
 */
function renameSubjects(workspace: WorkspaceIndex, built: Record<string, unknown>, root: Unit): void {
  const subjects = built.subjects;
  if (!Array.isArray(subjects)) return;
  for (const subject of subjects) {
    if (!isRecord(subject) || typeof subject.name !== 'string') continue;
    const wanted = typeof subject.namespace === 'string' ? subject.namespace : undefined;
    for (const account of workspace.named('ServiceAccount', subject.name)) {
      if (!placementOf(workspace, account.uri, account.doc).units.includes(root)) continue;
      const chain = buildChain(workspace, account.uri, root);
      const namespace = [...chain].reverse().find((u) => u.namespace !== undefined)?.namespace ?? account.doc.namespace;
      const effective = (ns: string | undefined) => (ns === undefined || ns === '' ? 'default' : ns);
      if (wanted !== undefined && effective(wanted) !== effective(account.doc.namespace) && effective(wanted) !== effective(namespace)) continue;
      subject.name = builtName(chain, subject.name);
      if (namespace) subject.namespace = namespace;
      break;
    }
  }
}

/**
 * The namespace transformer (api/filters/namespace/namespace.go roleBindingHack, in its default
 * mode defaultOnly) sets its namespace on every subject of a RoleBinding or ClusterRoleBinding
 * named `default`, whatever its kind; other subjects keep theirs (the name reference fix above
 * moves those that name a ServiceAccount of the build).
 */
function setDefaultSubjectsNamespace(built: Record<string, unknown>, doc: ManifestDocument, namespace: string): void {
  if ((doc.kind !== 'RoleBinding' && doc.kind !== 'ClusterRoleBinding') || !Array.isArray(built.subjects)) return;
  for (const subject of built.subjects) if (isRecord(subject) && subject.name === 'default') subject.namespace = namespace;
}

/**
 * The kustomizations that build the object of that kind and name in `root`'s build, innermost
 * first (a generated one's: its generator's first); undefined when it is not in the build. A
 * generated one is looked for in the build of `within` (root or a kustomization it builds): two
 * bases may each generate one of the name, told apart by their prefixes once built.
 */
export function chainOfTarget(workspace: WorkspaceIndex, root: Unit, kind: string, name: string, within: Unit = root): { chain: Unit[]; generated: boolean } | undefined {
  const index = unitIndex(workspace);
  const units = [...index.units()].filter((u) => u === root || root.nested?.has(u.uri));
  // The innermost generator that creates it; `merge` and `replace` entries above change it (buildStep).
  const creators = units.filter((u) => (u === within || within.nested?.has(u.uri)) && u.generated.some((g) => g.kind === kind && g.name === name && g.behavior === 'create'));
  const creator = creators.find((c) => !creators.some((o) => o !== c && c.nested?.has(o.uri)));
  if (creator) return { chain: chainUpTo(index, [creator, ...units.filter((u) => u.nested?.has(creator.uri))], root, creator), generated: true };
  const target = workspace.named(kind, name).find((c) => placementOf(workspace, c.uri, c.doc).units.includes(root));
  return target ? { chain: buildChain(workspace, target.uri, root), generated: false } : undefined;
}

/** A generated ConfigMap or Secret as built, and the name the build gives it. */
export interface GeneratedBuild {
  object: BuildingObject;
  name: string;
}

/**
 * A generated object through the transforms of the chain (its creator first; `merge` and `replace`
 * generators above it change it at their step), then, unless disabled, the content hash
 * (HashTransformer, run once after the whole build: kusttarget.go addHashesToNames), so the hash
 * covers the data as merged and patched (not the name: kustomize-hash.ts).
 */
export function buildGenerated(workspace: WorkspaceIndex, chain: readonly Unit[], kind: 'ConfigMap' | 'Secret', name: string, record?: PatchRecorder, withoutReplacementsOf?: Unit): GeneratedBuild | undefined {
  const creator = chain[0].generated.find((g) => g.kind === kind && g.name === name && g.behavior === 'create');
  const made = creator && generate(workspace, chain[0], creator);
  if (!made) return undefined;
  let object: BuildingObject = { value: made.value, ids: [], ...(made.unread.length ? { unread: made.unread } : {}) };
  for (const unit of chain) object = buildStep(workspace, unit, object, record, withoutReplacementsOf);
  const built = currentId(object.value).name ?? name;
  // Without a file it reads, kdry cannot know the hash: the name stays without one (a build would fail).
  return { object, name: made.hashed && !object.unread?.length ? `${built}-${kustomizeHash(object.value)}` : built };
}

const generatedMemo = new SourceMemo<Unit, GeneratedBuild | undefined>();

/**
 * The ConfigMap or Secret of that name `root`'s build generates, as built, with its built name;
 * undefined when no generator of the build creates it (of the build of `within`, when given: see
 * chainOfTarget). Once per workspace revision (every reference to it, the hovers and the key
 * checks ask alike), and while the files its generators read are unchanged.
 */
export function generatedIn(workspace: WorkspaceIndex, root: Unit, kind: 'ConfigMap' | 'Secret', name: string, within: Unit = root): GeneratedBuild | undefined {
  return generatedMemo.get(workspace, root, `${within === root ? '' : within.uri}|${kind}/${name}`, () => {
    const target = chainOfTarget(workspace, root, kind, name, within);
    return target?.generated ? buildGenerated(workspace, target.chain, kind, name) : undefined;
  });
}

/** The name the innermost kustomization of `units` that generates it gives a ConfigMap or Secret, for hovers; undefined when none does. */
export function generatedNameIn(workspace: WorkspaceIndex, units: readonly Unit[], kind: 'ConfigMap' | 'Secret', name: string): string | undefined {
  const root = units.find((u) => u.kind === 'kustomization');
  return root && generatedIn(workspace, root, kind, name)?.name;
}

/** Kustomizations in build order: a base before the overlays that build it. */
function innermostFirst(units: Unit[]): Unit[] {
  return units.sort((a, b) => (a.nested?.has(b.uri) ? 1 : b.nested?.has(a.uri) ? -1 : 0));
}

/**
 * The replicas a kustomization's `replicas:` gives the workload (the count kustomize writes over
 * `spec.replicas`), for the rules that count pods; undefined when none does.
 */
export function replicasOverride(workspace: WorkspaceIndex, entry: { uri: string; doc: ManifestDocument }): number | undefined {
  const { kind, name } = entry.doc;
  if (!kind || !name || !SCALED.has(kind)) return undefined;
  const unit = placementOf(workspace, entry.uri, entry.doc).units[0];
  return unit?.kind === 'kustomization' ? unit.transforms?.replicas.get(name) : undefined;
}

/**
 * The labels kustomize adds to a selector of the object of file `selector.uri` and to a pod
 * template of file `template.uri` (each with its file's kustomizations, innermost first), when
 * both are built together: by the innermost kustomization that builds both, every kustomization
 * on each side's way up to it adds its `commonLabels` (and `labels` with
 * includeSelectors/includeTemplates), and so does every component those kustomizations name
 * (buildChain: a component acts on what its kustomization built before it). Objects no
 * kustomization builds together are each built by their own innermost one.
 * Worked example: base `commonLabels: {team: foo}`, overlay `commonLabels: {env: prod}` listing
 * the base and a Service of its own: the Service's selector gets env=prod, the base's template
 * team=foo and env=prod.
 */
export function labelsAddedTogether(workspace: WorkspaceIndex, selector: { uri: string; units: readonly Unit[] }, template: { uri: string; units: readonly Unit[]; kind?: string }): { selector?: Record<string, string>; template?: Record<string, string> } {
  const common = selector.units.find((u) => u.kind === 'kustomization' && template.units.includes(u));
  return { selector: labelsAddedBy(buildChain(workspace, selector.uri, common), 'selectors'), template: templateLabelsAddedBy(workspace, buildChain(workspace, template.uri, common), template.kind) };
}

/** Kinds whose pod template kustomize's commonLabels reach without configuration (commonlabels.go; a Pod's labels are its metadata's). */
const LABELLED_TEMPLATE_KINDS = new Set(['Pod', 'Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/**
 * The labels a build chain adds to the pod template of an object of `kind`: those of each
 * kustomization whose transformer knows the kind's template (a built-in kind, or one its
 * `configurations:` names: kustomize-configurations.ts). An Argo Rollout's template gets none
 * unless configured, so a Service whose selector got `commonLabels` no longer selects its pods.
 */
export function templateLabelsAddedBy(workspace: WorkspaceIndex, chain: readonly Unit[], kind: string | undefined): Record<string, string> | undefined {
  if (kind === undefined || LABELLED_TEMPLATE_KINDS.has(kind)) return labelsAddedBy(chain, 'templates');
  return labelsAddedBy(chain.filter((u) => configuredFor(workspace, [u], 'commonLabels', kind)), 'templates');
}

/** The labels a build chain (buildChain) adds to selectors or to pod templates (an overlay's after its base's). */
export function labelsAddedBy(chain: readonly Unit[], where: 'selectors' | 'templates'): Record<string, string> | undefined {
  const sets = chain.flatMap((u) => u.transforms?.labels.filter((l) => l[where]) ?? []);
  return sets.length ? Object.assign({}, ...sets.map((l) => l.pairs)) : undefined;
}

const addedToTemplates = new WeakMap<object, Set<string>>();

/** Every `key=value` some kustomization of the workspace adds to pod templates. */
export function labelPairsAddedToTemplates(workspace: WorkspaceIndex): ReadonlySet<string> {
  const index = unitIndex(workspace);
  let pairs = addedToTemplates.get(index);
  if (!pairs) {
    pairs = new Set();
    for (const unit of index.units()) for (const set of unit.transforms?.labels ?? []) if (set.templates) for (const [k, v] of Object.entries(set.pairs)) pairs.add(`${k}=${v}`);
    addedToTemplates.set(index, pairs);
  }
  return pairs;
}

/** The prefix and suffix a unit's kustomization puts on a name of that kind, if any. */
export function renaming(unit: Unit | undefined, kind: string | undefined): { prefix: string; suffix: string } | undefined {
  const t = unit?.kind === 'kustomization' ? unit.transforms : undefined;
  if (!t || (!t.namePrefix && !t.nameSuffix) || !kind || NOT_RENAMED.has(kind)) return undefined;
  return { prefix: t.namePrefix, suffix: t.nameSuffix };
}

/** The fields of a plain value that the scope model and the references read. */
function asDocument(value: Record<string, unknown>): ManifestDocument {
  const meta = isRecord(value.metadata) ? value.metadata : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { value, kind: str(value.kind), apiVersion: str(value.apiVersion), name: str(meta.name), namespace: str(meta.namespace) } as ManifestDocument;
}

/**
 * builtinpluginconsts/commonannotations.go: `metadata.annotations` of every object, and the pod
 * template's (a CronJob's job template's too) of the workload kinds, created when missing.
 */
function addAnnotations(built: Record<string, unknown>, doc: ManifestDocument, annotations: Record<string, string>): void {
  const paths: ObjectPath[] = [['metadata', 'annotations']];
  if (doc.kind === 'ReplicationController' ? doc.apiVersion === 'v1' : ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'].includes(doc.kind ?? '')) paths.push(['spec', 'template', 'metadata', 'annotations']);
  if (doc.kind === 'Job' && doc.apiVersion?.startsWith('batch/')) paths.push(['spec', 'template', 'metadata', 'annotations']);
  if (doc.kind === 'CronJob' && doc.apiVersion?.startsWith('batch/')) paths.push(['spec', 'jobTemplate', 'metadata', 'annotations'], ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'annotations']);
  for (const path of paths) {
    if (!isRecord(valueAt(built, path)) && !setAt(built, path, {})) continue;
    Object.assign(valueAt(built, path) as Record<string, unknown>, annotations);
  }
}

/** commonlabels.go and metadatalabels.go: where labels go, and whether a missing map is created; `configured`: the `configurations:` field specs of the kind. */
function addLabels(built: Record<string, unknown>, doc: ManifestDocument, set: LabelSet, configured: readonly FieldSpec[]): void {
  const add = (path: ObjectPath, create: boolean) => {
    const at = valueAt(built, path);
    if (!isRecord(at) && !create) return;
    if (!isRecord(at) && !setAt(built, path, {})) return;
    Object.assign(valueAt(built, path) as Record<string, unknown>, set.pairs);
  };
  add(['metadata', 'labels'], true);
  if (set.selectors) for (const spec of configured) add(spec.path, spec.create);
  const template = podTemplatePath(doc);
  if (set.templates && template && template.length > 0) {
    add([...template, 'metadata', 'labels'], true);
    if (doc.kind === 'CronJob') add(['spec', 'jobTemplate', 'metadata', 'labels'], true);
  }
  if (!set.selectors) return;
  switch (doc.kind) {
    case 'Service':
    case 'ReplicationController':
      if (doc.apiVersion === 'v1') add(['spec', 'selector'], true);
      break;
    case 'Deployment':
    case 'StatefulSet':
      add(['spec', 'selector', 'matchLabels'], true);
      // The pod's own affinity and spread terms select its siblings: they get the labels where
      // they have matchLabels (create: false), for apps/ Deployments and StatefulSets only.
      if (doc.apiVersion?.startsWith('apps/')) for (const path of POD_SELECTOR_PATHS) addWhereMatchLabels(built, ['spec', 'template', 'spec', ...path], set.pairs);
      break;
    case 'ReplicaSet':
    case 'DaemonSet':
      add(['spec', 'selector', 'matchLabels'], true);
      break;
    case 'Job':
    case 'PodDisruptionBudget':
      add(['spec', 'selector', 'matchLabels'], false);
      break;
    case 'CronJob':
      add(['spec', 'jobTemplate', 'spec', 'selector', 'matchLabels'], false);
      break;
    case 'NetworkPolicy':
      add(['spec', 'podSelector', 'matchLabels'], false);
      addWhereMatchLabels(built, ['spec', 'ingress', '[]', 'from', '[]', 'podSelector'], set.pairs);
      addWhereMatchLabels(built, ['spec', 'egress', '[]', 'to', '[]', 'podSelector'], set.pairs);
      break;
  }
}

/** commonlabels.go: the label selectors of a pod's affinity terms and topology spread constraints ('[]': every element of a list). */
const POD_SELECTOR_PATHS: string[][] = [
  ...['podAffinity', 'podAntiAffinity'].flatMap((a) => [
    ['affinity', a, 'preferredDuringSchedulingIgnoredDuringExecution', '[]', 'podAffinityTerm', 'labelSelector'],
    ['affinity', a, 'requiredDuringSchedulingIgnoredDuringExecution', '[]', 'labelSelector'],
  ]),
  ['topologySpreadConstraints', '[]', 'labelSelector'],
];

/** Adds the pairs to `matchLabels` of every selector at the path that has one (fieldspec `create: false`). */
function addWhereMatchLabels(node: unknown, path: string[], pairs: Record<string, string>): void {
  if (path.length === 0) {
    if (isRecord(node) && isRecord(node.matchLabels)) Object.assign(node.matchLabels, pairs);
    return;
  }
  const [step, ...rest] = path;
  if (step === '[]') {
    if (Array.isArray(node)) for (const e of node) addWhereMatchLabels(e, rest, pairs);
  } else if (isRecord(node)) addWhereMatchLabels(node[step], rest, pairs);
}

/** Sets the value at `path`, creating maps on the way; false when a list or scalar is in the way. */
function setAt(root: Record<string, unknown>, path: ObjectPath, value: unknown): boolean {
  let at: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i];
    let next = Array.isArray(at) && typeof seg === 'number' ? at[seg] : isRecord(at) ? at[String(seg)] : undefined;
    if (next === undefined && isRecord(at) && typeof path[i + 1] === 'string') next = at[String(seg)] = {};
    if (!isRecord(next) && !Array.isArray(next)) return false;
    at = next;
  }
  const last = path[path.length - 1];
  if (Array.isArray(at) && typeof last === 'number') at[last] = value;
  else if (isRecord(at)) at[String(last)] = value;
  else return false;
  return true;
}
