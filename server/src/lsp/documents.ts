// Which document of a file a position falls in, and what a document is (kind key, pod template).
import { isMap, isScalar } from 'yaml';
import { isRecord, knownKind, type ManifestDocument, type ManifestFile } from '../manifest';

export function documentAt(file: ManifestFile, offset: number): ManifestDocument | undefined {
  return file.documents.find((d) => offset >= d.range[0] && offset <= d.range[1]) ?? file.documents[file.documents.length - 1];
}

/** `apiVersion/kind`, read from the YAML tree so it works while the document has errors. */
export function kindKeyOf(doc: ManifestDocument): string | undefined {
  const apiVersion = doc.apiVersion ?? topScalar(doc, 'apiVersion');
  const kind = doc.kind ?? topScalar(doc, 'kind');
  return apiVersion && kind ? `${apiVersion}/${kind}` : undefined;
}

function topScalar(doc: ManifestDocument, key: string): string | undefined {
  const c = doc.yaml.contents;
  if (!isMap(c)) return undefined;
  const n = c.get(key, true);
  return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
}

export interface PodTemplateInfo {
  labels: Record<string, string>;
  containers: Record<string, unknown>[];
}

/** The pod template a document creates pods from (the Pod itself for kind Pod). */
export function podTemplateOf(doc: ManifestDocument): PodTemplateInfo | undefined {
  const v = doc.value;
  if (!isRecord(v) || !knownKind(doc.apiVersion, doc.kind)) return undefined;
  const spec = isRecord(v.spec) ? v.spec : undefined;
  let template: unknown;
  if (doc.kind === 'Pod') template = v;
  else if (doc.kind === 'CronJob') template = get(spec, 'jobTemplate', 'spec', 'template');
  else template = spec?.template;
  if (!isRecord(template)) return undefined;
  const labels = get(template, 'metadata', 'labels');
  const containers = get(template, 'spec', 'containers');
  return {
    labels: isRecord(labels) ? Object.fromEntries(Object.entries(labels).map(([k, val]) => [k, String(val)])) : {},
    containers: Array.isArray(containers) ? containers.filter(isRecord) : [],
  };
}

export function get(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const seg of path) cur = isRecord(cur) ? cur[seg] : undefined;
  return cur;
}

export function describe(doc: ManifestDocument): string {
  return `${doc.kind ?? '?'} ${doc.name ?? '(unnamed)'}`;
}
