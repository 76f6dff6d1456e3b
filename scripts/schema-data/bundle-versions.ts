// Turns the official OpenAPI v3 files of every bundled Kubernetes release into the compact data the
// language server and the CLI validate with. Run after adding or changing a release folder:
//   node --import tsx scripts/schema-data/bundle-versions.ts [dir holding 1.29/, 1.30/, ...]
// (default: ../shared/k8s-openapi/versions beside the checkout; docs/kubernetes-versions.md).
//
// Output, under server/src/schema/generated/ (the build copies k8s/ next to the bundles):
// - k8s/definitions.txt: every converted definition of every release, once per distinct content,
//   one per line as `<hash> <json>`. Most definitions do not change between releases, so seven
//   releases cost little more than one, and a reader parses only the lines it uses.
// - k8s/definitions-index.json: hash -> where the definition's JSON starts and ends in
//   definitions.txt (byte offsets), so a reader reads the few definitions it uses and never the
//   2 MB file (reading and splitting it was a tenth of the server's first publication).
// - k8s/structures.txt: the same definitions without the descriptions (78% of the bytes) but those
//   that say a field is deprecated (schema/deprecation.ts): what the validator reads. Parsing the
//   descriptions was about 40% of validating a first file's documents after start; hover and
//   completion read definitions.txt. Each index entry gives both spans:
//   [start, end, structureStart, structureEnd].
// - k8s/<release>.json: the release's served kinds and its definition names -> hashes.
// - releases.ts: the bundled releases, and when each kind and each field that some releases lack
//   was there (the version-aware findings read this without loading any release).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { convertComponents, tableEntries, type JsonSchema } from './convert';
import { servedKinds, type ServedKind } from './served-kinds';
import { compareVersions } from '../../server/src/k8s/release-version';
import { describesDeprecation } from '../../server/src/schema/deprecation';

export { compareVersions };

export const GENERATED_DIR = join(import.meta.dirname, '..', '..', 'server', 'src', 'schema', 'generated');
export const DATA_DIR = join(GENERATED_DIR, 'k8s');
export const RELEASES_MODULE = join(GENERATED_DIR, 'releases.ts');
export const DEFAULT_SOURCE = join(import.meta.dirname, '..', '..', '..', 'shared', 'k8s-openapi', 'versions');
export const DEFINITIONS_FILE = 'definitions.txt';
export const DEFINITIONS_INDEX_FILE = 'definitions-index.json';
export const STRUCTURES_FILE = 'structures.txt';

/** One release as read from its folder. */
export interface Release {
  version: string;
  kinds: ServedKind[];
  definitions: Record<string, JsonSchema>;
}

/** `1.29`, `1.30`, ... in release order (numeric, not lexical: 1.100 after 1.99). */
export function releaseFolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /^\d+\.\d+$/.test(name) && statSync(join(dir, name)).isDirectory())
    .sort(compareVersions);
}


function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? jsonFiles(path) : name.endsWith('.json') ? [path] : [];
    });
}

/** Reads and converts one release folder; `used` collects the hand-written table entries that applied. */
export function readRelease(dir: string, version: string, used: Set<string>): Release {
  const components: Record<string, JsonSchema> = {};
  const kinds = new Map<string, ServedKind>();
  for (const file of jsonFiles(join(dir, version))) {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { paths?: Record<string, never>; components?: { schemas?: Record<string, JsonSchema> } };
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      if (components[name] && JSON.stringify(components[name]) !== JSON.stringify(schema)) throw new Error(`${version}: ${name} differs between OpenAPI files (${relative(dir, file)})`);
      components[name] = schema;
    }
    for (const kind of servedKinds(doc.paths ?? {})) kinds.set(`${kind.apiVersion}/${kind.kind}`, kind);
  }
  for (const kind of kinds.values()) if (!components[kind.definition]) throw new Error(`${version}: ${kind.kind} names missing schema ${kind.definition}`);
  return { version, kinds: [...kinds.values()].sort((a, b) => key(a).localeCompare(key(b))), definitions: convertComponents(components, used, version) };
}

const key = (k: ServedKind) => `${k.apiVersion}/${k.kind}`;

export function readReleases(dir = DEFAULT_SOURCE): Release[] {
  const used = new Set<string>();
  const releases = releaseFolders(dir).map((version) => readRelease(dir, version, used));
  if (!releases.length) throw new Error(`no release folders (1.29/, 1.30/, ...) in ${dir}`);
  const unused = tableEntries().filter((entry) => !used.has(entry));
  if (unused.length) throw new Error(`field tables name fields no release has: ${unused.join(', ')}`);
  return releases;
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 10);
}

/** The files to write, by path relative to GENERATED_DIR, with their exact text. */
export function bundleReleases(releases: Release[]): Map<string, string> {
  const pool = new Map<string, string>();
  const files = new Map<string, string>();
  for (const release of releases) {
    const names: Record<string, string> = {};
    for (const [name, schema] of Object.entries(release.definitions).sort(([a], [b]) => a.localeCompare(b))) {
      const text = JSON.stringify(schema);
      const hash = contentHash(text);
      if (pool.has(hash) && pool.get(hash) !== text) throw new Error(`hash collision on ${hash}`);
      pool.set(hash, text);
      names[name] = hash;
    }
    const kinds = release.kinds.map((k) => [k.apiVersion, k.kind, k.definition, k.namespaced ? 1 : 0, k.resource]);
    files.set(`k8s/${release.version}.json`, JSON.stringify({ version: release.version, kinds, definitions: names }) + '\n');
  }
  const sorted = [...pool].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const structures = sorted.map(([hash, text]): [string, string] => [hash, JSON.stringify(JSON.parse(text), withoutDescriptions)]);
  const spans: Record<string, number[]> = {};
  for (const [file, texts] of [[DEFINITIONS_FILE, sorted], [STRUCTURES_FILE, structures]] as const) {
    let offset = 0;
    for (const [hash, text] of texts) {
      const start = offset + Buffer.byteLength(`${hash} `);
      offset = start + Buffer.byteLength(text);
      (spans[hash] ??= []).push(start, offset);
      offset++;
    }
    files.set(`k8s/${file}`, texts.map(([hash, text]) => `${hash} ${text}\n`).join(''));
  }
  // One entry a line, as the pool: a changed definition changes the lines of those after it only.
  files.set(`k8s/${DEFINITIONS_INDEX_FILE}`, `{\n${Object.entries(spans).map(([hash, span]) => `  ${JSON.stringify(hash)}: ${JSON.stringify(span)}`).join(',\n')}\n}\n`);
  files.set('releases.ts', releasesModule(releases));
  return files;
}

