// Cross-document lookups: Services and pod templates across every file of the workspace.
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { isRecord, type ManifestDocument, type ManifestFile } from '../manifest';
import { labelSelectorMatches, serviceSelectorMatches, type LabelSelector } from '../k8s/labels';

import { podsTemplate, stringMap, valueAt, type PodTemplateInfo } from '../manifest/pod-template';
import { nearest, placementOf, ringBetween, Ring, sameNamespace as sameNamespaceIn, scopeIdOf } from './scope';
import { labelPairsAddedToTemplates, labelsAddedTogether } from './kustomize-build';
import { CONTROLLER_LABEL_KEYS, somePodMatches } from './controller-pod-labels';

/** Two objects in the same namespace (an unset namespace is the one kubectl applies to). */
export function sameNamespace(a: ManifestDocument, b: ManifestDocument): boolean {
  return (a.namespace ?? '') === (b.namespace ?? '');
}

/** The v1 Services of that name nearest to `from` in the scope model (docs/scope.md). */
export function servicesNamed(workspace: WorkspaceIndex, name: string, from: { uri: string; doc: ManifestDocument }): IndexedDocument[] {
  return nearest(workspace, from, workspace.named('Service', name).filter((s) => s.doc.apiVersion === 'v1')).matches;
}

export function serviceSelector(svc: ManifestDocument): Record<string, string> | undefined {
  return stringMap(valueAt(svc.value, ['spec', 'selector']));
}

export function isHeadless(svc: ManifestDocument): boolean {
  const spec = valueAt(svc.value, ['spec']);
  return isRecord(spec) && spec.clusterIP === 'None';
}

export interface WorkloadTemplate {
  entry: IndexedDocument;
  template: PodTemplateInfo;
}

interface FileTemplates {
  all: WorkloadTemplate[];
  /** Templates by each of their `key=value` labels, so a Service finds its pods without a scan. */
  byLabel: Map<string, WorkloadTemplate[]>;
}

/** Pod templates per parsed file: a file object is replaced when its text changes, so it is the cache key. */
const templatesByFile = new WeakMap<ManifestFile, FileTemplates>();

