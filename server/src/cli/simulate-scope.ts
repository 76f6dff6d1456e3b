// What `kdry simulate` reads beside the file: the YAML files of its folder, so that the
// HorizontalPodAutoscaler, PodDisruptionBudgets, LimitRanges, ResourceQuotas and Namespace in the
// workload's scope (docs/scope.md: the same file, kustomization, folder) act on it as the editor's
// Dry-run has them act, the folder's kustomization builds the objects, and the
// CustomResourceDefinitions there (and from --crds) judge a custom workload such as an Argo
// Rollout before it is simulated (crd/workload-refusal.ts). Files are read as
// `kdry check` reads them (regular files inside the folder, at most the 2 MB it parses); only
// those that name one of those kinds, or are kustomizations, are parsed (a cluster file of
// 100,000 Nodes beside the manifest is never read); one that cannot be read is skipped, never an
// error of the simulation.
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseManifest, type ManifestFile } from '../manifest';
import { objectsActingOn } from '../scope/acting-on-workload';
import { builtObject } from '../scope/kustomize-build';
import { WorkspaceIndex } from '../workspace';
import { readFileBounded } from '../workspace/read-file';
import { customWorkloadRefusals, type Refusal } from '../crd/workload-refusal';
import { explicitFileRoot, type InputFile } from './inputs';
import { MAX_CHECKED_FILE_BYTES } from '../check';

/** Files of the folder read at most: a folder of thousands of manifests is not one application. */
const MAX_FOLDER_FILES = 500;
const YAML_FILE = /\.ya?ml$/i;
/** Kinds that act on a workload, its admission or its schema, and the kustomization that makes a folder one unit. */
const MAY_ACT = /\b(HorizontalPodAutoscaler|PodDisruptionBudget|LimitRange|ResourceQuota|Namespace|CustomResourceDefinition|Kustomization|resources:)/;

export interface WorkloadScope {
  /** The objects of the folder that act on the workload (objectsActingOn). */
  actingOn: unknown[];
  /** An object of the simulated file as its kustomization builds it (scope/kustomize-build.ts). */
  build(value: unknown): unknown;
  /** What the API server refuses a custom workload with by its CRD schema; [] for the others. */
  refusals: Refusal[];
}

export async function scopeOfFile(path: string, text: string, cwd: string, workload: { kind: string; name: string }, crdFiles: readonly InputFile[] = []): Promise<WorkloadScope> {
  const workspace = new WorkspaceIndex();
  const own: ManifestFile = parseManifest(text, pathToFileURL(path).href);
  workspace.set(own);
  const folder = dirname(path);
  const root = await explicitFileRoot(path, cwd);
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const siblings = names.filter((n) => YAML_FILE.test(n) && !n.startsWith('.') && n !== basename(path)).sort().slice(0, MAX_FOLDER_FILES);
  for (const name of siblings) {
    const read = await readFileBounded(join(folder, name), { maxBytes: MAX_CHECKED_FILE_BYTES, root, text: true });
    if (read.ok && MAY_ACT.test(read.text)) workspace.set(parseManifest(read.text, pathToFileURL(join(folder, name)).href));
  }
  for (const f of crdFiles) if (!workspace.get(f.uri)) workspace.set(parseManifest(f.text, f.uri));
  const doc = own.documents.find((d) => d.kind === workload.kind && d.name === workload.name);
  return {
    actingOn: doc ? objectsActingOn(workspace, { uri: own.uri, doc }) : [],
    build: (value) => builtObject(workspace, own.uri, value),
    refusals: doc ? customWorkloadRefusals(doc, workspace) : [],
  };
}