/** JSON.stringify's replacer for structures.txt: descriptions go, but those that say a field is deprecated. */
function withoutDescriptions(key: string, value: unknown): unknown {
  return key === 'description' && typeof value === 'string' && !describesDeprecation(value) ? undefined : value;
}

/**
 * Kinds served by some releases only, and fields some releases' definitions lack while others have
 * them (a definition that is new as a whole is not listed field by field: its kind or the field
 * holding it is).
 */
function releasesModule(releases: Release[]): string {
  const versions = releases.map((r) => r.version);
  const kindVersions = new Map<string, string[]>();
  for (const r of releases) for (const k of r.kinds) kindVersions.set(key(k), [...(kindVersions.get(key(k)) ?? []), r.version]);
  const kindHistory = Object.fromEntries([...kindVersions].filter(([, vs]) => vs.length < versions.length).sort(([a], [b]) => a.localeCompare(b)));

  const fieldHistory: Record<string, Record<string, string[]>> = {};
  const definitionNames = [...new Set(releases.flatMap((r) => Object.keys(r.definitions)))].sort();
  for (const name of definitionNames) {
    const fields = new Map<string, string[]>();
    const having = releases.filter((r) => r.definitions[name]);
    for (const r of having) for (const field of Object.keys((r.definitions[name].properties as object | undefined) ?? {})) fields.set(field, [...(fields.get(field) ?? []), r.version]);
    const partial = [...fields].filter(([, vs]) => vs.length < having.length).sort(([a], [b]) => a.localeCompare(b));
    if (partial.length) fieldHistory[name] = Object.fromEntries(partial);
  }
  return [
    '// Generated by scripts/schema-data/bundle-versions.ts from the official OpenAPI v3 files of each release. Do not edit.',
    '/** The Kubernetes releases whose API kdry bundles, oldest first. */',
    `export const BUNDLED_RELEASES: readonly string[] = ${JSON.stringify(versions)};`,
    '/** apiVersion/kind -> the bundled releases that serve it (kinds every bundled release serves are not listed). */',
    `export const KIND_RELEASES: Readonly<Record<string, readonly string[]>> = ${linePerKey(kindHistory)};`,
    '/** definition -> field -> the bundled releases whose definition has the field (only fields some releases of the definition lack). */',
    `export const FIELD_RELEASES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = ${linePerKey(fieldHistory)};`,
    '',
  ].join('\n');
}

export const PACKAGE_JSON = join(import.meta.dirname, '..', '..', 'package.json');

/**
 * package.json with the editor setting kdry.kubernetesVersion offering `versions` (newest first,
 * after the empty automatic choice) and its description naming the bundled range and the newest
 * release, edited in place so the rest of the file keeps its layout.
 */
export function offeredReleases(packageJson: string, versions: readonly string[]): string {
  const oldest = versions[0];
  const newest = versions[versions.length - 1];
  const start = packageJson.indexOf('"kdry.kubernetesVersion": {');
  const end = packageJson.indexOf('\n        },', start);
  if (start < 0 || end < 0) throw new Error('package.json: no kdry.kubernetesVersion setting');
  const setting = packageJson
    .slice(start, end)
    .replace(/"examples": \[[^\]]*\]/, `"examples": ${JSON.stringify(['', ...[...versions].reverse()]).replace(/,/g, ', ')}`)
    .replace(/\(\d+\.\d+ to \d+\.\d+ bundled\)/, `(${oldest} to ${newest} bundled)`)
    .replace(/A newer release is checked against \d+\.\d+/, `A newer release is checked against ${newest}`);
  return packageJson.slice(0, start) + setting + packageJson.slice(end);
}

/** A JSON object with one entry a line: diffs of the generated module show what a release changed. */
function linePerKey(object: Record<string, unknown>): string {
  return `{\n${Object.entries(object).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`).join('\n')}\n}`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const source = process.argv[2] ?? DEFAULT_SOURCE;
  if (!existsSync(source)) throw new Error(`${source} does not exist; pass the folder that holds the release folders`);
  const files = bundleReleases(readReleases(source));
  rmSync(DATA_DIR, { recursive: true, force: true });
  mkdirSync(DATA_DIR, { recursive: true });
  for (const [path, text] of files) {
    writeFileSync(join(GENERATED_DIR, path), text);
    console.log(`${path}: ${text.length} bytes`);
  }
  const versions = releaseFolders(source);
  writeFileSync(PACKAGE_JSON, offeredReleases(readFileSync(PACKAGE_JSON, 'utf8'), versions));
  console.log(`package.json: kdry.kubernetesVersion offers ${versions[0]} to ${versions.at(-1)}`);
}
