// The CLI's settings: the same shape as the editor's `kdry.*` settings, read from --config or from
// `.kdry/config.yaml` (or .yml, .json) in the working directory or a folder above it, up to the
// repository root (the nearest folder above with `.git`); outside a repository, the working
// directory only. A config above the checkout (a shared CI runner's home, a parent checkout) must
// not decide what a repository's check says.
import { promises as fs } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { readYamlDocuments } from '../manifest/read-yaml';
import { DEFAULT_SETTINGS, POD_SECURITY_LEVEL_SETTINGS, RULE_SETTINGS, type KdrySettings, type PodSecurityLevelSetting, type RuleSetting } from '../settings';
import { releaseOf } from '../k8s/release-version';
import { namedRelease, releaseInForce, type ReleaseInForce } from '../release-in-force';
import type { ResolvedCluster } from '../workspace/cluster-file';
import { readFileBounded } from '../workspace/read-file';
import { isBelow } from '../workspace/uri';
import { excludePatternProblem, type ExcludePattern } from '../workspace/exclude';

const CONFIG_NAMES = ['.kdry/config.yaml', '.kdry/config.yml', '.kdry/config.json'];
/** A settings file is a few lines; anything near this size is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export class ConfigError extends Error {}

/**
 * The editor's defaults, with `kubernetesVersion` '' (automatic) until the config names a release:
 * the release in force is then resolved from the cluster file's kubelets (releaseForCommand).
 */
const CLI_DEFAULTS: KdrySettings = { ...DEFAULT_SETTINGS, kubernetesVersion: '' };

export interface LoadedSettings {
  settings: KdrySettings;
  /** The config file used (absolute), absent when none was. */
  source?: string;
  /** `crds:` files and folders of CustomResourceDefinitions, as absolute paths. */
  crds: string[];
  /** `exclude:` globs, relative to the project folder: files a check leaves out. */
  exclude: ExcludePattern[];
  /** The project folder (the one holding `.kdry/`, or the config file's own): where clusterFile and `.kdry/cluster.yaml` are looked for. */
  projectDir?: string;
}

export async function loadSettings(cwd: string, explicit?: string): Promise<LoadedSettings> {
  const path = explicit ? resolve(cwd, explicit) : await findConfig(cwd);
  if (!path) return { settings: CLI_DEFAULTS, crds: [], exclude: [] };
  const read = await readFileBounded(path, { maxBytes: MAX_CONFIG_BYTES });
  if (!read.ok) throw new ConfigError(`${path}: ${read.reason}`);
  // Empty documents (a trailing `---`) hold no settings.
  const [document, another] = readYamlDocuments(read.text).filter((d) => d.problem || d.value !== null);
  if (document?.problem) throw new ConfigError(`${path}: line ${document.problem.line}: ${document.problem.message}`);
  if (another) throw new ConfigError(`${path}: holds more than one YAML document; a settings file is one`);
  const raw = document?.value;
  return { settings: toSettings(raw ?? {}, path), source: path, crds: crdPaths(raw ?? {}, path), exclude: excludePatterns(raw ?? {}, path, cwd), projectDir: projectDirOf(path) };
}

/** The folder holding `.kdry/`, or the config file's own folder. */
function projectDirOf(path: string): string {
  const folder = dirname(path);
  return basename(folder) === '.kdry' ? dirname(folder) : folder;
}

/**
 * `crds:` paths are relative to the project: the folder holding `.kdry/`, or the config file's own.
 * The repository writes them, so they must name something inside that folder (crd-sources.ts also
 * refuses one that a link takes outside): `crds: /` once walked the whole machine, /proc included.
 */
function crdPaths(raw: unknown, path: string): string[] {
  const crds = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).crds : undefined;
  if (crds === undefined) return [];
  const list = typeof crds === 'string' ? [crds] : crds;
  if (!Array.isArray(list) || !list.every((c) => typeof c === 'string')) throw new ConfigError(`${path}: crds must be a file or folder, or a list of them`);
  const base = projectDirOf(path);
  return list.map((c) => {
    const abs = resolve(base, c);
    if (abs !== base && !isBelow(abs, base)) throw new ConfigError(`${path}: crds: ${c} is outside the project folder ${base}; a repository's config may name CRDs inside it only (--crds reads any path you name)`);
    return abs;
  });
}

/**
 * `exclude:` globs, relative to the project folder as `crds:` paths are; one reaching outside it
 * (absolute, or through `..`) is refused as `crds:` refuses such a path.
 */
