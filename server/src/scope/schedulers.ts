// The scheduler names the application deploys, for a pod's `schedulerName`. kube-scheduler takes
// only the pods whose schedulerName is one of its profiles (pkg/scheduler/eventhandlers.go,
// responsibleForPod -> profiles.HandlesSchedulerName); a pod that names no running scheduler stays
// Pending and no event says why. A scheduler watches every namespace, so a name declared anywhere
// in the workspace counts, like a cluster-scoped object.
//
// Declared by a KubeSchedulerConfiguration (kubescheduler.config.k8s.io): a document of its own, or,
// as Kubernetes' "Configure Multiple Schedulers" task deploys one, the text of a ConfigMap's `data`
// value that the second scheduler's `--config` reads. A profile without `schedulerName` is
// `default-scheduler` (pkg/scheduler/apis/config/v1/defaults.go, SetDefaults_KubeSchedulerConfiguration).
// The ConfigMap may be made by a kustomization's `configMapGenerator` from a file (`files:`), whose
// text kdry reads as the generator does.
import { isRecord, type ManifestDocument, type ObjectPath } from '../manifest';
import { podTemplatePath, valueAt } from '../manifest/pod-template';
import { readYamlDocuments } from '../manifest/read-yaml';
import { uriToPath, type IndexedDocument, type WorkspaceIndex } from '../workspace';
import { generatedIn, objectsOfBuild } from './kustomize-build';
import { generatorSourcePaths } from './generator-sources';
import { SourceMemo } from './kustomize-sources';
import { unitIndex } from './scope';
import { topKustomizations, type GeneratedObject, type Unit } from './units';

/** v1.DefaultSchedulerName: what the API server sets when a pod names none (pkg/apis/core/v1/defaults.go, SetDefaults_PodSpec). */
export const DEFAULT_SCHEDULER = 'default-scheduler';

/** What the cluster does with pods that name a scheduler nobody runs: the rule's message and the hover say it. */
export const NO_SCHEDULER_CONSEQUENCE = 'Unless a scheduler of that name runs in the cluster, no scheduler takes these pods: they stay Pending and no event says why.';

/** The `schedulerName` written at `path` of a pod template, if `path` is that field. */
export function schedulerNameAt(doc: ManifestDocument, path: ObjectPath): string | undefined {
  const template = podTemplatePath(doc);
  const field = template && [...template, 'spec', 'schedulerName'];
  if (!field || field.length !== path.length || !field.every((s, i) => s === path[i])) return undefined;
  const name = valueAt(doc.value, path);
  return typeof name === 'string' && name !== '' ? name : undefined;
}

const CONFIG_GROUP = 'kubescheduler.config.k8s.io/';

export interface DeclaredScheduler {
  name: string;
  /** The KubeSchedulerConfiguration document, the ConfigMap that holds one in its `data`, or the kustomization whose generator makes that ConfigMap. */
  entry: IndexedDocument;
  /** For a ConfigMap: the `data` key whose text declares it. */
  dataKey?: string;
  /** For a generated ConfigMap: the kustomization's `configMapGenerator` entry and the ConfigMap's name. */
  generator?: { index: number; name: string };
  /** For a KubeSchedulerConfiguration document: the index of its profile. */
  profile?: number;
}

/** Profile names of one document, parsed once per document (the text of a ConfigMap is YAML). */
const declaredBy = new WeakMap<ManifestDocument, Omit<DeclaredScheduler, 'entry'>[]>();

function profileNames(config: unknown): string[] {
  if (!isRecord(config) || config.kind !== 'KubeSchedulerConfiguration' || typeof config.apiVersion !== 'string' || !config.apiVersion.startsWith(CONFIG_GROUP)) return [];
  const profiles = Array.isArray(config.profiles) && config.profiles.length > 0 ? config.profiles : [{}];
  return profiles.map((p) => (isRecord(p) && typeof p.schedulerName === 'string' && p.schedulerName !== '' ? p.schedulerName : DEFAULT_SCHEDULER));
}

function declarations(doc: ManifestDocument): Omit<DeclaredScheduler, 'entry'>[] {
  let found = declaredBy.get(doc);
  if (found) return found;
  found = profileNames(doc.value).map((name, profile) => ({ name, profile }));
  if (doc.kind === 'ConfigMap' && isRecord(doc.value)) found.push(...declaredInData(doc.value.data));
  declaredBy.set(doc, found);
  return found;
}

