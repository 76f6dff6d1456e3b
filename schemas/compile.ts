// Compiles the generated kind schemas once, at build time, into standalone ajv validation code, so
// neither the language server nor the CLI ever compiles a schema. Run: node --import tsx schemas/compile.ts
// The build (scripts/build.mjs) runs it before bundling; it rewrites the output only when it changes.
//
// Output: server/src/schema/generated/validators.ts, two deflated base64 strings:
// - VALIDATORS_CODE: the minified ajv standalone module (one validator per kind, exported under its
//   kind key). The code is very repetitive: 390 KB minified, 30 KB deflated. Both the server and
//   the CLI bundle carry it, so it travels compressed; validators.ts inflates it once and
//   instantiates it with `new Function`, which is how ajv itself instantiates compiled code.
// - SCHEMA_CATALOG: kind roots + shared definitions, with descriptions and defaults, for hover,
//   completion and error messages.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import Ajv, { _, Name } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { transformSync } from 'esbuild';
import { KIND_SCHEMA_FILES } from './kinds';
import { SCHEMA_DIR, type JsonSchema } from './generate';
import { KUBERNETES_FORMATS, FORMATS_PARAMETER } from '../server/src/schema/formats';

export const GENERATED_DIR = join(import.meta.dirname, '..', 'server', 'src', 'schema', 'generated');
export const GENERATED_FILE = 'validators.ts';
// Short absolute ids (they are repeated in the generated code): kind keys with slashes then
// resolve plainly, and nothing looks like a URL that could be fetched.
const ID_BASE = 'kdry:';
const DEFINITIONS_ID = `${ID_BASE}defs`;
/** Keywords that only document; the validators do not need them (they would bloat the code). */
const ANNOTATIONS = new Set(['description', 'default', 'title', '$schema']);

export interface SchemaCatalog {
  kinds: Record<string, JsonSchema>;
  definitions: Record<string, JsonSchema>;
}

export function readKindSchemas(): Map<string, JsonSchema> {
  return new Map(KIND_SCHEMA_FILES.map((k) => [k.kindKey, JSON.parse(readFileSync(join(SCHEMA_DIR, k.file), 'utf8')) as JsonSchema]));
}

/** Kind roots without their `definitions`, plus every definition once. */
export function buildCatalog(kindSchemas: Map<string, JsonSchema>): SchemaCatalog {
  const catalog: SchemaCatalog = { kinds: {}, definitions: {} };
  for (const [kindKey, schema] of kindSchemas) {
    const { definitions, $schema: _dialect, ...root } = schema;
    catalog.kinds[kindKey] = root;
    for (const [name, def] of Object.entries(definitions as Record<string, JsonSchema>)) {
      const known = catalog.definitions[name];
      if (known && JSON.stringify(known) !== JSON.stringify(def)) throw new Error(`definition ${name} differs between kinds`);
      catalog.definitions[name] = def;
    }
  }
  catalog.definitions = Object.fromEntries(Object.entries(catalog.definitions).sort(([a], [b]) => a.localeCompare(b)));
  return catalog;
}

/**
 * Minified CommonJS source of the validators: `exports["apps/v1/Deployment"] = validate..`, with
 * formats read from a free variable named FORMATS_PARAMETER.
 */
export function compileValidators(catalog: SchemaCatalog): string {
  const ajv = new Ajv({
    allErrors: true,
    allowUnionTypes: true,
    messages: false, // findings.ts words every error itself
    inlineRefs: false, // one function per definition, shared by every kind: smaller code
    code: { source: true, lines: false, formats: _`${new Name(FORMATS_PARAMETER)}` },
  });
  for (const [name, format] of Object.entries(KUBERNETES_FORMATS)) ajv.addFormat(name, format as never);
  ajv.addSchema({ ...(forValidation({ definitions: catalog.definitions }) as object), $id: DEFINITIONS_ID });
  for (const [kindKey, root] of Object.entries(catalog.kinds)) ajv.addSchema({ ...(forValidation(root) as object), $id: ID_BASE + kindKey });
  const exportsByKind = Object.fromEntries(Object.keys(catalog.kinds).map((k) => [k, ID_BASE + k]));
  return transformSync(standaloneCode(ajv, exportsByKind), { minify: true, format: 'cjs', target: 'node20' }).code;
}

/** Drops annotations and points references at the shared definitions schema, by short names. */
function forValidation(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forValidation);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (ANNOTATIONS.has(key)) continue;
    if (key === '$ref') out.$ref = `${DEFINITIONS_ID}#/definitions/${shortName((value as string).slice('#/definitions/'.length))}`;
    else if (key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [shortName(k), forValidation(v)]));
    } else if (key === 'properties') {
      out[key] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, forValidation(v)]));
    } else out[key] = forValidation(value);
  }
  return out;
}

/** `io.k8s.api.core.v1.Container` -> `core.v1.Container` (names only the validators see). */
function shortName(definition: string): string {
  return definition.replace(/^io\.k8s\.(api\.|apimachinery\.pkg\.(apis\.|api\.|util\.)?)/, '');
}

function packed(text: string): string {
  return deflateRawSync(text, { level: 9 }).toString('base64');
}

/** The generated module's text. */
export function generatedModule(): string {
  const catalog = buildCatalog(readKindSchemas());
  const code = compileValidators(catalog);
  return [
    '// Generated by schemas/compile.ts from schemas/k8s-1.33/*.json. Do not edit.',
    `// Validators: ${code.length} bytes of minified ajv standalone code, deflated (raw) and base64.`,
    `export const VALIDATORS_CODE = '${packed(code)}';`,
    '// Schema catalog: JSON of { kinds: {kindKey: root schema}, definitions: {name: schema} }, deflated (raw) and base64.',
    `export const SCHEMA_CATALOG = '${packed(JSON.stringify(catalog))}';`,
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  mkdirSync(GENERATED_DIR, { recursive: true });
  const path = join(GENERATED_DIR, GENERATED_FILE);
  const text = generatedModule();
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
    writeFileSync(path, text);
    console.log(`wrote server/src/schema/generated/${GENERATED_FILE} (${text.length} bytes)`);
  }
}
