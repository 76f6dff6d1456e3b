// Simulation-backed diagnostics in the editor, off the typing path: an edit only restarts a timer;
// once typing has paused (DEBOUNCE_MS) the open files' workloads and their scopes go to a worker
// thread (simulation-checks-worker.ts) as one job per cluster in force; a newer edit cancels the
// running job at its next workload; the worker caches verdicts per workload and cluster, so only
// what changed is simulated again. A workload is known by what the engine reads of it (its parsed
// object's key, simulation-reuse.ts inputKey), not by its text: after an edit the engine does not
// read (a comment, spacing, quoting) no job is posted, and the rules read the last answer again
// against the edited documents, so each finding follows its line. The findings come back per document source and are
// published with the file's other diagnostics (DiagnosticsPublisher asks findingsFor); a document
// edited since keeps none until the next answer, so lowering a request clears its finding at once.
// After an edit the main thread's share stays proportional to the edit: a workload's object goes to
// the worker once (then only its key), the worker answers with what changed since its last answer,
// and the rules read again only the workloads whose verdict or scope placement changed.
//
// The checks give way to the Dry-run and Capacity views (giveWayTo, from SimulationRunner's
// onBusyChange): while a view's engine job runs or waits no checks' job starts, and one in flight
// is stopped (its worker terminated: the engine cannot be interrupted inside a workload, and on two
// cores its thread would take the view's); they run once the view has its answer and typing has
// paused. They cannot use the view's run instead: the view rolls the workload out from the file's
// HEAD version with the file's other objects, its strategy, faults and window, while a verdict
// (workloadVerdict) rolls out an edit of the workload as written, on its own: never the same run.
// A fresh worker gets the verdicts of the last answer (seeds), so a stop costs only the work of
// what changed.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ManifestDocument, ManifestFile } from '../manifest';
import type { PlacedWorkload, SimNode, WorkloadVerdict } from '../engine';
import type { Finding } from '../findings';
import { shift } from '../placed-findings';
import type { KdrySettings } from '../settings';
import { SIMULATION_RULES, hashText, jobKey, runSimulationJob, simulationFindings, simulationJob, sourceKey, VerdictCache, type JobWorkload, type PreparedJob, type SimulationAnswer, type SimulationJob, type WorkloadFindingsMemo } from '../simulation-checks';
import { isBelow } from '../workspace';
import type { ResolvedCluster } from '../workspace/cluster-file';
import type { FileStore } from './files';
import { documentAt } from './document-diagnostics';
import { inputKey } from './simulation-reuse';

/** Typing pauses this long before the workspace is simulated again. */
export const SIMULATION_DEBOUNCE_MS = 300;
/**
 * Workloads simulated per cluster at most, the open files' first: a few milliseconds each, so the
 * editor's background work stays in seconds even for a generated 10,000-document file.
 */
export const MAX_EDITOR_WORKLOADS = 1000;
/** Wall time a job may take before the worker is stopped (and started afresh for the next job). */
export const SIMULATION_JOB_BUDGET_MS = 30_000;

/**
 * A workload as posted to the worker: its object only when the worker has not been sent that
 * workload before (the worker keeps those of the previous message), else its hash alone.
 */
export interface PostedWorkload {
  key: string;
  /** JobWorkload's sourceKey: the keys of what the engine reads of it (and of a referenced workload). */
  hash: string;
  /** JobWorkload.source: the key of `object` (inputKey). */
  source?: string;
  object?: Record<string, unknown>;
  /** A `workloadRef` Rollout's referenced workload (with source and object). */
  referenced?: JobWorkload['referenced'];
}

/** What the main thread posts: the jobs without their node lists, and the node lists the worker has not seen. */
export interface SimulationJobsMessage {
  generation: number;
  clusters: Record<string, SimNode[]>;
  jobs: (Pick<SimulationJob, 'clusterKey' | 'release' | 'scopes'> & {
    workloads: PostedWorkload[];
    /** To a fresh worker: the verdicts already answered, by workload hash, for its cache. */
    seeds?: Record<string, WorkloadVerdict>;
  })[];
}

/**
 * The worker's answer, one per job: what changed since its previous answer for the same cluster
 * and release (`job`, jobKey): a verdict that is another object, a placement whose content
 * differs. A key left out holds what was answered before; the main thread merges (mergeAnswer)
 * and keeps the objects it had.
 */
