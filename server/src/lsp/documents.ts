// Which document of a file a position falls in, and what a document is (kind key, pod template).
import { isMap, isScalar } from 'yaml';
import { knownKind, type ManifestDocument, type ManifestFile } from '../manifest';
import { podTemplate } from '../manifest/pod-template';

export function documentAt(file: ManifestFile, offset: number): ManifestDocument | undefined {
  return file.documents.find((d) => offset >= d.range[0] && offset <= d.range[1]) ?? file.documents[file.documents.length - 1];
}

/**
 * The document whose keys and paths the editor features read: for a Go/Helm template, the one with
 * its actions masked (the raw text is often not YAML); undefined when even that does not parse.
 */
export function readableDocument(doc: ManifestDocument | undefined): ManifestDocument | undefined {
  return doc?.templated ? doc.template?.document : doc;
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

/** The pod template a document of a known kind creates pods from (the Pod itself for kind Pod). */
export function podTemplateOf(doc: ManifestDocument): PodTemplateInfo | undefined {
  if (!knownKind(doc.apiVersion, doc.kind)) return undefined;
  const template = podTemplate(doc);
  return template && { labels: template.labels, containers: template.containers.map((c) => c.value) };
}

export function describe(doc: ManifestDocument): string {
  return `${doc.kind ?? '?'} ${doc.name ?? '(unnamed)'}`;
}
