// Sends kdry/simulate (and kdry/capacity) and numbers every simulation, so a caller can drop answers
// to stale edits, and cancels a request that a newer one of its lane replaces, so the server stops
// working on it.
import type { LanguageClient } from 'vscode-languageclient/node';
import { CancellationTokenSource, type CancellationToken } from 'vscode-languageserver-protocol';
import { CapacityRequest, SimulatePodsRequest, SimulateRequest, type CapacityParams, type CapacityResponse, type SimulateParams, type SimulatePodsParams, type SimulatePodsResponse, type SimulateResponse } from '../../server/src/protocol/requests';

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
    const response = await this.send(lane, async (token) => {
      try {
        return (await (await this.client()).sendRequest(SimulateRequest, params, token)) ?? { workloads: [], error: 'The language server gave no answer.' };
      } catch (error) {
        return { workloads: [], error: `Simulation failed: ${error instanceof Error ? error.message : String(error)}` };
      }
    });
    return { seq, response, ms: performance.now() - started };
  }

  /** The file's scope placed together; undefined when a newer request of the lane replaced this one. */
  async capacity(params: CapacityParams, lane?: string): Promise<CapacityResponse | undefined> {
    let replaced = false;
    const response = await this.send(lane, async (token) => {
      try {
        return (await (await this.client()).sendRequest(CapacityRequest, params, token)) ?? { written: {}, error: 'The language server gave no answer.' };
      } catch (error) {
        replaced = token?.isCancellationRequested === true;
        return { written: {}, error: `Capacity failed: ${error instanceof Error ? error.message : String(error)}` };
      }
    });
    return replaced ? undefined : response;
  }

  /** A page of a paged run's pods (never cancelled: pages are small and asked for one at a time). */
  async pods(params: SimulatePodsParams): Promise<SimulatePodsResponse> {
    try {
      return (await (await this.client()).sendRequest(SimulatePodsRequest, params)) ?? { error: 'The language server gave no answer.' };
    } catch (error) {
      return { error: `Pods failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** Runs `request` with its lane's cancellation: a newer request of the lane cancels the one in flight. */
  private async send<T>(lane: string | undefined, request: (token: CancellationToken | undefined) => Promise<T>): Promise<T> {
    let cancellation: CancellationTokenSource | undefined;
    if (lane) {
      this.lanes.get(lane)?.cancel();
      cancellation = new CancellationTokenSource();
      this.lanes.set(lane, cancellation);
    }
    try {
      return await request(cancellation?.token);
    } finally {
      if (lane && this.lanes.get(lane) === cancellation) this.lanes.delete(lane);
      cancellation?.dispose();
    }
  }
}
