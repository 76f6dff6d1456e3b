// The bundled Kubernetes releases' schemas, read from the files scripts/schema-data/bundle-versions.ts writes.
// Nothing is read before it is needed: a release's index is read the first time that release is
// asked for, and each definition is read from the shared definitions file (at the byte span its
// index gives) and parsed once, the first time any release reaches it (releases share the parsed
// objects). The 2 MB file is never read whole: reading it and finding its lines took about 12 ms
// of the language server's first publication after start, for the 30-odd definitions it used. The
// validator reads the definitions without their descriptions (structures.txt, a quarter of the bytes);
// hover and completion read them whole.
import { existsSync, openSync, readFileSync, readSync } from 'node:fs';
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
  /** The definition as the validator reads it: descriptions left out but those that say a field is deprecated (structures.txt). */
  definition(name: string): RawSchema | undefined;
  /** The definition with every description, for hover, completion and schema files (definitions.txt). */
  describedDefinition(name: string): RawSchema | undefined;
}

const DEFINITIONS_FILE = 'definitions.txt';
const STRUCTURES_FILE = 'structures.txt';
const DEFINITIONS_INDEX_FILE = 'definitions-index.json';

/**
 * Where the data is: next to the bundle (dist/k8s, copied by scripts/build.mjs) or, when running
 * from source, in generated/k8s beside this file.
 */
let foundDataDir: string | undefined;
function dataDir(): string {
  if (foundDataDir) return foundDataDir;
  const candidates = [join(__dirname, 'k8s'), join(__dirname, 'generated', 'k8s')];
  foundDataDir = candidates.find((dir) => existsSync(join(dir, DEFINITIONS_FILE)));
  if (!foundDataDir) throw new Error(`kdry's Kubernetes schema data is missing (looked in ${candidates.join(', ')})`);
  return foundDataDir;
}

/**
 * Where each hash's JSON starts and ends in the definitions file and in the structures file
 * (bytes: [start, end, structureStart, structureEnd]), and each file, opened when first read and
 * kept open for the life of the process: the definitions read later come from the same file as the
 * spans, even if an update replaces the data meanwhile.
 */
let spans: Record<string, [start: number, end: number, structureStart: number, structureEnd: number]> | undefined;
/** The two forms of the definitions: with every description (hover), and as the validator reads them. */
const forms = [
  { file: DEFINITIONS_FILE, fd: undefined as number | undefined, spanAt: 0, parsed: new Map<string, RawSchema>() },
  { file: STRUCTURES_FILE, fd: undefined as number | undefined, spanAt: 2, parsed: new Map<string, RawSchema>() },
];
const DESCRIBED = 0;
const STRUCTURE = 1;
const releases = new Map<string, ReleaseSchemas>();

function definitionByHash(hash: string, which: typeof DESCRIBED | typeof STRUCTURE): RawSchema | undefined {
  const form = forms[which];
  let parsed = form.parsed.get(hash);
  if (parsed) return parsed;
  spans ??= JSON.parse(readFileSync(join(dataDir(), DEFINITIONS_INDEX_FILE), 'utf8')) as NonNullable<typeof spans>;
  if (!Object.hasOwn(spans, hash)) return undefined;
  form.fd ??= openSync(join(dataDir(), form.file), 'r');
  const start = spans[hash][form.spanAt];
  const end = spans[hash][form.spanAt + 1];
  const bytes = Buffer.allocUnsafe(end - start);
  for (let read = 0; read < bytes.length; ) {
    const n = readSync(form.fd, bytes, read, bytes.length - read, start + read);
    if (n === 0) throw new Error(`kdry's Kubernetes schema data is damaged: ${form.file} ends before definition ${hash}`);
    read += n;
  }
  parsed = JSON.parse(bytes.toString('utf8')) as RawSchema;
  form.parsed.set(hash, parsed);
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
    definition: (name) => (Object.hasOwn(index.definitions, name) ? definitionByHash(index.definitions[name], STRUCTURE) : undefined),
    describedDefinition: (name) => (Object.hasOwn(index.definitions, name) ? definitionByHash(index.definitions[name], DESCRIBED) : undefined),
  };
  releases.set(version, release);
  return release;
}

/** The newest bundled release (the default target). */
export function newestRelease(): string {
  return BUNDLED_RELEASES[BUNDLED_RELEASES.length - 1];
}
