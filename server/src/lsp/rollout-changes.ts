// kdry/applyChange: the file text with one field of one workload set to a new value, edited through
// the YAML document so comments, quoting and the other documents stay as they were.
import type { Document } from 'yaml';
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
    doc.setIn(params.path, params.value);
    const [start, end] = workload.range;
    const edited = doc.toString();
    const separatorNeeded = end < text.length && !edited.endsWith('\n');
    return { text: text.slice(0, start) + edited + (separatorNeeded ? '\n' : '') + text.slice(end) };
  } catch (err) {
    return { error: `kdry could not apply the change: ${err instanceof Error ? err.message : String(err)}` };
  }
}
