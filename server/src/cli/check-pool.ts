// `kdry check` on every core: the files are shared out by size between the main thread and
// `jobs - 1` worker threads (check-worker.ts, bundled beside the CLI), each parsing its files and
// running their single-document checks into a local-only CheckCache. The main thread then indexes
// every file from what the workers sent back (values, no second parse); checkFile with each file's
// cache runs only the cross-document rules, in one pass over the full index. One job is the plain
// in-process parse. Same findings either way (test).
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkedLength, checkFile } from '../check';
import { CheckCache, type LocalEntry } from '../check-cache';
import { fixesOf, type Finding } from '../findings';
import { parseManifest, restoreManifest, type DocumentSummary, type ManifestFile } from '../manifest';
import type { KdrySettings } from '../settings';
import { WorkspaceIndex } from '../workspace';
import { isWorkloadDocument, VerdictCache, type SimulationJob } from '../simulation-checks';
import type { WorkloadVerdict } from '../engine';

export interface PoolInput {
  uri: string;
  text: string;
}

export interface ParsedFile {
  manifest: ManifestFile;
  /** The file's local findings, already computed on some thread; undefined with one job. */
  cache?: CheckCache;
}

/** Below this much YAML a worker's start-up (loading the bundle, ~0.2 s) costs more than it saves. */
export const PARALLEL_MIN_BYTES = 256 * 1024;

/** The default number of jobs: every core for inputs large enough to share, else one. */
export function defaultJobs(files: readonly PoolInput[]): number {
  return files.reduce((n, f) => n + f.text.length, 0) >= PARALLEL_MIN_BYTES ? availableParallelism() : 1;
}

/** A finding as it crosses threads: whether it offers fixes (a function cannot be sent). */
type SentFinding = Omit<Finding, 'fixes'> & { offersFixes?: true };
type SentEntry = Omit<LocalEntry, 'local'> & { local: SentFinding[] };

/** The cluster and release the simulation checks run on: each thread runs the engine on the workloads it parsed. */
export type VerdictCluster = Pick<SimulationJob, 'clusterKey' | 'nodes' | 'release'>;

/** A workload's verdict, by the document's source (what VerdictCache keys it by). */
export type SourceVerdict = [source: string, verdict: WorkloadVerdict];

export interface WorkerRequest {
  files: PoolInput[];
  /** Kustomizations (given or found around the files): they say which files are patches. */
  kustomizations: PoolInput[];
  settings: KdrySettings;
  cluster?: VerdictCluster;
}

export type WorkerResponse = { files: { summaries: DocumentSummary[]; entries: SentEntry[] }[]; verdicts: SourceVerdict[] } | { error: string };

/** No cross-document rule reads the local-only caches' generation. */
const NO_GENERATION = () => 0;

/**
 * Parses `files` (kustomizations first, in an index of their own, so patches are known) and runs
 * their single-document checks and, with `cluster`, the engine on their workloads (a verdict reads
 * only the workload and the nodes; the simulation checks' placements, which need every file, stay
 * on the main thread). What a worker does with its share, and the main thread with its own.
 */
export function parseAndCheckLocally(files: readonly PoolInput[], kustomizations: readonly PoolInput[], settings: KdrySettings, cluster?: VerdictCluster): { checked: { manifest: ManifestFile; entries: LocalEntry[] }[]; verdicts: SourceVerdict[] } {
  const local = new WorkspaceIndex();
  for (const k of kustomizations) local.set(parseManifest(k.text, k.uri));
  const manifests = files.map(parseChecked);
  for (const m of manifests) local.set(m);
  const checked = manifests.map((manifest) => {
    const cache = new CheckCache(NO_GENERATION, true);
    checkFile(manifest, local, settings, cache);
    return { manifest, entries: cache.localEntries() };
  });
  return { checked, verdicts: cluster ? workloadVerdicts(manifests, local, cluster) : [] };
}

/** The verdict of every workload the simulation checks will ask about (simulationJob's choice), once per source. */
function workloadVerdicts(manifests: readonly ManifestFile[], local: WorkspaceIndex, cluster: VerdictCluster): SourceVerdict[] {
  const cache = new VerdictCache(Infinity);
  const verdicts = new Map<string, WorkloadVerdict>();
  for (const file of manifests) {
    if (local.isPatch(file.uri)) continue;
    for (const doc of file.documents) {
      if (!isWorkloadDocument(doc) || verdicts.has(doc.source)) continue;
      verdicts.set(doc.source, cache.verdict(cluster, { key: '', source: doc.source, object: doc.value as Record<string, unknown> }));
    }
  }
  return [...verdicts];
}

/** Past MAX_CHECKED_DOCUMENTS documents only what is checked is parsed (as the language server does). */
function parseChecked({ text, uri }: PoolInput): ManifestFile {
  const limit = checkedLength(text);
  return limit < text.length ? { ...parseManifest(text.slice(0, limit), uri), text } : parseManifest(text, uri);
}

export function sendEntries(entries: LocalEntry[]): SentEntry[] {
  const send = ({ fixes, ...rest }: Finding): SentFinding => (fixes ? { ...rest, offersFixes: true } : rest);
  return entries.map((e) => ({ ...e, local: e.local.map(send) }));
}

