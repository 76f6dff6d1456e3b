// Runs kdry/simulate's and kdry/capacity's engine work off the main thread (simulation-worker.ts), bounded: one job at
// a time in arrival order, a request the client cancels ($/cancelRequest: the Dry-run view cancels
// its previous request when the user types again) leaves the queue or is stopped, and a job past
// the time budget is stopped with a message. Requests from elsewhere (a command, another view) wait
// their turn rather than cancel each other. A cancelled run stops itself between two of the engine's
// instants (simulation-worker.ts: the runner marks it unwanted in a shared cell), so the next job runs
// in the same warm thread, once the stopped one has ended; a run that does not stop within
// STOP_WAIT_MS, a capacity job and a run past the time budget are stopped by terminating the thread,
// and the next job starts a fresh (cold) one. The start-up warm-up is stopped so for the first job. A paged run's pods live in a second thread (the
// pages thread) that is never stopped for a job: kdry/simulatePods is answered there at once, not
// after the simulation in progress, and stopping one keeps the pages of the run the view shows. A
// paged run's answer comes before its run is serialized for the pages thread: until the run
// follows, its pages are held here and the next job waits. Whoever else runs the engine in the
// background (the simulation checks) is told when this work starts and ends (onBusyChange), so it
// can give way to it. A simulation whose inputs are those of the last run answered is answered from
// it at once (simulation-reuse.ts), its pages still kept by the pages thread.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CancellationToken } from 'vscode-languageserver';
import type { SimulateOptions, SimulationResult, CapacityReport } from '../engine';
import type { PodPaging, SimulatePodsParams, SimulatePodsResponse } from '../protocol/requests';
import { packedSimulation, simulationKey } from './simulation-reuse';
import { runWorkerJob, type CapacityInput, type KeptRun, type NumberedJob, type PagesMessage, type SimulateJob, type ThreadMessage, type WorkerAnswer, type WorkerJob } from './simulation-worker';

/** Wall time a simulation may take before it is stopped (100,000 replicas take about 3 s). */
export const SIMULATION_BUDGET_MS = 15_000;
/** Jobs waiting at most; past it the oldest waiting one is answered instead of run (a client that never cancels). */
export const MAX_WAITING_JOBS = 4;

/**
 * How long a cancelled run may take to stop itself before its thread is terminated. The engine asks
 * before each instant's controller and scheduler work; creating the 10,000 pods of a 10,000-replica
 * Deployment is one such piece (230-600 ms at load 14, warm), and a fresh thread's cold run of it
 * costs about 1 s more than a warm one.
 */
export const STOP_WAIT_MS = 1000;

export const CANCELLED = 'Cancelled.';
export const CROWDED_OUT = 'Cancelled: newer simulations were waiting.';

type SimulateAnswer = { result: SimulationResult; paging?: PodPaging };

interface Job {
  work: WorkerJob;
  /** Its number once posted to the simulation thread (stopCell). */
  run?: number;
  /** The start-up warm-up (warmUp): not work anyone waits for, so the runner is not busy with it. */
  background?: boolean;
  resolve(answer: WorkerAnswer): void;
  dispose(): void;
}

