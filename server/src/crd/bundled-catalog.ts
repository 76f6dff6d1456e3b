// kdry's bundled snapshot of popular custom resource schemas (schemas/crd-catalog/, written by
// scripts/schema-data/crd-catalog.ts). The index is read on the first custom resource kdry meets, a group's
// schemas on the first resource of that group; both stay in memory afterwards.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StructuralSchema } from '../k8s/structural-schema';

interface CatalogIndex {
  groups: Record<string, Record<string, { project: string; versions: string[] }>>;
}

export interface BundledKind {
  project: string;
  /** Every version the snapshot has, served and not deprecated (the catalog keeps no such flags). */
  versions: string[];
  schema(version: string): StructuralSchema | undefined;
}

/** dist/ in the extension and CLI bundles; server/src/crd/ when run from source. */
const CANDIDATES = [join(__dirname, '..', 'schemas', 'crd-catalog'), join(__dirname, '..', '..', '..', 'schemas', 'crd-catalog')];

let folder: string | null | undefined;
let index: CatalogIndex | null | undefined;
const groups = new Map<string, Record<string, Record<string, StructuralSchema>> | null>();

function catalogFolder(): string | null {
  if (folder === undefined) folder = CANDIDATES.find((dir) => existsSync(join(dir, 'index.json'))) ?? null;
  return folder;
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

function catalogIndex(): CatalogIndex | null {
  if (index === undefined) {
    const dir = catalogFolder();
    index = dir ? readJson<CatalogIndex>(join(dir, 'index.json')) : null;
  }
  return index;
}

function groupSchemas(group: string): Record<string, Record<string, StructuralSchema>> | null {
  if (!groups.has(group)) {
    const dir = catalogFolder();
    groups.set(group, dir ? readJson(join(dir, `${group}.json`)) : null);
  }
  return groups.get(group) ?? null;
}

/** The bundled kind of `group`, or undefined when the snapshot does not have it. */
export function bundledKind(group: string, kind: string): BundledKind | undefined {
  const entry = catalogIndex()?.groups[group];
  const info = entry && Object.hasOwn(entry, kind) ? entry[kind] : undefined;
  if (!info) return undefined;
  return {
    project: info.project,
    versions: info.versions,
    schema: (version) => {
      const kinds = groupSchemas(group);
      const versions = kinds && Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
      return versions && Object.hasOwn(versions, version) ? versions[version] : undefined;
    },
  };
}