function templatesOf(uri: string, file: ManifestFile): FileTemplates {
  let entry = templatesByFile.get(file);
  if (!entry) {
    entry = { all: [], byLabel: new Map() };
    for (const doc of file.documents) {
      if (doc.kind === 'Service') continue;
      const template = podsTemplate(doc, true);
      if (!template) continue;
      const t = { entry: { uri, file, doc }, template };
      entry.all.push(t);
      for (const [k, v] of Object.entries(template.labels)) append(entry.byLabel, `${k}=${v}`, t);
    }
    templatesByFile.set(file, entry);
  }
  return entry;
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The pod templates of every file with objects of its own (kustomize patches are not: they change
 * another file's), by `key=value` label, kept per workspace revision. An edit replaces only the
 * changed files' entries (files join or leave only with a structure change, which rebuilds it), so
 * a selector's lookup after a keystroke reads the few templates with its label instead of visiting
 * the 2,000 files of a large workspace.
 */
interface TemplateIndex {
  structure: number;
  revision: number;
  files: Map<string, ManifestFile>;
  /** Each file's position in the workspace, so candidates come in file then document order. */
  order: Map<string, number>;
  all: Map<string, WorkloadTemplate[]>;
  byLabel: Map<string, Map<string, WorkloadTemplate[]>>;
  /**
   * The lists in file order, made on first use and dropped when the index changes: every Service
   * of a 10,000-document folder asked for them, and sorting and copying them per ask was quadratic.
   */
  ordered: OrderedTemplates;
}

interface OrderedTemplates {
  all?: readonly WorkloadTemplate[];
  byLabel: Map<string, readonly WorkloadTemplate[]>;
  byNamespace: Map<string, readonly WorkloadTemplate[]>;
}

const noOrderedTemplates = (): OrderedTemplates => ({ byLabel: new Map(), byNamespace: new Map() });

const templateIndexes = new WeakMap<WorkspaceIndex, TemplateIndex>();

function templateIndex(workspace: WorkspaceIndex): TemplateIndex {
  let index = templateIndexes.get(workspace);
  if (index && index.revision === workspace.revision) return index;
  if (!index || index.structure !== workspace.structureVersion) {
    index = { structure: workspace.structureVersion, revision: workspace.revision, files: new Map(), order: new Map(), all: new Map(), byLabel: new Map(), ordered: noOrderedTemplates() };
    templateIndexes.set(workspace, index);
    for (const uri of workspace.uris()) {
      index.order.set(uri, index.order.size);
      addTemplates(index, uri, workspace.isPatch(uri) ? undefined : workspace.get(uri));
    }
    return index;
  }
  for (const uri of workspace.uris()) {
    const file = workspace.get(uri);
    const had = index.files.get(uri);
    if (file === had || !file || !had) continue;
    const before = index.all.get(uri) ?? [];
    for (const t of before) for (const label of Object.entries(t.template.labels).map(([k, v]) => `${k}=${v}`)) index.byLabel.get(label)?.delete(uri);
    index.all.delete(uri);
    addTemplates(index, uri, file);
    index.ordered = withReplaced(index.ordered, before, index.all.get(uri) ?? []);
  }
  index.revision = workspace.revision;
  return index;
}

/**
 * The ordered lists with a file's templates `before` replaced by `after`, when the edit left them
 * alike (as many, each with the same labels and namespace, so each list holds the same positions):
 * typing in a workload's image kept every list but had them sorted again after each keystroke (a
 * CodeLens after an edit re-sorted the 2,000 files' templates). Otherwise they are made anew.
 */
function withReplaced(ordered: OrderedTemplates, before: readonly WorkloadTemplate[], after: readonly WorkloadTemplate[]): OrderedTemplates {
  if (before.length !== after.length || before.some((t, i) => !alike(t, after[i]))) return noOrderedTemplates();
  if (before.length === 0) return ordered;
  const replacement = new Map(before.map((t, i) => [t, after[i]]));
  const replaced = (list: readonly WorkloadTemplate[]) => list.map((t) => replacement.get(t) ?? t);
  const each = (lists: Map<string, readonly WorkloadTemplate[]>) => new Map([...lists].map(([key, list]) => [key, replaced(list)]));
  return { all: ordered.all && replaced(ordered.all), byLabel: each(ordered.byLabel), byNamespace: each(ordered.byNamespace) };
}

/** Same labels and namespace: in the same ordered lists (by label, by namespace) at the same place. */
function alike(a: WorkloadTemplate, b: WorkloadTemplate): boolean {
  const la = Object.entries(a.template.labels);
  const lb = b.template.labels;
  return (a.entry.doc.namespace ?? '') === (b.entry.doc.namespace ?? '') && la.length === Object.keys(lb).length && la.every(([k, v]) => lb[k] === v);
}

function addTemplates(index: TemplateIndex, uri: string, file: ManifestFile | undefined): void {
  if (!file) return;
  index.files.set(uri, file);
  const own = templatesOf(uri, file);
  if (own.all.length === 0) return;
  index.all.set(uri, own.all);
  for (const [label, list] of own.byLabel) {
    let byUri = index.byLabel.get(label);
    if (!byUri) index.byLabel.set(label, (byUri = new Map()));
    byUri.set(uri, list);
  }
}

/** The templates of `byUri` (all of them, or those with one label) in file order. */
function inFileOrder(index: TemplateIndex, byUri: Map<string, WorkloadTemplate[]> | undefined): WorkloadTemplate[] {
  if (!byUri) return [];
  return [...byUri].sort(([a], [b]) => index.order.get(a)! - index.order.get(b)!).flatMap(([, list]) => list);
}

/** Every template of the index in file order (sorted once per index change). */
function allInFileOrder(index: TemplateIndex): readonly WorkloadTemplate[] {
  return (index.ordered.all ??= inFileOrder(index, index.all));
}

/** The templates with one `key=value` label in file order (sorted once per label and index change). */
function labelledInFileOrder(index: TemplateIndex, label: string): readonly WorkloadTemplate[] {
  let list = index.ordered.byLabel.get(label);
  if (!list) index.ordered.byLabel.set(label, (list = inFileOrder(index, index.byLabel.get(label))));
  return list;
}

/** Every pod template (workloads, CronJobs, bare Pods) in the namespace of `near`, in file order. */
export function podTemplatesNear(workspace: WorkspaceIndex, near: ManifestDocument): readonly WorkloadTemplate[] {
  const namespace = near.namespace ?? '';
  const index = templateIndex(workspace);
  let list = index.ordered.byNamespace.get(namespace);
  if (!list) index.ordered.byNamespace.set(namespace, (list = allInFileOrder(index).filter((t) => (t.entry.doc.namespace ?? '') === namespace)));
  return list;
}

export interface SelectedTemplates {
  templates: WorkloadTemplate[];
  /** The ring of the scope model the templates were found in (docs/scope.md). */
  ring: Ring;
}

/**
 * The pod templates a Service's selector selects, in the nearest ring of the scope model that has
 * any (the same file, unit, folder, then the workspace): pods of an unrelated app elsewhere in the
 * repository are not this Service's. With `anyNamespace`, also those it would select if it were in
 * their namespace.
 */
export function templatesSelectedBy(workspace: WorkspaceIndex, from: { uri: string; doc: ManifestDocument }, anyNamespace = false): SelectedTemplates {
  const selector = serviceSelector(from.doc);
  if (!selector || Object.keys(selector).length === 0) return { templates: [], ring: Ring.Workspace };
  const first = Object.entries(selector).find(([k]) => !CONTROLLER_LABEL_KEYS.has(k));
  const asked = { keys: Object.keys(selector), accepted: (key: string) => selector[key] };
  return nearestTemplates(workspace, from, (labels, added) => serviceSelectorMatches({ ...selector, ...added }, labels), { anyNamespace, label: first && `${first[0]}=${first[1]}`, asked });
}

/** The pod templates a label selector (PodDisruptionBudget, NetworkPolicy) selects, nearest first as above. */
export function templatesMatching(workspace: WorkspaceIndex, from: { uri: string; doc: ManifestDocument }, selector: LabelSelector): SelectedTemplates {
  const first = Object.entries(selector.matchLabels ?? {}).find(([k]) => !CONTROLLER_LABEL_KEYS.has(k));
  // commonLabels reach a label selector's matchLabels only when it has them (create: false upstream).
  return nearestTemplates(workspace, from, (labels, added) => labelSelectorMatches(added && selector.matchLabels ? { ...selector, matchLabels: { ...selector.matchLabels, ...added } } : selector, labels), { label: first && `${first[0]}=${first[1]}`, asked: askedBy(selector) });
}

/** The keys a label selector names, and for each a value it accepts (none where it asks for the key's absence). */
function askedBy(selector: LabelSelector): { keys: string[]; accepted: (key: string) => string | undefined } {
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  const keys = [...Object.keys(selector.matchLabels ?? {}), ...expressions.map((e) => e.key)];
  const accepted = (key: string): string | undefined => {
    const label = selector.matchLabels?.[key];
    if (label !== undefined) return String(label);
    const e = expressions.find((x) => x.key === key);
    if (e?.operator === 'In') return e.values?.[0] !== undefined ? String(e.values[0]) : undefined;
    if (e?.operator === 'Exists') return '';
    // NotIn: a value the list cannot hold (a label value has no NUL)
    if (e?.operator === 'NotIn') return '\u0000';
    return undefined;
  };
  return { keys, accepted };
}

/**
 * `label` (`key=value`, one the selector requires) narrows the candidates through the label index,
 * unless a kustomization adds that label to templates (a template may then carry it only once
 * built). The labels kustomize adds decide (labelsAddedTogether): `matches` gets the template's
 * labels with those its kustomizations add, and the labels the selector's kustomizations add to
 * it. Within one unit both sides get the same labels, so what is written decides.
 */
function nearestTemplates(
  workspace: WorkspaceIndex,
  from: { uri: string; doc: ManifestDocument },
  matches: (labels: Record<string, string>, addedToSelector?: Record<string, string>) => boolean,
  options: { anyNamespace?: boolean; label?: string; asked: { keys: readonly string[]; accepted: (key: string) => string | undefined } },
): SelectedTemplates {
  const origin = placementOf(workspace, from.uri, from.doc);
  const scanAll = options.label === undefined || labelPairsAddedToTemplates(workspace).has(options.label);
  let ring = Ring.Workspace;
  let out: WorkloadTemplate[] = [];
  const index = templateIndex(workspace);
  for (const t of scanAll ? allInFileOrder(index) : labelledInFileOrder(index, options.label!)) {
    const where = placementOf(workspace, t.entry.uri, t.entry.doc);
    const added = origin.units.length > 0 || where.units.length > 0 ? labelsAddedTogether(workspace, origin, { ...where, kind: t.entry.doc.kind }) : {};
    const labels = added.template ? { ...t.template.labels, ...added.template } : t.template.labels;
    if (!somePodMatches(workspace, t.entry, labels, options.asked, (l) => matches(l, added.selector))) continue;
    if (!options.anyNamespace && !sameNamespaceIn(origin, where)) continue;
    const r = ringBetween(origin, where);
    if (out.length === 0 || r < ring) (ring = r), (out = [t]);
    else if (r === ring) out.push(t);
  }
  return { templates: out, ring };
}

/** The HorizontalPodAutoscaler in scope whose scaleTargetRef names the workload, if any. */
export function autoscalerOf(workspace: WorkspaceIndex, workload: { uri: string; doc: ManifestDocument }): IndexedDocument | undefined {
  const { kind, name } = workload.doc;
  if (!kind || !name) return undefined;
  const targeting = [...workspace.documents('HorizontalPodAutoscaler')].filter(
    (h) => valueAt(h.doc.value, ['spec', 'scaleTargetRef', 'kind']) === kind && valueAt(h.doc.value, ['spec', 'scaleTargetRef', 'name']) === name,
  );
  return nearest(workspace, workload, targeting).matches[0];
}

/**
 * The workload an Argo Rollout's `spec.workloadRef` names (a Deployment, ReplicaSet or PodTemplate of
 * that name), as rollout/templateref.go Resolve asks the lister: in the Rollout's namespace (as the
 * scope model places both; none set is `default`), and in the scope the Rollout is simulated in
 * (its kustomization or chart, else its folder, as `kdry simulate` reads it), the nearest there;
 * chart templates left out. The one rule the Dry-run, the checks, Capacity and `kdry simulate` use.
 */
export function workloadRefTargetOf(workspace: WorkspaceIndex, rollout: { uri: string; doc: ManifestDocument }): IndexedDocument | undefined {
  if (rollout.doc.kind !== 'Rollout') return undefined;
  const ref = valueAt(rollout.doc.value, ['spec', 'workloadRef']);
  if (!isRecord(ref) || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  const kind = ref.kind;
  const from = placementOf(workspace, rollout.uri, rollout.doc);
  const namespace = from.namespace ?? 'default';
  const scope = scopeIdOf(from);
  const candidates = workspace.named(kind, ref.name).filter((c) => {
    if (c.doc.templated || !isRecord(c.doc.value)) return false;
    const at = placementOf(workspace, c.uri, c.doc);
    return (at.namespace ?? 'default') === namespace && scopeIdOf(at) === scope;
  });
  return nearest(workspace, rollout, candidates).matches[0];
}

export function describeLabels(labels: Record<string, string> | undefined): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? pairs.join(', ') : 'none';
}

export function describeWorkload(t: WorkloadTemplate): string {
  return `${t.entry.doc.kind} "${t.entry.doc.name ?? ''}"`;
}
