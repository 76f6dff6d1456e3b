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
import { parseAllDocuments } from 'yaml';
import { isRecord, type ManifestDocument, type ObjectPath } from '../manifest';
import { podTemplatePath, valueAt } from '../manifest/pod-template';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';

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
  /** The KubeSchedulerConfiguration document, or the ConfigMap that holds one in its `data`. */
  entry: IndexedDocument;
  /** For a ConfigMap: the `data` key whose text declares it. */
  dataKey?: string;
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
  const data = doc.kind === 'ConfigMap' && isRecord(doc.value) ? doc.value.data : undefined;
  if (isRecord(data)) {
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
  }
  declaredBy.set(doc, found);
  return found;
}

const perRevision = new WeakMap<WorkspaceIndex, { revision: number; schedulers: DeclaredScheduler[] }>();

/** Every scheduler profile the workspace declares (ConfigMaps and KubeSchedulerConfiguration documents), once per revision. */
export function declaredSchedulers(workspace: WorkspaceIndex): DeclaredScheduler[] {
  const cached = perRevision.get(workspace);
  if (cached?.revision === workspace.revision) return cached.schedulers;
  const schedulers: DeclaredScheduler[] = [];
  for (const kind of ['KubeSchedulerConfiguration', 'ConfigMap']) {
    for (const entry of workspace.documents(kind)) for (const d of declarations(entry.doc)) schedulers.push({ ...d, entry });
  }
  perRevision.set(workspace, { revision: workspace.revision, schedulers });
  return schedulers;
}
