// The links between objects as places in files, for the editor: where a reference or a selector
// leads (definition, document links), what leads to an object or a label (references), and every
// place a rename must change. Same scope model and references as the rules, so the editor and the
// diagnostics agree on what refers to what.
import { isRecord, keyRange, pathAtOffset, valueRange, type ManifestDocument, type ManifestFile, type ObjectPath, type Offsets } from '../manifest';
import { podsTemplatePath, valueAt } from '../manifest/pod-template';
import { templatesMatching, templatesSelectedBy, type WorkloadTemplate } from './workspace-lookup';
import { labelSelectorMatches, serviceSelectorMatches, type LabelSelector } from '../k8s/labels';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { referencesOf, type ObjectReference } from './references';
import { TEMPLATE_PLACEHOLDER } from '../manifest/template-mask';
import { templatedReferencesInChart, type TemplatedName } from './chart-templates';
import { resolveReference } from './resolve';
import { buildChain, templateLabelsAddedBy } from './kustomize-build';
import { nameForms } from './built-names';
import { referencesNaming, selectorsFor, SELECTOR_PATHS } from './link-index';
import { declaredSchedulers, schedulerNameAt, type DeclaredScheduler } from './schedulers';
import { kustomizeReferencesTo } from './kustomize-name-references';
import { baseNameAt, kustomizeReferencesAt } from './kustomize-reference-at';

export interface Place {
  uri: string;
  range: Offsets;
}

export interface Link {
  /** Where the reference is written. */
  range: Offsets;
  target: Place;
}

/** The document of `file` that holds `offset`. */
function documentAt(file: ManifestFile, offset: number): ManifestDocument | undefined {
  return file.documents.find((d) => offset >= d.range[0] && offset <= d.range[1] && !d.templated && d.value !== undefined);
}

export function samePath(a: ObjectPath, b: ObjectPath): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function startsWith(path: ObjectPath, prefix: ObjectPath): boolean {
  return path.length >= prefix.length && prefix.every((s, i) => s === path[i]);
}

function nameOf(entry: IndexedDocument): Place {
  return { uri: entry.uri, range: valueRange(entry.doc, ['metadata', 'name']) ?? entry.doc.range };
}

/** The key a reference takes from a ConfigMap or Secret, where the object defines it. */
function keyPlace(entry: IndexedDocument, key: string): Place | undefined {
  for (const field of ['data', 'stringData', 'binaryData']) {
    const range = keyRange(entry.doc, [field, key]);
    if (range) return { uri: entry.uri, range };
  }
  return undefined;
}

/** Pod templates a selector-bearing document selects (Service, PodDisruptionBudget, NetworkPolicy), nearest first. */
function selectedTemplates(workspace: WorkspaceIndex, from: IndexedDocument): { selectorPath: ObjectPath; templates: WorkloadTemplate[] } | undefined {
  const { doc } = from;
  const selectorPath = SELECTOR_PATHS.find(([kind]) => kind === doc.kind)?.[1];
  if (doc.kind === 'Service') return { selectorPath: selectorPath!, templates: templatesSelectedBy(workspace, from).templates };
  const selector = selectorPath && valueAt(doc.value, selectorPath);
  if (!selectorPath || !isRecord(selector)) return undefined;
  return { selectorPath, templates: templatesMatching(workspace, from, selector as LabelSelector).templates };
}

function labelsPath(t: WorkloadTemplate): ObjectPath {
  return t.template.labelsPath;
}

/** Where the reference, selector or schedulerName under `offset` leads. */
export function definitionsAt(workspace: WorkspaceIndex, file: ManifestFile, offset: number): Place[] {
  const named = kustomizeReferencesAt(workspace, file, offset);
  if (named.length > 0) return named.flatMap(({ target }) => nameOf(target));
  const doc = documentAt(file, offset);
  const at = doc && pathAtOffset(doc, offset);
  if (!doc || !at) return templateDefinitionsAt(workspace, file, offset);
  const from = { uri: file.uri, file, doc };
  const referenced = referenceDefinitions(workspace, from, referencesOf(doc), at.path);
  if (referenced) return referenced;
  const scheduler = schedulerNameAt(doc, at.path);
  if (scheduler !== undefined) return profilesDeclaring(workspace, scheduler).map(profilePlace);
  const selected = selectedTemplates(workspace, from);
  if (selected && startsWith(at.path, selected.selectorPath)) {
    // On one label of the selector: that label in each template; elsewhere: the templates' labels.
    const label = at.path.length > selected.selectorPath.length ? at.path[at.path.length - 1] : undefined;
    return selected.templates.map((t) => ({
      uri: t.entry.uri,
      range: (typeof label === 'string' && keyRange(t.entry.doc, [...labelsPath(t), label])) || keyRange(t.entry.doc, labelsPath(t)) || t.entry.doc.range,
    }));
  }
  return [];
}

