// A document that declares only half of its type (an apiVersion without a kind, or a kind without an
// apiVersion) is a broken manifest, not some other YAML: kubectl cannot decode it and applies
// nothing of it (apimachinery runtime/error.go NewMissingKindErr, NewMissingVersionErr: "Object
// 'Kind' is missing in '{...}'"). It is also the state of every new document being typed. A YAML
// file that is not Kubernetes at all (a Chart.yaml, a compose file) has neither a `metadata` map
// nor a Kubernetes object beside it, and is left alone.
import { isKubernetesObject, isRecord, keyRange, type ManifestDocument, type ManifestFile } from '../manifest';
import type { Finding } from '../findings';
import { SCHEMA } from '../builtin-checks';

/** One of apiVersion and kind, and a `metadata` map: a Kubernetes object short of its type. */
export function halfTyped(doc: ManifestDocument): boolean {
  const value = doc.value;
  return isRecord(value) && typeof value.apiVersion === 'string' !== (typeof value.kind === 'string') && isRecord(value.metadata);
}

export function missingTypeFinding(file: ManifestFile, doc: ManifestDocument): Finding | undefined {
  const value = doc.value;
  if (!isRecord(value)) return undefined;
  const hasVersion = typeof value.apiVersion === 'string';
  const hasKind = typeof value.kind === 'string';
  if (hasVersion === hasKind) return undefined;
  if (!halfTyped(doc) && !file.documents.some((d) => d !== doc && isKubernetesObject(d))) return undefined;
  const missing = hasVersion ? 'kind' : 'apiVersion';
  const range = keyRange(doc, [hasVersion ? 'apiVersion' : 'kind']) ?? [doc.range[0], doc.range[0]];
  return {
    ruleId: SCHEMA.id,
    severity: 'error',
    range,
    message: `This object has no ${missing}: kubectl cannot decode it and applies nothing of it (\`Object '${hasVersion ? 'Kind' : 'apiVersion'}' is missing in '{...}'\`). Add \`${missing}:\`.`,
  };
}
