// Every parsed YAML file the server knows (open editors and the workspace scan), for rules that
// relate documents to each other (Service <-> workloads, StatefulSet serviceName).
import type { ManifestDocument, ManifestFile } from '../manifest';

export interface IndexedDocument {
  uri: string;
  file: ManifestFile;
  doc: ManifestDocument;
}

export class WorkspaceIndex {
  private files = new Map<string, ManifestFile>();

  set(file: ManifestFile): void {
    this.files.set(file.uri, file);
  }
  delete(uri: string): void {
    this.files.delete(uri);
  }
  get(uri: string): ManifestFile | undefined {
    return this.files.get(uri);
  }
  uris(): string[] {
    return [...this.files.keys()];
  }
  /** Every document of a kind (e.g. 'Service'), in file then document order. */
  *documents(kind?: string): Iterable<IndexedDocument> {
    for (const file of this.files.values())
      for (const doc of file.documents) if (kind === undefined || doc.kind === kind) yield { uri: file.uri, file, doc };
  }
}