function excludePatterns(raw: unknown, path: string, cwd: string): ExcludePattern[] {
  const exclude = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).exclude : undefined;
  if (exclude === undefined) return [];
  const list = typeof exclude === 'string' ? [exclude] : exclude;
  if (!Array.isArray(list) || !list.every((c) => typeof c === 'string')) throw new ConfigError(`${path}: exclude must be a glob, or a list of globs`);
  const base = projectDirOf(path);
  const from = `${relative(cwd, path) || path} exclude:`;
  return list.map((pattern) => {
    const problem = excludePatternProblem(pattern);
    if (problem) throw new ConfigError(`${path}: exclude: ${JSON.stringify(pattern)} ${problem}; a repository's config may leave out files inside ${base} only`);
    return { pattern, from, base };
  });
}

/** The folders searched for a config, nearest first: cwd up to the repository root, or cwd alone. */
async function configSearchDirs(cwd: string): Promise<string[]> {
  const dirs: string[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    dirs.push(dir);
    if (await exists(join(dir, '.git'))) return dirs;
    if (dirname(dir) === dir) return [resolve(cwd)]; // not in a repository
  }
}

async function findConfig(cwd: string): Promise<string | undefined> {
  for (const dir of await configSearchDirs(cwd)) for (const name of CONFIG_NAMES) if (await exists(join(dir, name))) return join(dir, name);
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

function toSettings(raw: unknown, path: string): KdrySettings {
  if (typeof raw !== 'object' || Array.isArray(raw) || raw === null) throw new ConfigError(`${path}: expected a mapping of settings`);
  const r = raw as Record<string, unknown>;
  const settings: KdrySettings = { ...CLI_DEFAULTS, rules: {} };
  for (const key of ['enable', 'schemaValidation', 'simulationChecks'] as const) {
    if (r[key] === undefined) continue;
    if (typeof r[key] !== 'boolean') throw new ConfigError(`${path}: ${key} must be true or false`);
    settings[key] = r[key] as boolean;
  }
  if (r.kubernetesVersion !== undefined) settings.kubernetesVersion = kubernetesVersionSetting(r.kubernetesVersion, path);
  if (r.clusterFile !== undefined) {
    if (typeof r.clusterFile !== 'string') throw new ConfigError(`${path}: clusterFile must be a path to a cluster file (Node manifests)`);
    settings.clusterFile = r.clusterFile;
  }
  if (r.podSecurity !== undefined) settings.podSecurityAssumeLevel = podSecuritySetting(r.podSecurity, path);
  if (r.rules !== undefined) {
    if (typeof r.rules !== 'object' || r.rules === null || Array.isArray(r.rules)) throw new ConfigError(`${path}: rules must map rule ids to off, warning or error`);
    for (const [id, sev] of Object.entries(r.rules)) {
      if (typeof sev !== 'string' || !RULE_SETTINGS.includes(sev as RuleSetting)) throw new ConfigError(`${path}: rules.${id} must be off, warning or error, not ${JSON.stringify(sev)}`);
      settings.rules[id] = sev as RuleSetting;
    }
  }
  return settings;
}

/** `podSecurity: {assumeLevel: restricted}` */
function podSecuritySetting(value: unknown, path: string): PodSecurityLevelSetting {
  const assumeLevel = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>).assumeLevel : undefined;
  const level = POD_SECURITY_LEVEL_SETTINGS.find((l) => l !== '' && l === assumeLevel);
  if (!level) throw new ConfigError(`${path}: podSecurity.assumeLevel must be privileged, baseline or restricted, not ${JSON.stringify(assumeLevel)}`);
  return level;
}

/**
 * A release number. YAML reads an unquoted `1.30` as the number 1.3, which names another release:
 * a number is taken only when its text is still a release with a two-digit minor (`1.31`).
 */
function kubernetesVersionSetting(value: unknown, path: string): string {
  const text = typeof value === 'number' ? String(value) : value;
  const version = typeof text === 'string' ? releaseOf(text) : undefined;
  if (typeof value === 'number' && !/^\d+\.\d\d$/.test(String(value))) {
    throw new ConfigError(`${path}: kubernetesVersion ${value} is a number to YAML; quote the release (kubernetesVersion: "1.30")`);
  }
  if (!version) throw new ConfigError(`${path}: kubernetesVersion must be a Kubernetes release such as "1.31", not ${JSON.stringify(value)}`);
  return version;
}

/**
 * The release a command checks or simulates for, in the editor's order (release-in-force.ts):
 * `--kubernetes-version`, else the config's `kubernetesVersion`, else the kubelets of the cluster
 * file in force (`cluster()`, read only then), else the newest bundled release.
 */
export async function releaseForCommand(
  flag: string | undefined,
  loaded: LoadedSettings,
  configShown: string | undefined,
  cluster: () => Promise<{ shown: string; cluster: ResolvedCluster } | undefined>,
): Promise<ReleaseInForce> {
  const configured = loaded.settings.kubernetesVersion;
  if (flag) return namedRelease(flag, 'flag', '--kubernetes-version');
  if (configured) return namedRelease(configured, 'config', `kubernetesVersion in ${configShown ?? loaded.source}`);
  return releaseInForce(undefined, await cluster());
}
