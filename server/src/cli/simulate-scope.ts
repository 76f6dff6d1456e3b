// What `kdry simulate` reads beside the file: the kustomization that builds it, whole, and the
// YAML files of its folder, so that the HorizontalPodAutoscaler, PodDisruptionBudgets,
// LimitRanges, ResourceQuotas and Namespace in the workload's scope (docs/scope.md: the same file,
// kustomization, folder) act on it as the editor's Dry-run has them act, the kustomization builds
// the objects (its resources and bases in other folders, with their names, labels and patches),
// and the CustomResourceDefinitions there (and from --crds) judge a custom workload such as an
// Argo Rollout before it is simulated (crd/workload-refusal.ts).
// - The kustomization: the nearest one, in the file's folder or a folder above it inside the
//   project folder, whose build lists the file (as a resource or a patch); its resources, bases,
//   components and patch files are read, and those of the kustomizations they name.
// - The folder: only files that name one of the kinds that act, or are kustomizations, are parsed
//   (a cluster file of 100,000 Nodes beside the manifest is never read).
// Files are read as `kdry check` reads them (regular files inside the project folder, at most the
// 2 MB it parses), at most MAX_SCOPE_FILES of them; one that cannot be read is skipped, never an
// error of the simulation.
import { promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isRecord, parseManifest, type ManifestFile } from '../manifest';
import { objectsActingOn } from '../scope/acting-on-workload';
import { builtObject, patchTarget } from '../scope/kustomize-build';
import { isBelow, WorkspaceIndex } from '../workspace';
import { KUSTOMIZATION_FILE_NAMES, patchPaths } from '../workspace/kustomize';
import { readFileBounded } from '../workspace/read-file';
import { customWorkloadRefusals, type Refusal } from '../crd/workload-refusal';
import { explicitFileRoot, type InputFile } from './inputs';
import { MAX_CHECKED_FILE_BYTES } from '../check';

/** Files read at most: a folder or kustomization of thousands of manifests is not one application. */
const MAX_SCOPE_FILES = 500;
/** Kustomizations nested deeper than this are not followed (as units.ts). */
const MAX_KUSTOMIZATION_DEPTH = 16;
const YAML_FILE = /\.ya?ml$/i;
/** Kinds that act on a workload, its admission or its schema, and the kustomization that makes a folder one unit. */
const MAY_ACT = /\b(HorizontalPodAutoscaler|PodDisruptionBudget|LimitRange|ResourceQuota|Namespace|CustomResourceDefinition|Kustomization|resources:)/;

export interface WorkloadScope {
  /** The objects of the folder that act on the workload (objectsActingOn). */
  actingOn: unknown[];
  /** An object of the simulated file as its kustomization builds it (scope/kustomize-build.ts). */
  build(value: unknown): unknown;
  /** What the API server of `release` refuses a custom workload with by its CRD schema (its CEL settings are the release's); [] for the others. */
  refusals(release: string): Refusal[];
}

export async function scopeOfFile(given: string, text: string, cwd: string, workload: { kind: string; name: string }, crdFiles: readonly InputFile[] = []): Promise<WorkloadScope> {
  // Links resolved, as the project folder is: the kustomization's paths are compared with it.
  const path = await fs.realpath(given).catch(() => given);
  const workspace = new WorkspaceIndex();
  const own: ManifestFile = parseManifest(text, pathToFileURL(path).href);
  workspace.set(own);
  const root = await explicitFileRoot(path, cwd);
  const reader = new ScopeReader(workspace, root, path);
  await reader.kustomizationBuilding(path);
  const folder = dirname(path);
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  for (const name of names.filter((n) => YAML_FILE.test(n) && !n.startsWith('.') && n !== basename(path)).sort()) await reader.read(join(folder, name), MAY_ACT);
  for (const f of crdFiles) if (!workspace.get(f.uri)) workspace.set(parseManifest(f.text, f.uri));
  const doc = own.documents.find((d) => d.kind === workload.kind && d.name === workload.name);
  // A patch's Dry-run runs the object it patches: what acts on that object acts on it.
  const patched = doc && patchTarget(workspace, own.uri, doc.value);
  return {
    actingOn: patched ? objectsActingOn(workspace, patched.entry, patched.root) : doc ? objectsActingOn(workspace, { uri: own.uri, doc }) : [],
    build: (value) => builtObject(workspace, own.uri, value),
    refusals: (release) => (doc ? customWorkloadRefusals(doc, workspace, release) : []),
  };
}

/** Reads files into the workspace, each once, inside the project folder and the file budget. */
class ScopeReader {
  private readonly seen = new Set<string>();

  constructor(
    private readonly workspace: WorkspaceIndex,
    private readonly root: string,
    own: string,
  ) {
    this.seen.add(own);
  }

  /** Reads the file (when `only` is given, parses it only if its text matches); its text, if read. */
  async read(path: string, only?: RegExp): Promise<string | undefined> {
    if (this.seen.has(path) || this.seen.size > MAX_SCOPE_FILES) return undefined;
    this.seen.add(path);
    const read = await readFileBounded(path, { maxBytes: MAX_CHECKED_FILE_BYTES, root: this.root, text: true });
    if (!read.ok || (only && !only.test(read.text))) return undefined;
    this.workspace.set(parseManifest(read.text, pathToFileURL(path).href));
    return read.text;
  }

  /** The nearest kustomization, in the file's folder or above it inside the project folder, whose build lists the file: read whole. */
  async kustomizationBuilding(file: string): Promise<void> {
    for (let dir = dirname(file); dir === this.root || isBelow(dir, this.root); dir = dirname(dir)) {
      const members = new Set<string>();
      await this.kustomizationIn(dir, members, 0);
      if (members.has(file) || dirname(dir) === dir) return;
    }
  }

  /** Reads the kustomization of `dir`, its resources, bases, components and patches, and the kustomizations they name; `members` gets every file listed. */
  private async kustomizationIn(dir: string, members: Set<string>, depth: number): Promise<void> {
    if (depth > MAX_KUSTOMIZATION_DEPTH) return;
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      const path = join(dir, name);
      if (this.seen.has(path)) return;
      const text = await this.read(path);
      if (text === undefined) continue;
      const config = this.workspace.get(pathToFileURL(path).href)?.documents[0]?.value;
      if (!isRecord(config)) return;
      for (const patch of patchPaths(path, config)) (members.add(patch), await this.read(patch));
      for (const field of ['resources', 'bases', 'components']) {
        for (const entry of Array.isArray(config[field]) ? config[field] : []) {
          if (typeof entry !== 'string' || entry.includes('://')) continue;
          const target = resolve(dir, entry);
          const stat = await fs.stat(target).catch(() => undefined);
          if (stat?.isDirectory()) await this.kustomizationIn(target, members, depth + 1);
          else if (stat?.isFile()) (members.add(target), await this.read(target));
        }
      }
      return;
    }
  }
}
