// Document symbols: one `Kind name` entry per Kubernetes document, with its containers as children.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { closestRange, isKubernetesObject, isRecord, keyRange, valueRange, type ManifestDocument, type ManifestFile, type ObjectPath } from '../manifest';
import { TEMPLATE_PLACEHOLDER } from '../manifest/template-mask';
import { toRange } from './convert';
import { readableDocument } from './documents';
import { valueAt } from '../manifest/pod-template';
import { tooLargeForEditorFeatures } from './large-documents';

const CONTAINER_LISTS = ['initContainers', 'containers'] as const;

export function documentSymbols(text: TextDocument, file: ManifestFile): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  for (const written of file.documents) {
    const doc = readableDocument(written) ?? written;
    if (!isKubernetesObject(doc)) continue;
    const end = doc.range[0] + doc.source.trimEnd().length;
    const selection = keyRange(doc, ['metadata', 'name']) ? valueRange(doc, ['metadata', 'name'])! : closestRange(doc, ['kind']);
    symbols.push({
      name: `${doc.kind ?? '?'} ${asWritten(written, doc, ['metadata', 'name'], doc.name) ?? '(unnamed)'}`,
      detail: doc.apiVersion,
      kind: SymbolKind.Class,
      range: toRange(text, [doc.range[0], Math.max(end, selection[1])]),
      selectionRange: toRange(text, selection),
      // A container's range is a collection's, which only the YAML tree holds: ~1 s per MiB, on every edit.
      children: tooLargeForEditorFeatures(written) ? [] : containerSymbols(text, written, doc),
    });
  }
  return symbols;
}

/** A template's value as written (`{{ include "app.fullname" . }}`): its masked value is only a placeholder. */
function asWritten(written: ManifestDocument, doc: ManifestDocument, path: ObjectPath, value: string | undefined): string | undefined {
  if (!value?.includes(TEMPLATE_PLACEHOLDER)) return value;
  const range = valueRange(doc, path);
  const source = range && written.source.slice(range[0] - doc.offset, range[1] - doc.offset);
  return source ? source.replace(/^(["'])([\s\S]*)\1$/, '$2') : value;
}

function containerSymbols(text: TextDocument, written: ManifestDocument, doc: ManifestDocument): DocumentSymbol[] {
  const podSpec = podSpecPath(doc);
  if (!podSpec) return [];
  const out: DocumentSymbol[] = [];
  for (const list of CONTAINER_LISTS) {
    const containers = valueAt(doc.value, [...(podSpec as string[]), list]);
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, i) => {
      const path = [...podSpec, list, i];
      const range = valueRange(doc, path);
      if (!range) return;
      const name = asWritten(written, doc, [...path, 'name'], isRecord(c) && typeof c.name === 'string' ? c.name : undefined) ?? `#${i}`;
      const image = asWritten(written, doc, [...path, 'image'], isRecord(c) && typeof c.image === 'string' ? c.image : undefined);
      const selection = valueRange(doc, [...path, 'name']) ?? range;
      out.push({ name: list === 'initContainers' ? `${name} (init)` : name, detail: image, kind: SymbolKind.Field, range: toRange(text, range), selectionRange: toRange(text, selection) });
    });
  }
  return out;
}

function podSpecPath(doc: ManifestDocument): ObjectPath | undefined {
  switch (doc.kind) {
    case 'Pod':
      return ['spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    case 'Service':
      return undefined;
    default:
      return ['spec', 'template', 'spec'];
  }
}
