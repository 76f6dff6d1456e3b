// Sends kdry/simulate and numbers every request, so a caller can drop answers to stale edits.
import type { LanguageClient } from 'vscode-languageclient/node';
import { SimulateRequest, type SimulateParams, type SimulateResponse } from '../../server/src/protocol/requests';

export interface SimulateAnswer {
  seq: number;
  response: SimulateResponse;
  /** Wall time of the request, for the view's header and the benchmark. */
  ms: number;
}

export class SimulateRequester {
  private seq = 0;

  constructor(private readonly client: () => Promise<LanguageClient>) {}

  /** The newest sequence number handed out; an answer with a smaller one is stale. */
  get latest(): number {
    return this.seq;
  }

  async simulate(params: SimulateParams): Promise<SimulateAnswer> {
    const seq = ++this.seq;
    const started = performance.now();
    try {
      const client = await this.client();
      const response = await client.sendRequest(SimulateRequest, params);
      return { seq, response: response ?? { workloads: [], error: 'The language server gave no answer.' }, ms: performance.now() - started };
    } catch (error) {
      return { seq, response: { workloads: [], error: `Simulation failed: ${error instanceof Error ? error.message : String(error)}` }, ms: performance.now() - started };
    }
  }
}
