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
import { parseAllDocuments } from 'yaml';
import { isRecord, type ManifestDocument, type ObjectPath } from '../manifest';
import { podTemplatePath, valueAt } from '../manifest/pod-template';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { generate } from './kustomize-generators';
import { SourceMemo } from './kustomize-sources';
import { unitIndex } from './scope';
import type { Unit } from './units';

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
    for (const embedded of parseAllDocuments(text)) {
      if (embedded.errors.length > 0) continue;
      // An alias bomb in a ConfigMap's text is refused by toJS, not expanded.
      let value: unknown;
      try {
        value = embedded.toJS({ maxAliasCount: 100 });
      } catch {
        continue;
      }
      for (const name of profileNames(value)) found.push({ name, dataKey });
    }
  }
  return found;
}

/** A kustomization's generated ConfigMaps' declarations, read again only when a generator's file changes. */
const generatedMemo = new SourceMemo<Unit, Omit<DeclaredScheduler, 'entry'>[]>();

function declaredByGenerators(workspace: WorkspaceIndex, unit: Unit): Omit<DeclaredScheduler, 'entry'>[] {
  return generatedMemo.get(workspace, unit, '', () =>
    unit.generated
      .filter((g) => g.field === 'configMapGenerator')
      .flatMap((g) => declaredInData(generate(workspace, unit, g)?.value.data).map((d) => ({ ...d, generator: { index: g.index, name: g.name } }))),
  );
}

const perRevision = new WeakMap<WorkspaceIndex, { revision: number; schedulers: DeclaredScheduler[] }>();

/** Every scheduler profile the workspace declares (ConfigMaps and KubeSchedulerConfiguration documents), once per revision. */
export function declaredSchedulers(workspace: WorkspaceIndex): DeclaredScheduler[] {
  const cached = perRevision.get(workspace);
  let schedulers = cached?.revision === workspace.revision ? cached.schedulers : undefined;
  if (!schedulers) {
    schedulers = [];
    for (const kind of ['KubeSchedulerConfiguration', 'ConfigMap']) {
      for (const entry of workspace.documents(kind)) for (const d of declarations(entry.doc)) schedulers.push({ ...d, entry });
    }
    perRevision.set(workspace, { revision: workspace.revision, schedulers });
  }
  return [...schedulers, ...generatedSchedulers(workspace)];
}

/** The profiles of ConfigMaps kustomizations generate (their files may change without a workspace revision: each is memoized on its sources). */
function generatedSchedulers(workspace: WorkspaceIndex): DeclaredScheduler[] {
  const out: DeclaredScheduler[] = [];
  for (const unit of unitIndex(workspace).units()) {
    if (unit.kind !== 'kustomization' || !unit.generated.some((g) => g.field === 'configMapGenerator')) continue;
    const declared = declaredByGenerators(workspace, unit);
    const file = declared.length ? workspace.get(unit.uri) : undefined;
    const doc = file?.documents[0];
    if (file && doc) for (const d of declared) out.push({ ...d, entry: { uri: unit.uri, file, doc } });
  }
  return out;
}