/** Where the reference whose name (or key) is written at `path` leads; undefined when none is written there. */
function referenceDefinitions(workspace: WorkspaceIndex, from: IndexedDocument, refs: readonly ObjectReference[], path: ObjectPath): Place[] | undefined {
  for (const ref of refs) {
    if (samePath(path, ref.path)) return resolveReference(workspace, from, ref).matches.map(nameOf);
    if (ref.key && samePath(path, ref.key.path)) {
      return resolveReference(workspace, from, ref).matches.flatMap((m) => keyPlace(m, ref.key!.name) ?? nameOf(m));
    }
  }
  return undefined;
}

/**
 * In a Go/Helm template: a reference whose name is written literally leads where it would in any
 * document (its hover says so); one whose name is made by template actions leads nowhere: kdry
 * does not guess (scope/template-references.ts).
 */
function templateDefinitionsAt(workspace: WorkspaceIndex, file: ManifestFile, offset: number): Place[] {
  const view = file.documents.find((d) => d.templated && offset >= d.range[0] && offset <= d.range[1])?.template?.document;
  const at = view && pathAtOffset(view, offset);
  if (!view || !at) return [];
  const literal = referencesOf(view).filter((r) => !r.name.includes(TEMPLATE_PLACEHOLDER));
  return referenceDefinitions(workspace, { uri: file.uri, file, doc: view }, literal, at.path) ?? [];
}

/** The scheduler profiles of the workspace named `name`: a KubeSchedulerConfiguration's, or a ConfigMap's text that holds one. */
export function profilesDeclaring(workspace: WorkspaceIndex, name: string): DeclaredScheduler[] {
  return declaredSchedulers(workspace).filter((s) => s.name === name);
}

/** Where a profile declares its scheduler: the profile's `schedulerName`, the ConfigMap key whose text holds it, or the generator entry that makes that ConfigMap. */
export function profilePlace(s: DeclaredScheduler): Place {
  const range = s.generator
    ? valueRange(s.entry.doc, ['configMapGenerator', s.generator.index])
    : s.dataKey !== undefined
      ? keyRange(s.entry.doc, ['data', s.dataKey])
      : valueRange(s.entry.doc, ['profiles', s.profile ?? 0, 'schedulerName']);
  return { uri: s.entry.uri, range: range ?? s.entry.doc.range };
}

/** Every reference written in the file that resolves (a `schedulerName` to its profile), as a clickable range and its target. */
export function linksOf(workspace: WorkspaceIndex, file: ManifestFile): Link[] {
  const links: Link[] = [];
  for (const written of file.documents) {
    // A template's literal references link as definitionsAt follows them; nothing else of it does.
    const doc = written.templated ? written.template?.document : written;
    if (!doc || doc.value === undefined) continue;
    for (const ref of referencesOf(doc)) {
      if (written.templated && ref.name.includes(TEMPLATE_PLACEHOLDER)) continue;
      const [target] = resolveReference(workspace, { uri: file.uri, doc }, ref).matches;
      const path = ref.key?.path ?? ref.path;
      const range = valueRange(doc, path);
      if (!target || !range) continue;
      links.push({ range, target: (ref.key && keyPlace(target, ref.key.name)) || nameOf(target) });
    }
    const template = written.templated ? undefined : podsTemplatePath(doc);
    const schedulerPath = template && [...template, 'spec', 'schedulerName'];
    const scheduler = schedulerPath && schedulerNameAt(doc, schedulerPath);
    const [profile] = scheduler ? profilesDeclaring(workspace, scheduler) : [];
    const range = profile && valueRange(doc, schedulerPath!);
    if (range) links.push({ range, target: profilePlace(profile) });
  }
  return links;
}

