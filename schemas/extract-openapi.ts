// Copies from the official Kubernetes 1.33 OpenAPI v3 files only the component schemas that the
// workload kinds reach, unchanged, so the repository carries its generator input without the
// 3.3 MB originals. Run: node --import tsx schemas/extract-openapi.ts [dir-with-originals]
// Each extract records where it came from (path, commit, sha256 of the original file).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface OpenApiSource {
  file: string;
  /** Fully qualified component names the kinds start from. */
  roots: string[];
  upstreamPath: string;
}

/** kubectl-validate commit the files were taken from (see schemas/openapi/SOURCE.md). */
const SOURCE_COMMIT = 'a97ccfaca20b164819afdae780392496f6ed6bbd';
const SOURCE_REPO = 'kubernetes-sigs/kubectl-validate';

export const OPENAPI_SOURCES: OpenApiSource[] = [
  { file: 'api__v1_openapi.json', roots: ['io.k8s.api.core.v1.Pod', 'io.k8s.api.core.v1.Service'], upstreamPath: 'pkg/openapiclient/builtins/1.33/api/v1.json' },
  {
    file: 'apis__apps__v1_openapi.json',
    roots: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].map((k) => `io.k8s.api.apps.v1.${k}`),
    upstreamPath: 'pkg/openapiclient/builtins/1.33/apis/apps/v1.json',
  },
  { file: 'apis__batch__v1_openapi.json', roots: ['Job', 'CronJob'].map((k) => `io.k8s.api.batch.v1.${k}`), upstreamPath: 'pkg/openapiclient/builtins/1.33/apis/batch/v1.json' },
];

export const EXTRACT_DIR = join(import.meta.dirname, 'openapi');

export function extractFileName(source: OpenApiSource): string {
  return source.file.replace(/\.json$/, '.reachable.json');
}

type Json = unknown;

/** Names of every component schema reachable from `roots` through `$ref`. */
export function reachableSchemas(schemas: Record<string, Json>, roots: string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    if (!(name in schemas)) throw new Error(`missing component schema ${name}`);
    seen.add(name);
    walkRefs(schemas[name], visit);
  };
  roots.forEach(visit);
  return [...seen].sort();
}

function walkRefs(node: Json, onRef: (name: string) => void): void {
  if (Array.isArray(node)) return node.forEach((n) => walkRefs(n, onRef));
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') onRef(value.replace('#/components/schemas/', ''));
    else walkRefs(value, onRef);
  }
}

function extract(originalsDir: string): void {
  for (const source of OPENAPI_SOURCES) {
    const bytes = readFileSync(join(originalsDir, source.file));
    const doc = JSON.parse(bytes.toString('utf8')) as { openapi: string; info: Json; components: { schemas: Record<string, Json> } };
    const names = reachableSchemas(doc.components.schemas, source.roots);
    const out = {
      openapi: doc.openapi,
      info: doc.info,
      'x-kdry-extract': {
        note: 'Only the component schemas reachable from roots, byte-for-byte the same JSON values as the original.',
        original: source.file,
        repository: SOURCE_REPO,
        path: source.upstreamPath,
        commit: SOURCE_COMMIT,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        kubernetes: 'release-1.33',
        roots: source.roots,
      },
      components: { schemas: Object.fromEntries(names.map((n) => [n, doc.components.schemas[n]])) },
    };
    writeFileSync(join(EXTRACT_DIR, extractFileName(source)), JSON.stringify(out, null, 1) + '\n');
    console.log(`${extractFileName(source)}: ${names.length} of ${Object.keys(doc.components.schemas).length} schemas`);
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) extract(process.argv[2] ?? join(__dirname, '..', '..', 'shared', 'k8s-openapi', 'v3'));