/** The profiles a ConfigMap's `data` texts declare, with the key of each. */
function declaredInData(data: unknown): { name: string; dataKey: string }[] {
  const found: { name: string; dataKey: string }[] = [];
  if (!isRecord(data)) return found;
  for (const [dataKey, text] of Object.entries(data)) {
    if (typeof text !== 'string' || !text.includes('KubeSchedulerConfiguration')) continue;
    // Read within the guards a manifest is read with: a hostile text declares nothing.
    for (const { value } of readYamlDocuments(text)) for (const name of profileNames(value)) found.push({ name, dataKey });
  }
  return found;
}

const perRevision = new WeakMap<WorkspaceIndex, { revision: number; written: DeclaredScheduler[]; generated: DeclaredScheduler[]; all: DeclaredScheduler[] }>();

/** Every scheduler profile the workspace declares (ConfigMaps, generated ones too, and KubeSchedulerConfiguration documents), once per revision. */
export function declaredSchedulers(workspace: WorkspaceIndex): DeclaredScheduler[] {
  const cached = perRevision.get(workspace);
  let written = cached?.revision === workspace.revision ? cached.written : undefined;
  if (!written) {
    written = [];
    // A file a generator reads is deployed as the ConfigMap it makes, as its build leaves it (generatedSchedulers).
    const sources = generatorSourcePaths(workspace);
    for (const kind of ['KubeSchedulerConfiguration', 'ConfigMap']) {
      for (const entry of workspace.documents(kind)) if (!sources.has(uriToPath(entry.uri) ?? '')) for (const d of declarations(entry.doc)) written.push({ ...d, entry });
    }
  }
  const generated = generatedSchedulers(workspace);
  if (cached?.revision === workspace.revision && cached.generated === generated) return cached.all;
  const all = [...written, ...generated];
  perRevision.set(workspace, { revision: workspace.revision, written, generated, all });
  return all;
}

/** The generated profiles: once per revision, and again only when a file a generator reads changes (they are not manifests: no revision follows). */
const generatedMemo = new SourceMemo<WorkspaceIndex, DeclaredScheduler[]>();

/**
 * The profiles of ConfigMaps kustomizations generate, as each build deploys them: a base's
 * ConfigMap as the overlays that build it leave it (`behavior: merge` adds or overrides keys,
 * `replace` drops the base's; kustomize-build.ts generatedIn), a kustomization no other builds
 * as itself. The place of each profile is the generator entry that wrote its key.
 */
function generatedSchedulers(workspace: WorkspaceIndex): DeclaredScheduler[] {
  return generatedMemo.get(workspace, workspace, '', () => {
    const out: DeclaredScheduler[] = [];
    // Overlays that build one base each see the base's generator write its keys: one place, not one per overlay.
    const seen = new Set<string>();
    for (const root of builds(workspace)) {
      for (const g of objectsOfBuild(workspace, root).generated) {
        if (g.kind !== 'ConfigMap') continue;
        const built = generatedIn(workspace, root, 'ConfigMap', g.name, g.chain[0]);
        for (const d of declaredInData(built?.object.value.data)) {
          const writer = writerOf(g.chain, g.name, d.dataKey);
          const file = writer && workspace.get(writer.unit.uri);
          const doc = file?.documents[0];
          if (!writer || !file || !doc) continue;
          const place = `${writer.unit.uri}|${writer.generator.index}|${d.dataKey}|${d.name}`;
          if (seen.has(place)) continue;
          seen.add(place);
          out.push({ ...d, entry: { uri: writer.unit.uri, file, doc }, generator: { index: writer.generator.index, name: g.name } });
        }
      }
    }
    return out;
  });
}

/** The kustomizations no other one builds: what `kustomize build` is run on. */
function builds(workspace: WorkspaceIndex): Unit[] {
  const kustomizations = [...unitIndex(workspace).units()].filter((u) => u.kind === 'kustomization');
  // A loop of kustomizations building each other (refused by kustomize) leaves none out for it.
  return topKustomizations(kustomizations, { loops: true });
}

/**
 * The generator entry that wrote a key of a generated ConfigMap: the outermost one of the chain
 * (innermost first) that `replace`s it, or `merge`s that key, else its creator.
 */
function writerOf(chain: readonly Unit[], name: string, dataKey: string): { unit: Unit; generator: GeneratedObject } | undefined {
  for (const unit of [...chain].reverse()) {
    const generator = unit.generated.find((g) => g.kind === 'ConfigMap' && g.name === name && (g.behavior === 'replace' || (g.behavior === 'merge' && g.keys?.has(dataKey) !== false)));
    if (generator) return { unit, generator };
  }
  const creator = chain[0]?.generated.find((g) => g.kind === 'ConfigMap' && g.name === name && g.behavior === 'create');
  return creator && { unit: chain[0], generator: creator };
}
