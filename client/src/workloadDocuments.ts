// The workload documents of a YAML text, through the same manifest parser the server uses
// (document-level cache, alias limits), for the CodeLens and the rollout change picker.
import { ManifestCache, parseManifest, knownKind, isRecord, type ManifestDocument } from '../../server/src/manifest';

export interface WorkloadDocument {
  kind: string;
  name: string;
  /** File offsets of the whole document. */
  range: [number, number];
  /** File offset of the first non-blank, non-comment line (where the CodeLens goes). */
  start: number;
  document: ManifestDocument;
  value: Record<string, unknown>;
}

const cache = new ManifestCache();

export function workloadDocuments(text: string): WorkloadDocument[] {
  const file = parseManifest(text, 'untitled:kdry-client.yaml', cache);
  cache.sweep();
  const workloads: WorkloadDocument[] = [];
  for (const doc of file.documents) {
    const info = knownKind(doc.apiVersion, doc.kind);
    if (!info || info.kind === 'Service' || !doc.name || !isRecord(doc.value)) continue;
    workloads.push({ kind: info.kind, name: doc.name, range: doc.range, start: doc.offset + contentStart(doc.source), document: doc, value: doc.value });
  }
  return workloads;
}

/** The workload whose document contains `offset`, else the first. */
export function workloadAt(workloads: readonly WorkloadDocument[], offset: number): WorkloadDocument | undefined {
  return workloads.find((w) => offset >= w.range[0] && offset <= w.range[1]) ?? workloads[0];
}

function contentStart(source: string): number {
  const match = /^(?:[ \t]*(?:#[^\n]*)?(?:---[^\n]*)?\r?\n)*/.exec(source);
  return match ? match[0].length : 0;
}