/**
 * Parses every file into `workspace` (in input order, as a single-threaded run indexes them) on
 * `jobs` threads, with its local findings computed where it was parsed. checkFile(manifest,
 * workspace, settings, cache) then gives the file's findings once the index is complete. With
 * `simulation`, the threads also put their workloads' verdicts into its cache, so that
 * checkSimulations with that cache runs only the placements.
 */
export async function parseFiles(files: PoolInput[], kustomizations: PoolInput[], settings: KdrySettings, workspace: WorkspaceIndex, jobs = defaultJobs(files), simulation?: { cluster: VerdictCluster; cache: VerdictCache }): Promise<ParsedFile[]> {
  const shares = shareBySize(files, Math.min(jobs, files.length));
  if (shares.length <= 1) {
    return files.map((f) => {
      const manifest = parseChecked(f);
      workspace.set(manifest);
      return { manifest };
    });
  }
  const cluster = simulation?.cluster;
  const fromWorkers = shares.slice(1).map((share) => inWorker({ files: share.map((i) => files[i]), kustomizations, settings, cluster }));
  const parsed: ParsedFile[] = new Array(files.length);
  // The main thread's own share, while the workers run.
  const own = parseAndCheckLocally(shares[0].map((i) => files[i]), kustomizations, settings, cluster);
  own.checked.forEach(({ manifest, entries }, n) => {
    parsed[shares[0][n]] = { manifest, cache: CheckCache.fromLocalEntries(NO_GENERATION, entries) };
  });
  const answers = await Promise.all(fromWorkers);
  if (simulation) for (const [source, verdict] of [own, ...answers].flatMap((a) => a.verdicts)) simulation.cache.seed(simulation.cluster, source, verdict);
  answers.forEach((answer, w) =>
    shares[w + 1].forEach((i, n) => {
      const { text, uri } = files[i];
      const manifest = { ...restoreManifest(text.slice(0, checkedLength(text)), uri, answer.files[n].summaries), text };
      parsed[i] = { manifest, cache: CheckCache.fromLocalEntries(NO_GENERATION, received(answer.files[n].entries, manifest, workspace, settings)) };
    }),
  );
  for (const { manifest } of parsed) workspace.set(manifest);
  return parsed;
}

/**
 * A worker's local findings for `file` (restored on this thread). A finding's fixes, if asked for,
 * are built by checking the file here again (the workspace complete by then) and taking the same
 * finding's. An entry's findings are where its document first occurs, as in the worker (same text).
 */
function received(entries: SentEntry[], file: ManifestFile, workspace: WorkspaceIndex, settings: KdrySettings): LocalEntry[] {
  let again: Finding[] | undefined;
  const twin = (f: SentFinding) => {
    again ??= checkFile(file, workspace, settings);
    return again.find((g) => g.ruleId === f.ruleId && g.range[0] === f.range[0] && g.range[1] === f.range[1] && g.message === f.message);
  };
  const restore = ({ offersFixes, ...rest }: SentFinding): Finding => (offersFixes ? { ...rest, fixes: () => fixesOf(twin(rest) ?? rest) } : rest);
  return entries.map((e) => ({ ...e, local: e.local.map(restore) }));
}

/** The bundled worker beside cli.js; from source (the tests), the TypeScript file through tsx. */
const FROM_SOURCE = __filename.endsWith('.ts');
const WORKER_FILE = join(__dirname, FROM_SOURCE ? 'check-worker.ts' : 'check-worker.js');

/**
 * One worker's answer. Fail closed: a worker that throws, exits or answers with an error rejects,
 * and `kdry check` then ends in an internal error (exit 2) without a report, never a clean one.
 * `workerFile` is for the tests, which give it workers that misbehave.
 */
export function inWorker(request: WorkerRequest, workerFile = WORKER_FILE): Promise<Extract<WorkerResponse, { files: unknown }>> {
  return new Promise((resolve, reject) => {
    const worker = workerFile.endsWith('.ts') ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(workerFile)});`, { eval: true }) : new Worker(workerFile);
    worker.once('message', (response: WorkerResponse) => {
      void worker.terminate();
      if ('error' in response) reject(new Error(`kdry check worker: ${response.error}`));
      else resolve(response);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`kdry check worker exited (${code}) before answering`)));
    worker.postMessage(request);
  });
}

/**
 * Indices of `files` in `count` shares of about equal size: largest file first, each to the
 * lightest share so far (deterministic). Share 0 is the main thread's.
 */
export function shareBySize(files: readonly PoolInput[], count: number): number[][] {
  const shares = Array.from({ length: Math.max(1, count) }, () => ({ bytes: 0, files: [] as number[] }));
  const order = files.map((f, i) => i).sort((a, b) => files[b].text.length - files[a].text.length || a - b);
  for (const i of order) {
    const lightest = shares.reduce((min, s) => (s.bytes < min.bytes ? s : min));
    lightest.files.push(i);
    lightest.bytes += files[i].text.length;
  }
  return shares.map((s) => s.files.sort((a, b) => a - b)).filter((s, i) => i === 0 || s.length > 0);
}
