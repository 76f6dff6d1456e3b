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
import { workloadRefOf } from '../engine';
import { isRecord, parseManifest, type ManifestFile } from '../manifest';
import { objectsActingOn } from '../scope/acting-on-workload';
import { builtObject, builtOrDeleted, patchTarget } from '../scope/kustomize-build';
import { deletedMessage, json6902Targets, requestedBuild } from '../scope/dry-run-builds';
import { isBelow, uriToPath, WorkspaceIndex } from '../workspace';
import { KUSTOMIZATION_FILE_NAMES, patchPaths } from '../workspace/kustomize';
import { readFileBounded } from '../workspace/read-file';
import { customWorkloadRefusals, type Refusal } from '../crd/workload-refusal';
import { explicitFileRoot, type InputFile } from './inputs';
import { MAX_CHECKED_FILE_BYTES } from '../checked-file-size';

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

/**
 * The scope of the workload of the file at `given`. With `kustomization` (a kustomization file or
 * its folder), that kustomization is read and builds the file (an overlay of a base used by
 * several, as the editor's "Dry-run (overlays/prod)" lens runs it); one that does not build the
 * file, or that cannot be read, is an error, not the default build.
 */
export async function scopeOfFile(given: string, text: string, cwd: string, workload: { kind: string; name: string }, crdFiles: readonly InputFile[] = [], kustomization?: string): Promise<WorkloadScope> {
  // Links resolved, as the project folder is: the kustomization's paths are compared with it.
  const path = await fs.realpath(given).catch(() => given);
  const workspace = new WorkspaceIndex();
  const own: ManifestFile = parseManifest(text, pathToFileURL(path).href);
  workspace.set(own);
  const root = await explicitFileRoot(path, cwd);
  const reader = new ScopeReader(workspace, root, path);
  // A path that does not exist says so, rather than that it holds no kustomization.
  if (kustomization !== undefined && !(await fs.stat(resolve(cwd, kustomization)).catch(() => undefined))) throw new SimulateScopeError(`--kustomization ${kustomization}: no such file or folder`);
  const chosen = kustomization === undefined ? undefined : await reader.kustomization(resolve(cwd, kustomization));
  if (kustomization !== undefined && !chosen) throw new SimulateScopeError(`--kustomization ${kustomization}: no kustomization.yaml, kustomization.yml or Kustomization there that kdry can read inside the project folder`);
  if (!chosen) await reader.kustomizationBuilding(path);
  const folder = dirname(path);
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const mayAct = referencedKindToo(own, workload);
  for (const name of names.filter((n) => YAML_FILE.test(n) && !n.startsWith('.') && n !== basename(path)).sort()) await reader.read(join(folder, name), mayAct);
  for (const f of crdFiles) if (!workspace.get(f.uri)) workspace.set(parseManifest(f.text, f.uri));
  const asked = requestedBuild(workspace, own.uri, chosen && pathToFileURL(chosen).href);
  if ('error' in asked) throw new SimulateScopeError(`--kustomization ${kustomization}: ${asked.error}`);
  const doc = own.documents.find((d) => d.kind === workload.kind && d.name === workload.name);
  // A patch's Dry-run runs the object it patches: what acts on that object acts on it.
  const patched = doc && !asked.root ? patchTarget(workspace, own.uri, doc.value) : undefined;
  const deletion = doc && builtOrDeleted(workspace, own.uri, doc.value, asked.root).deletion;
  if (deletion && doc) throw new SimulateScopeError(deletedMessage(deletion, doc.value));
  return {
    actingOn: patched ? objectsActingOn(workspace, patched.entry, patched.root) : doc ? objectsActingOn(workspace, { uri: own.uri, doc }, asked.root) : [],
    build: (value) => builtObject(workspace, own.uri, value, asked.root),
    refusals: (release) => (doc ? customWorkloadRefusals(doc, workspace, release) : []),
  };
}

/**
 * MAY_ACT, and for an Argo Rollout with a `workloadRef` also the files that may hold the kind it
 * names (its template comes from there: rollout/templateref.go Resolve).
 */
function referencedKindToo(own: ManifestFile, workload: { kind: string; name: string }): RegExp {
  const doc = workload.kind === 'Rollout' ? own.documents.find((d) => d.kind === 'Rollout' && d.name === workload.name) : undefined;
  const kind = doc && isRecord(doc.value) ? workloadRefOf(doc.value)?.kind : undefined;
  return kind !== undefined && /^[A-Za-z][A-Za-z0-9]{0,62}$/.test(kind) ? new RegExp(`${MAY_ACT.source}|\\b${kind}\\b`) : MAY_ACT;
}

/** A kustomization asked for that cannot build the file, or a build that leaves the workload out: nothing to simulate. */
export class SimulateScopeError extends Error {}

/**
 * For a JSON 6902 patch file (a list of operations, which names no object): the file of the
 * workload the `target` of the kustomization entry that lists it selects (the one named by
 * `wanted`, `[KIND/]NAME`, else the first), with that kustomization, as the editor's Dry-run lens
 * of such a file runs it; undefined for any other file.
 */
export async function json6902Subject(given: string, text: string, cwd: string, wanted?: string): Promise<{ path: string; text: string; kustomization: string } | undefined> {
  const path = await fs.realpath(given).catch(() => given);
  const file = parseManifest(text, pathToFileURL(path).href);
  if (!file.documents.some((d) => Array.isArray(d.value))) return undefined;
  const workspace = new WorkspaceIndex();
  workspace.set(file);
  await new ScopeReader(workspace, await explicitFileRoot(path, cwd), path).kustomizationBuilding(path);
  const targets = json6902Targets(workspace, file.uri);
  const [kind, name] = wanted === undefined ? [] : wanted.includes('/') ? wanted.split('/', 2) : [undefined, wanted];
  const chosen = targets.find((t) => wanted === undefined || ((kind === undefined || t.entry.doc.kind === kind) && t.entry.doc.name === name));
  if (!chosen) {
    const listed = targets.map((t) => `${t.entry.doc.kind}/${t.entry.doc.name}`).join(', ');
    throw new SimulateScopeError(targets.length === 0 ? 'a JSON patch names no object: no kustomization kdry can read lists it with a `target` that selects a workload' : `no workload named "${wanted}" among those the patch's target selects: ${listed}`);
  }
  return { path: uriToPath(chosen.entry.uri) ?? chosen.entry.uri, text: chosen.entry.file.text, kustomization: uriToPath(chosen.root.uri) ?? chosen.root.uri };
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

  /** The kustomization at `path` (its file, or the folder that holds one), read whole: its file's path, undefined when there is none to read. */
  async kustomization(path: string): Promise<string | undefined> {
    // A path that does not exist is an error (docs/cli.md), not its parent folder's kustomization.
    const stat = await fs.stat(path).catch(() => undefined);
    if (!stat || (stat.isFile() && !KUSTOMIZATION_FILE_NAMES.includes(basename(path)))) return undefined;
    const dir = stat.isDirectory() ? path : dirname(path);
    const real = await fs.realpath(dir).catch(() => dir);
    if (real !== this.root && !isBelow(real, this.root)) return undefined;
    await this.kustomizationIn(real, new Set(), 0);
    return KUSTOMIZATION_FILE_NAMES.map((n) => join(real, n)).find((p) => this.workspace.get(pathToFileURL(p).href));
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