/** Every place that refers to the object named at `offset` (its `metadata.name`; for a workload, also each selector of its pods) or selects the pod template labels there. */
export function referencesAt(workspace: WorkspaceIndex, file: ManifestFile, offset: number): Place[] {
  const doc = documentAt(file, offset);
  const at = doc && pathAtOffset(doc, offset);
  if (!doc || !at) return [];
  const self: IndexedDocument = { uri: file.uri, file, doc };
  const selecting = () => [...selectors(workspace, self)].map((s) => ({ uri: s.entry.uri, range: keyRange(s.entry.doc, s.selectorPath) ?? s.entry.doc.range }));
  // From a workload's name: what names it (its HPA) and what selects its pods (Services, PDBs,
  // NetworkPolicies), as issue #12 asks ("everything that selects or names it") and the CodeLens lists.
  // Also the kustomizations building it that name it (replicas:, patch targets, patch files): kustomize matches them by name.
  if (samePath(at.path, ['metadata', 'name'])) return [...[...referrers(workspace, self)].map((r) => r.place), ...kustomizeReferencesTo(workspace, self).map(({ uri, range }) => ({ uri, range })), ...selecting()];
  const template = podsTemplatePath(doc);
  if (template && startsWith(at.path, [...template, 'metadata', 'labels'])) return selecting();
  return [];
}

/**
 * Every reference (by name) that resolves to `target`: those written to its name (an index, not a
 * scan), resolved in scope. An object of a kustomization with `namePrefix`/`nameSuffix` is named
 * from outside it by the name kustomize builds (`prod-web-config`, or `b-a-web` through two
 * kustomizations: resolve.ts `namedAsBuilt`):
 * those references come too, with the `renamed` form a rename must write.
 */
function* referrers(workspace: WorkspaceIndex, target: IndexedDocument): Iterable<{ entry: IndexedDocument; ref: ObjectReference; place: Place; renamed: (name: string) => string }> {
  const { kind, name } = target.doc;
  if (!kind || !name) return;
  // Each name it is built as once (built-names.ts: stacked prefixes compose, `b-a-web`).
  const tried = new Set<string>();
  for (const { rename: renamed } of nameForms(workspace, target.uri, kind)) {
    if (tried.has(renamed(name))) continue;
    tried.add(renamed(name));
    for (const { entry, ref } of referencesNaming(workspace, kind, renamed(name))) {
      if (!resolveReference(workspace, entry, ref).matches.some((m) => m.doc === target.doc)) continue;
      const range = valueRange(entry.doc, ref.path);
      if (range) yield { entry, ref, place: { uri: entry.uri, range }, renamed };
    }
  }
}

/** Services, disruption budgets and network policies whose selector selects the pod template of `workload`. */
export function* selectors(workspace: WorkspaceIndex, workload: IndexedDocument): Iterable<{ entry: IndexedDocument; selectorPath: ObjectPath }> {
  const written = ownTemplate(workload)?.template.labels;
  if (!written) return;
  // With the labels its kustomizations add: a selector may select it by one of those only.
  const added = templateLabelsAddedBy(workspace, buildChain(workspace, workload.uri), workload.doc.kind);
  const labels = added ? { ...written, ...added } : written;
  // Only a selector that matches the workload's labels can select it: the scope lookup below
  // (which lists the nearest templates) runs for those few, found through the index.
  for (const entry of selectorsFor(workspace, labels)) {
    if (!selectorMatches(entry.doc, labels)) continue;
    const selected = selectedTemplates(workspace, entry);
    if (selected?.templates.some((t) => t.entry.doc === workload.doc)) yield { entry, selectorPath: selected.selectorPath };
  }
}

export interface RenameEdit {
  uri: string;
  range: Offsets;
  newText: string;
}

/**
 * The edits that rename what is at `offset`: an object's name (with every reference to it), or a
 * pod template label key or value (with the selectors in scope that use it, and the workload's own
 * `selector`). Undefined when nothing renamable is there.
 */
export function renameAt(workspace: WorkspaceIndex, file: ManifestFile, offset: number, newText: string): RenameEdit[] | undefined {
  // A kustomization's `replicas: - name: web` (a patch target's name, ...): rename the object it names, from its own name.
  const [named, ...others] = kustomizeReferencesAt(workspace, file, offset);
  if (named && others.length === 0) {
    const own = valueRange(named.target.doc, ['metadata', 'name']);
    return own ? renameAt(workspace, named.target.file, own[0], baseNameAt(named.reference, newText)) : undefined;
  }
  const doc = documentAt(file, offset);
  const at = doc && pathAtOffset(doc, offset);
  if (!doc || !at) return undefined;
  const self: IndexedDocument = { uri: file.uri, file, doc };
  if (samePath(at.path, ['metadata', 'name']) && !at.onKey) {
    const own = valueRange(doc, ['metadata', 'name']);
    if (!own) return undefined;
    return [
      { uri: file.uri, range: own, newText },
      ...[...referrers(workspace, self)].map((r) => ({ ...r.place, newText: r.renamed(newText) })),
      ...kustomizeReferencesTo(workspace, self).map((r) => ({ uri: r.uri, range: r.range, newText: r.renamed(newText) })),
    ];
  }
  const label = labelAt(workspace, self, at.path);
  if (!label) return undefined;
  return labelEdits(workspace, label, at.onKey ? 'key' : 'value', newText);
}