export interface SimulationJobsAnswer {
  generation: number;
  answers: (SimulationAnswer & { job: string })[];
  cancelled?: boolean;
  error?: string;
}

interface ClusterForUri {
  cluster: ResolvedCluster;
  /** As messages name it. */
  shown: string;
}

/** Findings of one document source, at the offset they were computed for. */
interface StoredDocument {
  offset: number;
  findings: Finding[];
}

export interface SimulationChecksHost {
  files: FileStore;
  openUris(): string[];
  settings(uri: string): KdrySettings;
  /** The cluster in force for a document (the Dry-run view's: clusterPath + loadCluster). */
  clusterFor(uri: string): Promise<ClusterForUri | undefined>;
  /** The release in force for a document, the one its schema checks use (lsp/kubernetes-version.ts). */
  release(uri: string): string;
  /** New simulation findings for an open document: publish its diagnostics again. */
  republish(uri: string): void;
}

export class SimulationChecks {
  private timer: NodeJS.Timeout | undefined;
  private worker: Worker | undefined;
  private readonly generation = new Int32Array(new SharedArrayBuffer(4));
  /** Cluster keys whose node lists the current worker has. */
  private sentClusters = new Set<string>();
  private stored = new Map<string, Map<string, StoredDocument>>();
  /** What the last job was built from: the same inputs are not simulated twice. */
  private lastInputs = '';
  /** The last whole answer and the inputs it is for: a run with the same inputs reads it again (republish). */
  private lastAnswered: { inputs: string; answers: SimulationAnswer[] } | undefined;
  private pending: { generation: number; inputs: string; prepared: PreparedPart[]; budget: NodeJS.Timeout } | undefined;
  private readonly inlineCache = new VerdictCache();
  /** Source hashes the worker holds: those of the last message posted. */
  private workerSources = new Set<string>();
  /** Per jobKey, the whole answer as merged from the worker's changes. */
  private answered = new Map<string, SimulationAnswer>();
  private readonly memo = new FindingsMemo();
  /** Per jobKey, the verdicts of the last answer by workload hash: what a fresh worker is seeded with. */
  private verdictsByHash = new Map<string, Map<string, WorkloadVerdict>>();
  /** The worker was started since the last message: it gets the seeds. */
  private freshWorker = true;
  /** A view's engine job runs or waits (giveWayTo). */
  private viewsBusy = false;
  /** A run waits for the views' engine work to end. */
  private deferred = false;
  /** The generation of the message the worker is on, until it answers (a cancelled job runs on to its next workload). */
  private workerOn: number | undefined;

  constructor(
    private readonly host: SimulationChecksHost,
    private readonly workerFile = join(__dirname, 'simulation-checks-worker.js'),
    private readonly debounceMs = SIMULATION_DEBOUNCE_MS,
  ) {}

