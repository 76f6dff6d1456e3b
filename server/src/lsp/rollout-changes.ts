// kdry/applyChange: the file text with one field of one workload set to a new value, edited through
// the YAML document so comments, quoting and the other documents stay as they were.
import { isSeq, type Document } from 'yaml';
import type { ApplyChangeParams, ApplyChangeResponse } from '../protocol/requests';
import { parseManifest } from '../manifest';
import { workloadDocuments } from './workloads';

export function applyChange(params: ApplyChangeParams, textOf: (uri: string) => string | undefined): ApplyChangeResponse {
  try {
    const text = params.text ?? textOf(params.uri);
    if (text === undefined) return { error: `No text for ${params.uri}: open the file or pass its text.` };
    if (!Array.isArray(params.path) || !params.path.every((p) => typeof p === 'string' || typeof p === 'number')) return { error: 'The change has no valid path.' };
    if (typeof params.value !== 'string' && typeof params.value !== 'number') return { error: 'The change has no value.' };
    const workload = workloadDocuments(parseManifest(text, params.uri)).find((d) => d.kind === params.workload?.kind && d.name === params.workload?.name);
    if (!workload) return { error: `No ${params.workload?.kind} named ${params.workload?.name} in this file.` };
    const doc = workload.yaml.clone() as Document.Parsed;
    const outOfRange = indexOutOfRange(doc, params.path);
    if (outOfRange) return { error: outOfRange };
    doc.setIn(params.path, params.value);
    const [start, end] = workload.range;
    const edited = doc.toString();
    const separatorNeeded = end < text.length && !edited.endsWith('\n');
    return { text: text.slice(0, start) + edited + (separatorNeeded ? '\n' : '') + text.slice(end) };
  } catch (err) {
    return { error: `kdry could not apply the change: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * A list index in the path may name an item or the place just after the last one (an append),
 * nothing further: setIn would fill the gap with nulls (index 1e7: ten million of them).
 */
function indexOutOfRange(doc: Document.Parsed, path: (string | number)[]): string | undefined {
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (typeof segment !== 'number') continue;
    const list = doc.getIn(path.slice(0, i), true);
    const length = isSeq(list) ? list.items.length : 0;
    if (!Number.isInteger(segment) || segment < 0 || segment > length) {
      return `The change's path ${path.slice(0, i + 1).join('.')} names item ${segment} of a list of ${length}.`;
    }
  }
  return undefined;
}