/**
 * When a rename at `offset` renames an object: the references of its chart whose names are made by
 * template actions. Any of them may name it, kdry cannot tell without rendering the chart, so the
 * rename leaves them alone and the editor says so (lsp/navigation.ts renameLeftAlone).
 */
export function templatedReferencesLeftAlone(workspace: WorkspaceIndex, file: ManifestFile, offset: number): { kind: string; name: string; references: TemplatedName[] } | undefined {
  const doc = documentAt(file, offset);
  const at = doc && pathAtOffset(doc, offset);
  if (!doc || !at || at.onKey || !samePath(at.path, ['metadata', 'name']) || !doc.kind || !doc.name) return undefined;
  const references = templatedReferencesInChart(workspace, { uri: file.uri, doc }, doc.kind);
  return references.length ? { kind: doc.kind, name: doc.name, references } : undefined;
}

interface LabelHit {
  key: string;
  value: string;
  templates: WorkloadTemplate[];
}

/** The label under the cursor: in a pod template's labels, or in a selector (then the templates it selects). */
function labelAt(workspace: WorkspaceIndex, self: IndexedDocument, path: ObjectPath): LabelHit | undefined {
  const key = path[path.length - 1];
  if (typeof key !== 'string') return undefined;
  const template = podsTemplatePath(self.doc);
  if (template && samePath(path, [...template, 'metadata', 'labels', key])) {
    const value = valueAt(self.doc.value, path);
    const own = ownTemplate(self);
    return own && value !== undefined ? { key, value: String(value), templates: [own] } : undefined;
  }
  const selected = selectedTemplates(workspace, self);
  if (!selected) return undefined;
  const within = path.slice(0, -1);
  const labelMap = self.doc.kind === 'Service' ? selected.selectorPath : [...selected.selectorPath, 'matchLabels'];
  if (!samePath(within, labelMap)) return undefined;
  const value = valueAt(self.doc.value, path);
  return value === undefined ? undefined : { key, value: String(value), templates: selected.templates };
}

function selectorMatches(doc: ManifestDocument, labels: Record<string, string>): boolean {
  const path = SELECTOR_PATHS.find(([kind]) => kind === doc.kind)?.[1];
  const selector = path && valueAt(doc.value, path);
  if (!isRecord(selector)) return false;
  return doc.kind === 'Service' ? serviceSelectorMatches(selector as Record<string, string>, labels) : labelSelectorMatches(selector as LabelSelector, labels);
}

/** The pod template of a workload as a selector target (labels only). */
function ownTemplate(self: IndexedDocument): WorkloadTemplate | undefined {
  const path = podsTemplatePath(self.doc);
  const labelsPath = path && [...path, 'metadata', 'labels'];
  const labels = labelsPath && valueAt(self.doc.value, labelsPath);
  if (!path || !labelsPath || !isRecord(labels)) return undefined;
  const strings = Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)]));
  return { entry: self, template: { path, labelsPath, labels: strings, containers: [] } };
}

/** Rename `key=value` in the templates, their workloads' selectors and every selector in scope that selects them by it. */
function labelEdits(workspace: WorkspaceIndex, label: LabelHit, part: 'key' | 'value', newText: string): RenameEdit[] {
  const edits = new Map<string, RenameEdit>();
  const add = (entry: IndexedDocument, labelsAt: ObjectPath) => {
    if (valueAt(entry.doc.value, [...labelsAt, label.key]) === undefined || String(valueAt(entry.doc.value, [...labelsAt, label.key])) !== label.value) return;
    const range = part === 'key' ? keyRange(entry.doc, [...labelsAt, label.key]) : valueRange(entry.doc, [...labelsAt, label.key]);
    if (range) edits.set(`${entry.uri}#${range[0]}`, { uri: entry.uri, range, newText });
  };
  for (const t of label.templates) {
    add(t.entry, labelsPath(t));
    if (t.entry.doc.kind !== 'Pod') add(t.entry, isRecord(valueAt(t.entry.doc.value, ['spec', 'selector', 'matchLabels'])) ? ['spec', 'selector', 'matchLabels'] : ['spec', 'selector']);
    for (const s of selectors(workspace, t.entry)) add(s.entry, s.entry.doc.kind === 'Service' ? s.selectorPath : [...s.selectorPath, 'matchLabels']);
  }
  return [...edits.values()];
}