  /** After an edit or a workspace change: simulate once typing has paused. The only cost on the typing path. */
  schedule(): void {
    clearTimeout(this.timer);
    this.cancelRunning();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, this.debounceMs);
  }

  /** The simulation findings of `file` as it is now (raw: settings and suppressions are the caller's). */
  findingsFor(file: ManifestFile): Finding[] {
    const stored = this.stored.get(file.uri);
    if (!stored) return [];
    const out: Finding[] = [];
    for (const doc of file.documents) {
      const entry = stored.get(doc.source);
      if (entry) for (const f of entry.findings) out.push(shift(f, doc.offset - entry.offset));
    }
    return out;
  }

  forget(uri: string): void {
    this.stored.delete(uri);
  }

  /**
   * A view's engine work started (true) or ended (false). While it runs the checks wait, and a job
   * in flight is stopped; once it ends they are scheduled again, so the view draws its answer and
   * asks for its first page before they start.
   */
  giveWayTo(viewsBusy: boolean): void {
    this.viewsBusy = viewsBusy;
    if (viewsBusy) {
      if (this.workerOn !== undefined) {
        this.stopWorker();
        this.deferred = true;
      }
    } else if (this.deferred) {
      this.deferred = false;
      this.schedule();
    }
  }

  /**
   * The job in flight was built from the inputs before this change: it stops at its next workload
   * (the worker keeps the verdicts it finished), and the next run posts afresh even for the same inputs.
   */
  private cancelRunning(): void {
    if (!this.pending) return;
    Atomics.add(this.generation, 0, 1);
    clearTimeout(this.pending.budget);
    this.pending = undefined;
    this.lastInputs = '';
  }

  private async run(): Promise<void> {
    const uris = this.host.openUris().filter((uri) => {
      const settings = this.host.settings(uri);
      return settings.enable && settings.simulationChecks && this.host.files.get(uri) !== undefined && !this.host.files.workspace.isPatch(uri);
    });
    for (const uri of [...this.stored.keys()]) if (!uris.includes(uri) && this.stored.delete(uri)) this.host.republish(uri);
    // One job per cluster and release in force.
    const groups = new Map<string, { cluster: ClusterForUri & { key: string }; release: string; uris: string[] }>();
    for (const uri of uris) {
      const found = await this.host.clusterFor(uri);
      if (!found || found.cluster.error) {
        if (this.stored.delete(uri)) this.host.republish(uri);
        continue;
      }
      const key = clusterKey(found.cluster.nodes);
      const release = this.host.release(uri);
      const group = groups.get(`${key} ${release}`) ?? { cluster: { ...found, key }, release, uris: [] };
      group.uris.push(uri);
      groups.set(`${key} ${release}`, group);
    }
    // A view's engine job may have started while the clusters were read.
    if (this.viewsBusy) {
      this.deferred = true;
      return;
    }
    const workspace = this.host.files.workspace;
    const prepared = [...groups.values()].map(({ cluster, release, uris: members }): PreparedPart => {
      const part = simulationJob(workspace, members, { key: cluster.key, nodes: cluster.cluster.nodes, release }, MAX_EDITOR_WORKLOADS, objectKey);
      return { prepared: part, cluster, uris: members, hashes: part.job.workloads.map(sourceKey) };
    });
    // The same workloads on the same clusters for the same releases (a republish, a save, an edit
    // the engine does not read): nothing new to simulate.
    const inputs = prepared.map(({ prepared: { job }, hashes }) => `${job.clusterKey} ${job.release} ${job.workloads.map((w, i) => `${w.key}=${hashes[i]}`).join(' ')} ${job.scopes.map((sc) => sc.members.join(',')).join(' ')}`).join('\n');
    if (inputs === this.lastInputs && this.pending) return;
    if (!this.pending && inputs === this.lastAnswered?.inputs) {
      // The documents may have changed where the engine does not read: the rules read the answer again against them.
      this.lastInputs = inputs;
      this.publish(prepared, this.lastAnswered.answers);
      return;
    }
    this.lastInputs = inputs;
    const generation = Atomics.add(this.generation, 0, 1) + 1;
    if (this.pending) clearTimeout(this.pending.budget);
    const budget = setTimeout(() => this.stopWorker(), SIMULATION_JOB_BUDGET_MS);
    this.pending = { generation, inputs, prepared, budget };
    if (!existsSync(this.workerFile)) {
      // Running from source (tests without a build): the same work, on this thread.
      this.receive({ generation, answers: prepared.map((p) => ({ ...runSimulationJob(p.prepared.job, this.inlineCache)!, job: jobKey(p.prepared.job) })) });
      return;
    }
    // Spawned first: a fresh thread forgets which clusters were sent, and this job must send them.
    const worker = this.spawn();
    const clusters: Record<string, SimNode[]> = {};
    for (const { cluster } of prepared) {
      if (this.sentClusters.has(cluster.key)) continue;
      clusters[cluster.key] = cluster.cluster.nodes;
      this.sentClusters.add(cluster.key);
    }
    const seeding = this.freshWorker;
    this.freshWorker = false;
    const sent = new Set<string>();
    const jobs = prepared.map(({ prepared: { job }, hashes }): SimulationJobsMessage['jobs'][number] => ({
      clusterKey: job.clusterKey,
      release: job.release,
      scopes: job.scopes,
      workloads: job.workloads.map((workload, i): PostedWorkload => {
        const { key, source, object, referenced } = workload;
        const hash = hashes[i];
        const known = this.workerSources.has(hash) || sent.has(hash);
        sent.add(hash);
        return known ? { key, hash } : { key, hash, source, object, ...(referenced ? { referenced } : {}) };
      }),
      ...(seeding ? { seeds: this.seedsFor(jobKey(job), hashes) } : {}),
    }));
    this.workerSources = sent;
    this.workerOn = generation;
    worker.postMessage({ generation, clusters, jobs } satisfies SimulationJobsMessage);
  }

  private receive(message: SimulationJobsAnswer): void {
    if (message.generation === this.workerOn) this.workerOn = undefined;
    // A stale answer still carries changes the worker will not send again: merged either way.
    const answers = message.cancelled || message.error ? [] : message.answers.map((changes) => this.mergeAnswer(changes));
    const pending = this.pending;
    if (!pending || message.generation !== pending.generation || message.cancelled) return;
    clearTimeout(pending.budget);
    this.pending = undefined;
    if (message.error) {
      this.lastInputs = '';
      return;
    }
    this.keepVerdicts(pending.prepared, answers);
    this.lastAnswered = { inputs: pending.inputs, answers };
    this.publish(pending.prepared, answers);
  }

  /** The findings of the answer for the files as they are now, stored per document and republished where they changed. */
  private publish(parts: PreparedPart[], answers: SimulationAnswer[]): void {
    const workspace = this.host.files.workspace;
    parts.forEach(({ prepared, cluster, uris }, i) => {
      const answer = answers[i];
      if (!answer) return;
      const inForce = { source: cluster.shown, nodeCount: cluster.cluster.nodes.length };
      const fileOf = new Map([...prepared.located.values()].map((l) => [l.uri, l.file]));
      for (const uri of uris) {
        const file = fileOf.get(uri);
        const byDocument = new Map<string, StoredDocument>();
        if (file) {
          // Each finding is kept with its document, so an edit elsewhere in the file only moves it.
          // Only documents with findings get an entry (findingsFor gives the others none).
          for (const f of simulationFindings(uri, prepared, answer, inForce, SIMULATION_RULES, workspace, this.memo.for(jobKey(prepared.job), inForce))) {
            const doc = documentAt(file.documents, f.range[0]);
            if (!doc) continue;
            const entry = byDocument.get(doc.source);
            if (entry) entry.findings.push(f);
            else byDocument.set(doc.source, { offset: doc.offset, findings: [f] });
          }
        }
        const before = this.stored.get(uri);
        this.stored.set(uri, byDocument);
        const now = this.host.files.get(uri);
        if (!now || !sameFindings(now, before, byDocument)) this.host.republish(uri);
      }
    });
  }

  /** The verdicts of this answer by workload hash, for a worker started later (seedsFor). */
  private keepVerdicts(prepared: PreparedPart[], answers: SimulationAnswer[]): void {
    this.verdictsByHash = new Map();
    prepared.forEach(({ prepared: { job }, hashes }, i) => {
      const answer = answers[i];
      if (!answer) return;
      const byHash = new Map<string, WorkloadVerdict>();
      job.workloads.forEach((w, j) => {
        const verdict = answer.verdicts[w.key];
        if (verdict) byHash.set(hashes[j], verdict);
      });
      this.verdictsByHash.set(jobKey(job), byHash);
    });
  }

  /** The verdicts known for these workload hashes on this cluster and release; undefined: none. */
  private seedsFor(job: string, hashes: string[]): Record<string, WorkloadVerdict> | undefined {
    const known = this.verdictsByHash.get(job);
    let seeds: Record<string, WorkloadVerdict> | undefined;
    for (const hash of hashes) {
      const verdict = known?.get(hash);
      if (verdict) (seeds ??= {})[hash] = verdict;
    }
    return seeds;
  }

  /** The whole answer for a cluster and release: the worker's changes over what it answered before. */
  private mergeAnswer(changes: SimulationAnswer & { job: string }): SimulationAnswer {
    const before = this.answered.get(changes.job);
    const answer: SimulationAnswer = { verdicts: { ...before?.verdicts, ...changes.verdicts }, placements: { ...before?.placements, ...changes.placements } };
    this.answered.set(changes.job, answer);
    return answer;
  }

  private spawn(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerFile, { workerData: { generation: this.generation.buffer } });
    worker.on('message', (message: SimulationJobsAnswer) => this.receive(message));
    // A crashed thread (out of memory): the next job starts a fresh one.
    worker.on('error', () => this.stopWorker());
    worker.unref();
    this.worker = worker;
    this.sentClusters = new Set();
    this.workerSources = new Set();
    this.answered = new Map();
    this.freshWorker = true;
    return worker;
  }

  /** Ends the worker (a job over budget, a crash, a view's engine job); the next run starts a new one. */
  private stopWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.workerOn = undefined;
    this.sentClusters = new Set();
    this.workerSources = new Set();
    this.answered = new Map();
    if (this.pending) clearTimeout(this.pending.budget);
    this.pending = undefined;
    this.lastInputs = '';
    void worker?.terminate();
  }
}

