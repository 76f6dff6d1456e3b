// Sends kdry/simulate and numbers every request, so a caller can drop answers to stale edits, and
// cancels a request that a newer one of its lane replaces, so the server stops working on it.
import { CancellationTokenSource, type LanguageClient } from 'vscode-languageclient/node';
import { SimulateRequest, type SimulateParams, type SimulateResponse } from '../../server/src/protocol/requests';

export interface SimulateAnswer {
  seq: number;
  response: SimulateResponse;
  /** Wall time of the request, for the view's header and the benchmark. */
  ms: number;
}

export class SimulateRequester {
  private seq = 0;
  /** The request in flight per lane: a newer request of the lane cancels it ($/cancelRequest). */
  private lanes = new Map<string, CancellationTokenSource>();

  constructor(private readonly client: () => Promise<LanguageClient>) {}

  /** The newest sequence number handed out; an answer with a smaller one is stale. */
  get latest(): number {
    return this.seq;
  }

  /**
   * `lane`: requests that replace each other (the view's refresh after each edit); the server stops
   * a cancelled one. Without a lane (a command) a request is never cancelled by another.
   */
  async simulate(params: SimulateParams, lane?: string): Promise<SimulateAnswer> {
    const seq = ++this.seq;
    const started = performance.now();
    let cancellation: CancellationTokenSource | undefined;
    if (lane) {
      this.lanes.get(lane)?.cancel();
      cancellation = new CancellationTokenSource();
      this.lanes.set(lane, cancellation);
    }
    try {
      const client = await this.client();
      const response = await client.sendRequest(SimulateRequest, params, cancellation?.token);
      return { seq, response: response ?? { workloads: [], error: 'The language server gave no answer.' }, ms: performance.now() - started };
    } catch (error) {
      return { seq, response: { workloads: [], error: `Simulation failed: ${error instanceof Error ? error.message : String(error)}` }, ms: performance.now() - started };
    } finally {
      if (lane && this.lanes.get(lane) === cancellation) this.lanes.delete(lane);
      cancellation?.dispose();
    }
  }
}
