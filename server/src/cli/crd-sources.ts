// The CustomResourceDefinitions a command judges custom resources with: `--crds` paths, which the
// user types and may name anywhere, and the `crds:` of the project's config, which the repository
// writes and must stay inside the project folder (as its clusterFile does). Inside a CRD folder no
// link is followed and only regular files are read. A source that cannot be read or parsed, or
// holds no CRD, is an input problem: the gate fails closed rather than call the custom resources
// that CRD would have judged clean (they are then reported as not validated: crd/unjudged.ts).
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isRecord, parseManifest, type ManifestFile } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import { holdsManifests, MANIFEST_FILE } from '../workspace/manifest-files';
import { isBelow, uriToPath } from '../workspace/uri';
import { describeIoError, readFileBounded } from '../workspace/read-file';
import { LinePositions } from './line-positions';
import { MAX_FILE_BYTES, walk, type InputFile, type InputProblem } from './inputs';
import { shownPath } from './cluster-in-force';
import type { LoadedSettings } from './config';

export interface CrdSource {
  /** Absolute path of a file or folder. */
  path: string;
  /** The real path of the project folder a config's `crds:` entry must resolve into (links included); absent for --crds. */
  confinedTo?: string;
}

export interface CrdFile extends InputFile {
  manifest: ManifestFile;
}

/** `--crds` paths (relative to the working directory), then the config's `crds:`, confined to its project folder. */
export async function crdSourcesOf(commandLine: string[], loaded: LoadedSettings, cwd: string): Promise<CrdSource[]> {
  const project = loaded.projectDir && (await fs.realpath(loaded.projectDir).catch(() => loaded.projectDir));
  return [...commandLine.map((p) => ({ path: resolve(cwd, p) })), ...loaded.crds.map((path) => ({ path, confinedTo: project }))];
}

export async function readCrdSources(sources: CrdSource[], cwd: string): Promise<{ files: CrdFile[]; problems: InputProblem[] }> {
  const files: CrdFile[] = [];
  const problems: InputProblem[] = [];
  for (const source of sources) {
    const shown = shownPath(source.path, cwd);
    const refused = source.confinedTo !== undefined ? await outsideProject(source.path, source.confinedTo) : undefined;
    if (refused) {
      problems.push({ path: shown, message: refused });
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = (await fs.stat(source.path)).isDirectory();
    } catch (e) {
      problems.push({ path: shown, message: describeIoError(e) });
      continue;
    }
    const before = files.length;
    if (isDirectory) {
      const walked = await walk(source.path);
      for (const link of walked.linkedFolders) problems.push({ path: shownPath(link, cwd), message: 'a symbolic link to a folder in a CRD folder; not followed (name its target with --crds)' });
      for (const path of walked.files.filter((p) => MANIFEST_FILE.test(p))) await readCrdFile(path, shownPath(path, cwd), false, files, problems);
    } else {
      // A file named itself is the user's (or confined above); only a folder's entries are held to noFollow.
      await readCrdFile(source.path, shown, true, files, problems);
    }
    const found = files.slice(before).some((f) => f.manifest.documents.some(isCrdDocument));
    if (!found && !problems.some((p) => p.path === shown)) problems.push({ path: shown, message: `holds no CustomResourceDefinition${isDirectory ? ' (in its *.yaml, *.yml and *.json files)' : ''}` });
  }
  return { files, problems };
}

async function readCrdFile(path: string, shown: string, named: boolean, files: CrdFile[], problems: InputProblem[]): Promise<void> {
  const read = await readFileBounded(path, { maxBytes: MAX_FILE_BYTES, text: true, noFollow: !named });
  if (!read.ok) {
    problems.push({ path: shown, message: read.reason });
    return;
  }
  // A folder's JSON files are CRDs only when they are Kubernetes objects (package.json is not).
  if (!named && !holdsManifests(path, read.text)) return;
  const uri = pathToFileURL(path).href;
  const manifest = parseManifest(read.text, uri);
  const broken = manifest.documents.flatMap((d) => d.problems).find((p) => p.severity === 'error');
  if (broken) {
    const line = new LinePositions(read.text).positionAt(broken.range[0]).line + 1;
    problems.push({ path: shown, message: `line ${line}: ${broken.message}; the CustomResourceDefinitions in this file were not read` });
    return;
  }
  files.push({ path: shown, uri, text: read.text, manifest });
}

/**
 * The CRD files a kustomization beside or above the checked files lists under `resources:` (a
 * chart-less app installs its CRDs that way): `kubectl apply -k` creates them with the app, so they
 * judge its custom resources as they do in the editor. Only files inside the working directory
 * (kustomizationsAround reads no other), not given themselves, whose every document is a CRD are
 * read; a file that cannot be read adds nothing, and the resources it would have judged stay
 * "not validated" (fail closed).
 */
export async function crdsNamedByKustomizations(workspace: WorkspaceIndex, kustomizations: readonly string[], given: ReadonlySet<string>, cwd: string): Promise<CrdFile[]> {
  const root = await fs.realpath(cwd).catch(() => cwd);
  const out: CrdFile[] = [];
  const seen = new Set(given);
  for (const uri of kustomizations) {
    const path = uriToPath(uri);
    // Parsed once, as the workspace holds it (the given ones by parseFiles, the others by the caller).
    const config = workspace.get(uri)?.documents[0]?.value;
    const resources = isRecord(config) ? config.resources : undefined;
    if (!path || !Array.isArray(resources)) continue;
    for (const entry of resources) {
      if (typeof entry !== 'string' || !MANIFEST_FILE.test(entry.trim())) continue;
      const file = resolve(dirname(path), entry.trim());
      const target = pathToFileURL(file).href;
      if (seen.has(target)) continue;
      seen.add(target);
      const read = await readFileBounded(file, { maxBytes: MAX_FILE_BYTES, root, text: true });
      if (!read.ok) continue;
      const manifest = parseManifest(read.text, target);
      if (manifest.documents.length > 0 && manifest.documents.every(isCrdDocument)) out.push({ path: shownPath(file, cwd), uri: target, text: read.text, manifest });
    }
  }
  return out;
}

function isCrdDocument(doc: ManifestFile['documents'][number]): boolean {
  return doc.kind === 'CustomResourceDefinition' && (doc.apiVersion?.startsWith('apiextensions.k8s.io/') ?? false);
}

/** Why a config's `crds:` entry is refused: it resolves (links followed) outside the project folder. */
async function outsideProject(path: string, root: string): Promise<string | undefined> {
  let real: string;
  try {
    real = await fs.realpath(path);
  } catch (e) {
    return describeIoError(e);
  }
  if (real === root || isBelow(real, root)) return undefined;
  return `resolves to ${real}, outside the project folder ${root}; a repository's config may name CRDs inside it only (--crds reads any path you name)`;
}
