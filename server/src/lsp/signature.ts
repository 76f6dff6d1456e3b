// What other documents may read of a document: everything except fields no cross-document
// relation uses (replica counts, images, commands, env, probes, resources, annotations).
// Edits to those leave the workspace generation alone, so cross-document findings stay cached.
import { isRecord, type ManifestDocument } from '../manifest';

const CONTAINER_FIELDS_NOBODY_ELSE_READS = new Set([
  'image', 'imagePullPolicy', 'command', 'args', 'env', 'envFrom', 'resources', 'livenessProbe', 'readinessProbe',
  'startupProbe', 'volumeMounts', 'securityContext', 'lifecycle', 'workingDir', 'terminationMessagePath', 'terminationMessagePolicy',
]);
const DROPPED_KEYS = new Set(['replicas', 'annotations', 'minReadySeconds', 'progressDeadlineSeconds', 'revisionHistoryLimit']);

export function crossDocumentSignature(doc: ManifestDocument): string {
  if (doc.value === undefined) return `${doc.kind ?? ''}`;
  try {
    return JSON.stringify(doc.value, (key, value) => {
      if (DROPPED_KEYS.has(key)) return undefined;
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) return value.map(trimContainer);
      return value;
    });
  } catch {
    return `${doc.kind ?? ''}:${doc.source}`; // unserialisable (cyclic aliases): any edit counts
  }
}

function trimContainer(c: unknown): unknown {
  if (!isRecord(c)) return c;
  return Object.fromEntries(Object.entries(c).filter(([k]) => !CONTAINER_FIELDS_NOBODY_ELSE_READS.has(k)));
}