/** One job as built for the worker: with the files it answers for and each workload's hash (workloadHash), in job order. */
interface PreparedPart {
  prepared: PreparedJob;
  cluster: ClusterForUri & { key: string };
  uris: string[];
  hashes: string[];
}

/** A cluster file as messages name it: relative to the workspace folder that holds it. */
export function shownClusterFile(path: string, folders: readonly string[]): string {
  const folder = folders.find((f) => isBelow(path, f));
  return folder ? relative(folder, path) : path;
}

/**
 * Simulation findings per workload, kept while the workload's document source, its verdict and its
 * scope's placement are the same as when they were read (offsets moved with the document).
 */
class FindingsMemo {
  private byCluster = new Map<string, Map<string, { source: string; offset: number; verdict: WorkloadVerdict; placement: PlacedWorkload[] | undefined; findings: Finding[] }>>();

  for(job: string, inForce: { source: string; nodeCount: number }): WorkloadFindingsMemo {
    const id = `${job}\u0000${inForce.source}\u0000${inForce.nodeCount}`;
    let entries = this.byCluster.get(id);
    if (!entries) {
      // One cluster in force at a time is the usual case: keep the memo of the last few only.
      if (this.byCluster.size >= 4) this.byCluster.delete(this.byCluster.keys().next().value as string);
      this.byCluster.set(id, (entries = new Map()));
    }
    const memo = entries;
    return {
      get(key: string, doc: ManifestDocument, verdict: WorkloadVerdict, placement: PlacedWorkload[] | undefined): Finding[] | undefined {
        const kept = memo.get(key);
        if (!kept || kept.source !== doc.source || kept.verdict !== verdict || kept.placement !== placement) return undefined;
        return kept.offset === doc.offset ? kept.findings : kept.findings.map((f) => shift(f, doc.offset - kept.offset));
      },
      set(key: string, doc: ManifestDocument, verdict: WorkloadVerdict, placement: PlacedWorkload[] | undefined, findings: Finding[]): void {
        memo.set(key, { source: doc.source, offset: doc.offset, verdict, placement, findings });
      },
    };
  }
}