export class SimulationRunner {
  private worker: Worker | undefined;
  private running: Job | undefined;
  private waiting: Job[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The pages thread and the page requests it has not answered yet, by number. */
  private pagesWorker: Worker | undefined;
  private pageSeq = 0;
  private readonly pageWaiting = new Map<number, (answer: WorkerAnswer) => void>();
  /** A paged run is answered but not yet handed to the pages thread: the pages asked for meanwhile. */
  private following: PagesMessage[] | undefined;
  /** The last simulation answered with a result, by the key of its inputs: the pages thread keeps its run as the newest. */
  private lastRun: { key: string; answer: SimulateAnswer } | undefined;
  /** Shared with every simulation thread: runs numbered up to it are no longer wanted (simulation-worker.ts). */
  private readonly stopCell = new Int32Array(new SharedArrayBuffer(4));
  private runs = 0;
  /** A cancelled run is stopping itself: the next job waits for its end, at most until this timer terminates the thread. */
  private stopping: ReturnType<typeof setTimeout> | undefined;
  private readonly busyListeners: ((busy: boolean) => void)[] = [];
  private wasBusy = false;

  /** `workerFile`: the bundled worker; when absent (running from source) the job runs inline. */
  constructor(
    private readonly workerFile = join(__dirname, 'simulation-worker.js'),
    private readonly budgetMs = SIMULATION_BUDGET_MS,
    private readonly stopWaitMs = STOP_WAIT_MS,
  ) {}

  /** Called with true when a job is queued while none was running or waiting, with false when the last one settles (a cancelled run: once it has stopped). */
  onBusyChange(listener: (busy: boolean) => void): void {
    this.busyListeners.push(listener);
  }

  /** A job running or waiting, a cancelled run still stopping (it takes a core until it ends), or a run still on its way to the pages thread (the warm-up is none). */
  get busy(): boolean {
    return (this.running !== undefined && !this.running.background) || this.following !== undefined || this.stopping !== undefined || this.waiting.length > 0;
  }

  /**
   * Starts the simulation thread and runs the warm-up sample in it (simulation-warm-up.ts), unless
   * the thread is already there or work is: for a server idle after start-up, so its first Dry-run
   * does not run the engine cold. A job asked for meanwhile stops it and waits for its end; the
   * simulation checks are not told (they run in their own thread and need not give way to it).
   */
  warmUp(): void {
    if (this.worker || this.running || this.waiting.length > 0 || this.following || !existsSync(this.workerFile)) return;
    const job: Job = { work: { warmUp: true }, background: true, resolve: () => undefined, dispose: () => undefined };
    this.waiting.push(job);
    this.next();
  }

  private tellBusy(): void {
    const busy = this.busy;
    if (busy === this.wasBusy) return;
    this.wasBusy = busy;
    for (const listener of this.busyListeners) listener(busy);
  }

  /** `podWindow`: page a run with more pods (pod-paging.ts); its pages come from pods(). Throws for inputs structured clone cannot write. */
  run(options: SimulateOptions, token?: CancellationToken, podWindow?: number): Promise<SimulateAnswer | { error: string }> {
    if (token?.isCancellationRequested) return Promise.resolve({ error: CANCELLED });
    const job: SimulateJob = podWindow === undefined ? { simulate: options } : { simulate: options, podWindow };
    const key = simulationKey(job);
    if (this.lastRun?.key === key) return Promise.resolve(this.lastRun.answer);
    const answer = this.queue({ packed: packedSimulation(job) }, token) as Promise<SimulateAnswer | { error: string }>;
    return answer.then((answer) => {
      if ('result' in answer) this.lastRun = { key, answer };
      return answer;
    });
  }

  /**
   * A page of a paged run's pods, from the pages thread that keeps it. A page is cheap: a
   * cancelled request is answered Cancelled and its page dropped, the thread going on.
   */
  pods(params: SimulatePodsParams, token?: CancellationToken): Promise<{ pods: SimulatePodsResponse } | { error: string }> {
    type PageAnswer = { pods: SimulatePodsResponse } | { error: string };
    if (token?.isCancellationRequested) return Promise.resolve({ error: CANCELLED });
    if (!existsSync(this.workerFile)) return Promise.resolve(runWorkerJob({ pods: params }) as PageAnswer);
    return new Promise<PageAnswer>((resolve) => {
      const seq = ++this.pageSeq;
      const worker = this.pagesThread();
      const done = (answer: PageAnswer) => {
        listener?.dispose();
        // the thread keeps the process alive only while a page is awaited
        if (this.pageWaiting.size === 0) worker.unref();
        resolve(answer);
      };
      const listener = token?.onCancellationRequested(() => {
        if (this.pageWaiting.delete(seq)) done({ error: CANCELLED });
      });
      this.pageWaiting.set(seq, (answer) => done(answer as PageAnswer));
      worker.ref();
      const message: PagesMessage = { seq, job: { pods: params } };
      // in order behind the run on its way, as if it had come with its answer (it may replace an older run)
      if (this.following) this.following.push(message);
      else worker.postMessage(message);
    });
  }

  private pagesThread(): Worker {
    if (this.pagesWorker) return this.pagesWorker;
    const worker = new Worker(this.workerFile);
    worker.on('message', ({ seq, answer }: { seq: number; answer: WorkerAnswer }) => {
      const resolve = this.pageWaiting.get(seq);
      this.pageWaiting.delete(seq);
      resolve?.(answer);
    });
    // A crashed pages thread (out of memory) loses its runs: the pages asked for say so.
    whenLost(worker, 'the pages thread', (why) => {
      if (this.pagesWorker !== worker) return;
      this.pagesWorker = undefined;
      if (this.lastRun?.answer.paging) this.lastRun = undefined;
      this.answerPages({ error: `The pages of this run were lost: ${why}; simulate again.` });
    });
    worker.unref();
    this.pagesWorker = worker;
    return worker;
  }

  private answerPages(answer: WorkerAnswer): void {
    const waiting = [...this.pageWaiting.values()];
    this.pageWaiting.clear();
    for (const resolve of waiting) resolve(answer);
  }

  /**
   * A paged run goes to the pages thread as it came (its buffer transferred, never read here), then
   * the pages asked for while it was on its way; the next job may start.
   */
  private handOver(kept: KeptRun): void {
    const pages = this.pagesThread();
    pages.postMessage({ seq: 0, job: { keep: kept } } satisfies PagesMessage, [kept.bytes]);
    for (const message of this.following ?? []) pages.postMessage(message);
    this.following = undefined;
    this.worker?.unref();
    this.next();
    this.tellBusy();
  }

  /** The run that was to follow its answer is lost with its thread: its held pages say so. */
  private loseFollowing(why: string): void {
    if (this.following && this.lastRun?.answer.paging) this.lastRun = undefined;
    const held = this.following ?? [];
    this.following = undefined;
    for (const { seq } of held) {
      const resolve = this.pageWaiting.get(seq);
      this.pageWaiting.delete(seq);
      resolve?.({ error: `The pages of this run were lost: ${why}; simulate again.` });
    }
  }

  /** The capacity report of a scope (null: too many pods to place). */
  capacity(input: CapacityInput, token?: CancellationToken): Promise<{ capacity: CapacityReport | null } | { error: string }> {
    return this.queue({ capacity: input }, token) as Promise<{ capacity: CapacityReport | null } | { error: string }>;
  }

  private queue(work: WorkerJob, token?: CancellationToken): Promise<WorkerAnswer> {
    if (token?.isCancellationRequested) return Promise.resolve({ error: CANCELLED });
    if (!existsSync(this.workerFile)) return Promise.resolve(runWorkerJob(work));
    return new Promise<WorkerAnswer>((resolve) => {
      const listener = token?.onCancellationRequested(() => this.cancel(job, CANCELLED));
      const job: Job = { work, resolve, dispose: () => listener?.dispose() };
      this.waiting.push(job);
      if (this.waiting.length > MAX_WAITING_JOBS) this.cancel(this.waiting[0], CROWDED_OUT);
      if (this.running?.background) this.cancel(this.running, CANCELLED);
      this.next();
      this.tellBusy();
    });
  }

  /** Starts the next waiting job when none runs (and no run is on its way to the pages thread). */
  private next(): void {
    if (this.running || this.following || this.stopping || this.waiting.length === 0) return;
    const job = this.waiting.shift()!;
    this.running = job;
    job.run = ++this.runs;
    const worker = (this.worker ??= this.spawn());
    this.timer = setTimeout(() => this.cancel(job, `The simulation took longer than ${this.budgetMs / 1000} s and was stopped: lower the replicas or the window to preview it.`), this.budgetMs);
    worker.postMessage({ ...job.work, run: job.run } satisfies NumberedJob, 'packed' in job.work ? [job.work.packed] : []);
  }

  /** Answers the running job (from its worker) and moves on. */
  private finished(answer: Exclude<ThreadMessage, { kept: KeptRun }>): void {
    const job = this.running;
    if (!job) return;
    if ('follows' in answer && answer.follows && answer.paging) {
      const { follows: _follows, ...rest } = answer;
      // before the answer goes out: a page asked for right after it waits for the run
      this.following = [];
      // the budget timer ends with the answer: until the run follows, its thread keeps the process alive
      // (else a job waiting behind it, with nothing else pending, lets the event loop end)
      this.worker?.ref();
      answer = rest;
    }
    this.settle(job, answer);
  }

  /**
   * Ends a waiting or running job with `error`. A running simulation cancelled by its requester is
   * told to stop and its thread kept; any other running job's thread is terminated.
   */
  private cancel(job: Job, error: string): void {
    const at = this.waiting.indexOf(job);
    if (at >= 0) {
      this.waiting.splice(at, 1);
      job.dispose();
      job.resolve({ error });
      this.tellBusy();
      return;
    }
    if (this.running !== job) return;
    if (error === CANCELLED && job.run !== undefined && ('packed' in job.work || 'warmUp' in job.work)) {
      Atomics.store(this.stopCell, 0, job.run);
      this.stopping = setTimeout(() => {
        this.stopping = undefined;
        this.terminate();
        this.next();
        this.tellBusy();
      }, this.stopWaitMs);
    } else this.terminate();
    this.settle(job, { error });
  }

  /** Lets the simulation thread go (its exit is not taken for a loss) and ends it. */
  private terminate(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  /**
   * What the simulation thread posts while a cancelled run stops: its end (whatever it answers, the
   * request is answered already). A run that ended before it saw the stop posts its run after its
   * answer: that one is dropped too, not kept by the pages thread in place of the view's.
   */
  private stoppedRunSays(message: ThreadMessage): void {
    if ('follows' in message && message.follows) return;
    clearTimeout(this.stopping);
    this.stopping = undefined;
    this.next();
    this.tellBusy();
  }

  private settle(job: Job, answer: WorkerAnswer): void {
    clearTimeout(this.timer);
    this.running = undefined;
    job.dispose();
    job.resolve(answer);
    this.next();
    this.tellBusy();
  }

  private spawn(): Worker {
    const worker = new Worker(this.workerFile, { workerData: { stop: this.stopCell.buffer } });
    worker.on('message', (message: ThreadMessage) => {
      if (this.worker !== worker) return;
      if (this.stopping) this.stoppedRunSays(message);
      else if ('kept' in message) this.handOver(message.kept);
      else this.finished(message);
    });
    // A crashed thread (out of memory) answers its job with the reason; the next job starts anew.
    // A cancelled job's thread is let go before it is terminated, so its exit is not taken for a loss.
    whenLost(worker, 'the simulation thread', (why) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      clearTimeout(this.stopping);
      this.stopping = undefined;
      this.loseFollowing(why);
      if (this.running) this.finished({ error: `The simulation stopped: ${why}` });
      else {
        this.next();
        this.tellBusy();
      }
    });
    worker.unref();
    return worker;
  }

  dispose(): void {
    for (const job of [...this.waiting]) this.cancel(job, 'The language server is shutting down.');
    if (this.running) this.cancel(this.running, 'The language server is shutting down.');
    clearTimeout(this.stopping);
    this.stopping = undefined;
    this.terminate();
    this.following = undefined;
    this.lastRun = undefined;
    const pages = this.pagesWorker;
    this.pagesWorker = undefined;
    void pages?.terminate();
    this.answerPages({ error: 'The language server is shutting down.' });
  }
}

/**
 * Calls `lost` once when a thread dies: with its error, or when it ends without one (process.exit
 * in it), which would otherwise leave whoever waits on it waiting forever.
 */
function whenLost(worker: Worker, name: string, lost: (why: string) => void): void {
  worker.on('error', (err) => lost(err.message));
  worker.on('exit', (code) => lost(`${name} ended (exit code ${code})`));
}
