// A document as the kustomization that builds it sends it to the API server (docs/scope.md): what a
// check of the applied object (an admission policy's match and expressions) must judge.
import { isRecord, type ManifestDocument } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import { builtObject } from './kustomize-build';

/**
 * `doc` with the value `kustomize build` gives it (namespace:, namePrefix/nameSuffix,
 * commonLabels/labels, patches, images...) and its apiVersion, kind, name and namespace read from
 * that value; `doc` itself when no kustomization changes it. The view keeps `doc`'s text and tree,
 * so ranges still point into the file.
 */
export function builtDocument(workspace: WorkspaceIndex, uri: string, doc: ManifestDocument): ManifestDocument {
  const value = builtObject(workspace, uri, doc.value);
  if (value === doc.value || !isRecord(value)) return doc;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return Object.create(doc, {
    value: { value },
    apiVersion: { value: text(value.apiVersion) },
    kind: { value: text(value.kind) },
    name: { value: text(metadata.name) },
    namespace: { value: text(metadata.namespace) },
  }) as ManifestDocument;
}
