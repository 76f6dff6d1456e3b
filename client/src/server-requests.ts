// The language server's answers the commands need besides kdry/simulate: the file's workloads
// (with their change candidates) and the text with one change applied. A failure reads as "none".
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ApplyChangeRequest,
  WorkloadsRequest,
  type ApplyChangeParams,
  type ApplyChangeResponse,
  type WorkloadInfo,
} from '../../server/src/protocol/requests';

export type ClientProvider = () => Promise<LanguageClient>;

export async function requestWorkloads(client: ClientProvider, uri: string, text: string): Promise<WorkloadInfo[]> {
  try {
    const answer = await (await client()).sendRequest(WorkloadsRequest, { uri, text });
    return answer?.workloads ?? [];
  } catch {
    return [];
  }
}

export async function requestChange(client: ClientProvider, params: ApplyChangeParams): Promise<ApplyChangeResponse> {
  try {
    return (await (await client()).sendRequest(ApplyChangeRequest, params)) ?? { error: 'The language server gave no answer.' };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The workload whose document contains `offset`, else the first. */
export function workloadAt<T extends { range: [number, number] }>(workloads: readonly T[], offset: number): T | undefined {
  return workloads.find((w) => offset >= w.range[0] && offset <= w.range[1]) ?? workloads[0];
}
