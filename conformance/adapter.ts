// The one registry the conformance runner uses: every `adapters` map exported by
// conformance/adapters/*.ts, merged by `input.kind`, plus which expected fields are sets
// (compared sorted) as the vectors' README defines them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type Adapter = (input: any) => unknown;

export interface AdapterRegistry {
  adapters: Map<string, Adapter>;
  /** kind -> the adapter file that supplies it. */
  sources: Map<string, string>;
  /** Problems loading the adapter files (a kind defined twice, a file that fails to load). */
  errors: string[];
}

/** Expected fields whose order does not matter, per kind (README: "set"). */
export const SET_FIELDS: Readonly<Record<string, readonly string[]>> = {
  cleanupOldReplicaSets: ['deletedReplicaSets'],
  findNewReplicaSet: ['allOldReplicaSets', 'requiredOldReplicaSets'],
  findOldReplicaSets: ['allOldReplicaSets', 'requiredOldReplicaSets'],
  startOrdinal: ['podNames'],
  rollingUpdateConverge: ['podsOnNewRevision', 'podsOnOldRevision'],
  defaultDaemonPodTolerations: ['tolerations'],
  jobSync: ['createdIndexes'],
};

/** Prose inside expected values (README: `before` "describes" what happens before a sync): not compared. `a[].b` = key b of every item of list a. */
export const PROSE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  rollingUpdateSequence: ['syncs[].before', 'syncs[].note'],
};

/** Fields whose expected value may be the README's `"non-null"`: any non-null result passes. */
export const NON_NULL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  nextScheduleTime: ['scheduledTime'],
};
export const NON_NULL = 'non-null';

export const ADAPTERS_DIR = join(__dirname, 'adapters');

/** Load and merge every adapter file of `dir` (files in name order; a kind may be defined once). */
export async function loadAdapters(dir = ADAPTERS_DIR): Promise<AdapterRegistry> {
  const registry: AdapterRegistry = { adapters: new Map(), sources: new Map(), errors: [] };
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  } catch {
    registry.errors.push(`no adapter folder at ${dir}`);
    return registry;
  }
  for (const file of files) {
    let mod: { adapters?: Record<string, Adapter> };
    try {
      mod = (await import(pathToFileURL(join(dir, file)).href)) as { adapters?: Record<string, Adapter> };
    } catch (e) {
      registry.errors.push(`${file}: failed to load: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const adapters = mod.adapters ?? (mod as { default?: { adapters?: Record<string, Adapter> } }).default?.adapters;
    if (!adapters || typeof adapters !== 'object') {
      registry.errors.push(`${file}: exports no \`adapters\` map`);
      continue;
    }
    for (const [kind, fn] of Object.entries(adapters)) {
      if (typeof fn !== 'function') continue;
      const previous = registry.sources.get(kind);
      if (previous) {
        registry.errors.push(`kind "${kind}" is defined by both ${previous} and ${file}; ${previous} is used`);
        continue;
      }
      registry.adapters.set(kind, fn);
      registry.sources.set(kind, file);
    }
  }
  return registry;
}