/** Whether `file` as it is now gets the same findings from either answer (findingsFor): a document with no entry gets none. */
function sameFindings(file: ManifestFile, before: Map<string, StoredDocument> | undefined, after: Map<string, StoredDocument>): boolean {
  for (const doc of file.documents) {
    const old = before?.get(doc.source);
    const entry = after.get(doc.source);
    const oldCount = old?.findings.length ?? 0;
    if (oldCount !== (entry?.findings.length ?? 0)) return false;
    // The findings memo hands back the very objects of a workload that did not change: equal at a glance.
    if (oldCount > 0 && (old!.offset !== entry!.offset || old!.findings.some((f, i) => f !== entry!.findings[i]))) {
      if (JSON.stringify(old!.findings.map((f) => shift(f, doc.offset - old!.offset))) !== JSON.stringify(entry!.findings.map((f) => shift(f, doc.offset - entry!.offset)))) return false;
    }
  }
  return true;
}

/**
 * What the engine reads of a workload document (inputKey): an unchanged document keeps its value
 * when the file is parsed again (and when it moves), an edited one its unchanged subtrees, so the
 * key costs what the edit changed.
 */
function objectKey(doc: ManifestDocument): string {
  return inputKey(doc.value);
}

const clusterKeys = new WeakMap<SimNode[], string>();

/** The node list's identity for caches: its content, hashed once per loaded list. */
function clusterKey(nodes: SimNode[]): string {
  let key = clusterKeys.get(nodes);
  if (!key) clusterKeys.set(nodes, (key = hashText(JSON.stringify(nodes))));
  return key;
}
