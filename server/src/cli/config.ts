// The CLI's settings: the same shape as the editor's `kdry.*` settings, read from
// `.kdry/config.yaml` (or .json) found upwards from the working directory, or from --config.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_SETTINGS, RULE_SETTINGS, type KdrySettings, type RuleSetting } from '../settings';
import { describeIoError } from './inputs';
import { releaseOf } from '../schema/release-version';

const CONFIG_NAMES = ['.kdry/config.yaml', '.kdry/config.yml', '.kdry/config.json'];

export class ConfigError extends Error {}

export interface LoadedConfig {
  settings: KdrySettings;
  source?: string;
  /** `crds:` files and folders of CustomResourceDefinitions, as absolute paths. */
  crds: string[];
}

export function loadSettings(cwd: string, explicit?: string): LoadedConfig {
  const path = explicit ? resolve(cwd, explicit) : findConfig(cwd);
  if (!path) return { settings: DEFAULT_SETTINGS, crds: [] };
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'), { maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigError(`${path}: ${(e as NodeJS.ErrnoException).code ? describeIoError(e) : (e as Error).message.split('\n')[0]}`);
  }
  return { settings: toSettings(raw ?? {}, path), source: path, crds: crdPaths(raw ?? {}, path) };
}

/** `crds:` paths are relative to the project: the folder holding `.kdry/`, or the config file's own. */
function crdPaths(raw: unknown, path: string): string[] {
  const crds = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).crds : undefined;
  if (crds === undefined) return [];
  const list = typeof crds === 'string' ? [crds] : crds;
  if (!Array.isArray(list) || !list.every((c) => typeof c === 'string')) throw new ConfigError(`${path}: crds must be a file or folder, or a list of them`);
  const folder = dirname(path);
  const base = basename(folder) === '.kdry' ? dirname(folder) : folder;
  return list.map((c) => resolve(base, c));
}

function findConfig(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_NAMES) if (existsSync(join(dir, name))) return join(dir, name);
    if (dirname(dir) === dir) return undefined;
  }
}

function toSettings(raw: unknown, path: string): KdrySettings {
  if (typeof raw !== 'object' || Array.isArray(raw) || raw === null) throw new ConfigError(`${path}: expected a mapping of settings`);
  const r = raw as Record<string, unknown>;
  const settings: KdrySettings = { ...DEFAULT_SETTINGS, rules: { ...DEFAULT_SETTINGS.rules } };
  for (const key of ['enable', 'schemaValidation'] as const) {
    if (r[key] === undefined) continue;
    if (typeof r[key] !== 'boolean') throw new ConfigError(`${path}: ${key} must be true or false`);
    settings[key] = r[key] as boolean;
  }
  if (r.kubernetesVersion !== undefined) settings.kubernetesVersion = kubernetesVersionSetting(r.kubernetesVersion, path);
  if (r.rules !== undefined) {
    if (typeof r.rules !== 'object' || r.rules === null || Array.isArray(r.rules)) throw new ConfigError(`${path}: rules must map rule ids to off, warning or error`);
    for (const [id, sev] of Object.entries(r.rules)) {
      if (typeof sev !== 'string' || !RULE_SETTINGS.includes(sev as RuleSetting)) throw new ConfigError(`${path}: rules.${id} must be off, warning or error, not ${JSON.stringify(sev)}`);
      settings.rules[id] = sev as RuleSetting;
    }
  }
  return settings;
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
