// The bundled Kubernetes releases' schemas, read from the files scripts/schema-data/bundle-versions.ts writes.
// Nothing is read before it is needed: the shared definitions file is split into lines on first
// use, a release's index is read the first time that release is asked for, and each definition is
// parsed once, the first time any release reaches it (releases share the parsed objects).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_RELEASES } from './generated/releases';
import type { RawSchema } from './raw-schema';

export { BUNDLED_RELEASES };

/** A kind a release serves, and the definition its documents are validated against. */
export interface ServedKind {
  apiVersion: string;
  kind: string;
  definition: string;
  namespaced: boolean;
  /** Its resource, the plural the API serves it under (`endpoints`, `ingresses`). */
  resource: string;
}

/** One release's API: the kinds it serves and its definitions by name. */
export interface ReleaseSchemas {
  readonly version: string;
  /** By `apiVersion/kind` (e.g. `apps/v1/Deployment`). */
  readonly kinds: ReadonlyMap<string, ServedKind>;
  definition(name: string): RawSchema | undefined;
}

const DEFINITIONS_FILE = 'definitions.txt';

/**
 * Where the data is: next to the bundle (dist/k8s, copied by scripts/build.mjs) or, when running
 * from source, in generated/k8s beside this file.
 */
function dataDir(): string {
  const candidates = [join(__dirname, 'k8s'), join(__dirname, 'generated', 'k8s')];
  const found = candidates.find((dir) => existsSync(join(dir, DEFINITIONS_FILE)));
  if (!found) throw new Error(`kdry's Kubernetes schema data is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** The definitions file's bytes, and where each hash's JSON starts and ends in them. */
let definitionBytes: Buffer | undefined;
const definitionSpans = new Map<string, [start: number, end: number]>();
const parsedDefinitions = new Map<string, RawSchema>();
const releases = new Map<string, ReleaseSchemas>();

const NEWLINE = 0x0a;
const SPACE = 0x20;

/**
 * Lines are found in the bytes and only the JSON of a definition that is asked for is decoded:
 * decoding all 2 MB (descriptions hold non-ASCII text) costs more than everything else together.
 */
function definitionByHash(hash: string): RawSchema | undefined {
  let parsed = parsedDefinitions.get(hash);
  if (parsed) return parsed;
  if (!definitionBytes) {
    const bytes = (definitionBytes = readFileSync(join(dataDir(), DEFINITIONS_FILE)));
    for (let start = 0; start < bytes.length; ) {
      let end = bytes.indexOf(NEWLINE, start);
      if (end < 0) end = bytes.length;
      const space = bytes.indexOf(SPACE, start);
      if (space > start && space < end) definitionSpans.set(bytes.toString('latin1', start, space), [space + 1, end]);
      start = end + 1;
    }
  }
  const span = definitionSpans.get(hash);
  if (!span) return undefined;
  parsed = JSON.parse(definitionBytes.toString('utf8', span[0], span[1])) as RawSchema;
  parsedDefinitions.set(hash, parsed);
  return parsed;
}

interface ReleaseIndex {
  version: string;
  kinds: [apiVersion: string, kind: string, definition: string, namespaced: 0 | 1, resource: string][];
  definitions: Record<string, string>;
}

/** The release's schemas; `version` must be one of BUNDLED_RELEASES. */
export function releaseSchemas(version: string): ReleaseSchemas {
  const known = releases.get(version);
  if (known) return known;
  if (!BUNDLED_RELEASES.includes(version)) throw new Error(`Kubernetes ${version} is not bundled (bundled: ${BUNDLED_RELEASES.join(', ')})`);
  const index = JSON.parse(readFileSync(join(dataDir(), `${version}.json`), 'utf8')) as ReleaseIndex;
  const kinds = new Map(index.kinds.map(([apiVersion, kind, definition, namespaced, resource]) => [`${apiVersion}/${kind}`, { apiVersion, kind, definition, namespaced: namespaced === 1, resource }]));
  const release: ReleaseSchemas = {
    version,
    kinds,
    definition: (name) => (Object.hasOwn(index.definitions, name) ? definitionByHash(index.definitions[name]) : undefined),
  };
  releases.set(version, release);
  return release;
}

/** The newest bundled release (the default target). */
export function newestRelease(): string {
  return BUNDLED_RELEASES[BUNDLED_RELEASES.length - 1];
}
