// `kdry check` on every core: the checked documents of every file are cut into slices of about
// SLICE_BYTES, and the main thread and `jobs - 1` worker threads (check-worker.ts, bundled beside
// the CLI) each take the next slice from one shared counter until none is left, so a thread that
// started late or runs slower takes fewer (a static share left the other core idle for the last
// second). Each parses its slices and runs their single-document checks into a local-only
// CheckCache, and sends back the documents' values and local findings. The main thread then indexes
// every file from those (values, no second parse); checkFile with each file's cache runs only the
// cross-document rules, in one pass over the full index. One job takes every slice on the main
// thread the same way: a slice's parsed documents (their events, any tree built for a range) are
// garbage once its local findings are taken, so a run no longer holds every file's parse until
// the end (about 50 MB less on 10 files of 1,000 documents, and fewer survivors to copy in each
// young-generation collection). Same findings either way (test).
import { availableParallelism } from 'node:os';
import { checkedLength, checkFile } from '../check';
import { CheckCache, type LocalEntry } from '../check-cache';
import { fixesOf, type Finding } from '../findings';
import { parseManifest, restoreManifest, splitDocuments, summarizeManifest, type DocumentChunk, type DocumentSummary, type ManifestFile } from '../manifest';
import type { KdrySettings } from '../settings';
import { WorkspaceIndex } from '../workspace';
import { isWorkloadDocument, refersToWorkload } from '../simulation-checks';
import type { EngineThread, SentWorkload } from './check-engine-thread';
import { startCheckWorker } from './check-worker-thread';

export interface PoolInput {
  uri: string;
  text: string;
}

export interface ParsedFile {
  manifest: ManifestFile;
  /** The file's local findings, already computed on some thread (the main one with one job). */
  cache: CheckCache;
}

/** Below this much YAML a worker's start-up (loading the bundle, ~0.2 s) costs more than it saves. */
export const PARALLEL_MIN_BYTES = 256 * 1024;

/**
 * About this much YAML per slice: small enough that the threads finish within a few milliseconds
 * of each other, large enough that a slice's bookkeeping (one counter step, one check of a partial
 * file) stays negligible. A 900 KB file of 1,000 documents is 14 slices.
 */
const SLICE_BYTES = 64 * 1024;

/**
 * The default number of jobs: one thread per two cores for inputs large enough to share, else one.
 * One thread already keeps about 1.5 cores busy, since V8 collects garbage and compiles optimised
 * code on threads of its own: `--jobs 1` on 10 mixed files of 1,000 documents took 5.9 s of CPU in
 * 4.1 s (and per thread, at load 15: the main thread 3.5 s, V8's four helpers 2.5 s). A second
 * thread on 2 cores competes with those helpers and pays its own start, warm-up and collections:
 * 4.5 s and 7.7 s of CPU, slower than one (npm run bench cli).
 */
export function defaultJobs(files: readonly PoolInput[], cores = availableParallelism()): number {
  return files.reduce((n, f) => n + f.text.length, 0) >= PARALLEL_MIN_BYTES ? Math.max(1, Math.floor(cores / 2)) : 1;
}

/** A finding as it crosses threads: whether it offers fixes (a function cannot be sent). */
type SentFinding = Omit<Finding, 'fixes'> & { offersFixes?: true };
type SentEntry = Omit<LocalEntry, 'local'> & { local: SentFinding[] };

/** Documents `from` to `to` (chunk indices of the file's checked text, splitDocuments) of `files[file]`. */
export interface Slice {
  file: number;
  from: number;
  to: number;
}

export interface WorkerRequest {
  files: PoolInput[];
  slices: Slice[];
  /** One Int32 shared by every thread: the index of the next slice to take (Atomics.add). */
  next: SharedArrayBuffer;
  /** Kustomizations (given or found around the files): they say which files are patches. */
  kustomizations: PoolInput[];
  settings: KdrySettings;
}

/** One slice's documents as another thread rebuilds them (restoreManifest) and their local findings. */
export interface CheckedSlice {
  slice: number;
  summaries: DocumentSummary[];
  entries: SentEntry[];
  /** Whether the file was checked as a kustomize patch (its local findings hold for that role only). */
  patch: boolean;
}

export type WorkerResponse = { slices: CheckedSlice[] } | { error: string };

/** No cross-document rule reads the local-only caches' generation. */
const NO_GENERATION = () => 0;

/** The chunks checked of a file's text: past MAX_CHECKED_DOCUMENTS only what is checked is parsed (as the language server does). */
function checkedChunks(text: string): DocumentChunk[] {
  return splitDocuments(text.slice(0, checkedLength(text)));
}

/** Each file's checked documents in slices of about SLICE_BYTES, in file then document order. */
export function sliceFiles(files: readonly PoolInput[], chunksOfFiles = files.map((f) => checkedChunks(f.text))): Slice[] {
  const slices: Slice[] = [];
  files.forEach((f, file) => {
    const chunks = chunksOfFiles[file];
    let from = 0;
    let bytes = 0;
    chunks.forEach((chunk, i) => {
      bytes += chunk.source.length;
      if (bytes < SLICE_BYTES && i < chunks.length - 1) return;
      slices.push({ file, from, to: i + 1 });
      from = i + 1;
      bytes = 0;
    });
    if (chunks.length === 0) slices.push({ file, from: 0, to: 0 });
  });
  return slices;
}

/**
 * Takes slices from the shared counter until none is left: parses each (kustomizations are in an
 * index of their own, so patches are known) and runs its documents' single-document checks. What
 * a worker does, and the main thread with its own; the main thread also hands each slice's
 * workloads to the engine thread, when there is one (`engine`).
 */
export function checkSlices(request: Omit<WorkerRequest, 'next'> & { next: Int32Array; chunks?: DocumentChunk[][]; engine?: EngineThread }): { slices: CheckedSlice[] } {
  const { files, slices, next, kustomizations, settings, engine } = request;
  const local = new WorkspaceIndex();
  for (const k of kustomizations) local.set(parseManifest(k.text, k.uri));
  const chunksOf = new Map<number, DocumentChunk[]>();
  const checked: CheckedSlice[] = [];
  for (let at = Atomics.add(next, 0, 1); at < slices.length; at = Atomics.add(next, 0, 1)) {
    const { file, from, to } = slices[at];
    const { text, uri } = files[file];
    let chunks = request.chunks?.[file] ?? chunksOf.get(file);
    if (!chunks) chunksOf.set(file, (chunks = checkedChunks(text)));
    // The slice's documents as a file of their own: their offsets and the text are the whole file's.
    // Dropped once checked, so their events are kept for the ranges meanwhile.
    const manifest = parseManifest(text, uri, undefined, chunks.slice(from, to), 'ranges');
    const cache = new CheckCache(NO_GENERATION, true);
    checkFile(manifest, local, settings, cache);
    checked.push({ slice: at, summaries: summarizeManifest(manifest), entries: sendEntries(cache.localEntries()), patch: local.isPatch(uri) });
    if (engine && !local.isPatch(uri)) engine.send(simulatedWorkloads(manifest));
  }
  return { slices: checked };
}

/**
 * The workloads the simulation checks will ask a verdict of (simulationJob's choice). Argo Rollouts
 * too: a verdict reads only the document. Not one that takes its pod template from another object
 * (`spec.workloadRef`), whose verdict depends on that object (the job carries both); and a Rollout
 * its CRD's schema refuses (known once every file is indexed) gets a verdict nobody reads.
 */
function simulatedWorkloads(manifest: ManifestFile): SentWorkload[] {
  return manifest.documents.filter((doc) => isWorkloadDocument(doc, true) && !refersToWorkload(doc)).map((doc) => [doc.source, doc.value as Record<string, unknown>]);
}

function sendEntries(entries: LocalEntry[]): SentEntry[] {
  const send = ({ fixes, ...rest }: Finding): SentFinding => (fixes ? { ...rest, offersFixes: true } : rest);
  return entries.map((e) => ({ ...e, local: e.local.map(send) }));
}

/**
 * Parses every file into `workspace` (in input order, as a single-threaded run indexes them) on
 * `jobs` threads, with its local findings computed where it was parsed. checkFile(manifest,
 * workspace, settings, cache) then gives the file's findings once the index is complete. With
 * `engine`, the workloads go to the engine thread as the main thread parses them (and those the
 * workers parsed, once they answer).
 */
export async function parseFiles(files: PoolInput[], kustomizations: PoolInput[], settings: KdrySettings, workspace: WorkspaceIndex, jobs = defaultJobs(files), engine?: EngineThread): Promise<ParsedFile[]> {
  if (files.length === 0) return [];
  // Split once on this thread: its slices and the restored files share these chunks, so each
  // document's source is one string object, held once (the check cache looks it up by value, and
  // the same object compares at once).
  const chunks = files.map((f) => checkedChunks(f.text));
  const slices = sliceFiles(files, chunks);
  const threads = Math.max(1, Math.min(jobs, slices.length));
  const next = new SharedArrayBuffer(4);
  const request: WorkerRequest = { files, slices, next, kustomizations, settings };
  const fromWorkers = Array.from({ length: threads - 1 }, () => inWorker(request));
  // Wait for every worker even when one fails (the run ends with exit 2 either way), so none is left running.
  const answered = Promise.allSettled(fromWorkers);
  // The main thread takes slices too, while the workers start and run.
  const own = checkSlices({ ...request, next: new Int32Array(next), chunks, engine });
  const answers = [own];
  for (const a of await answered) {
    if (a.status === 'rejected') throw a.reason;
    answers.push(a.value);
  }
  const bySlice: CheckedSlice[] = new Array(slices.length);
  for (const a of answers) for (const checked of a.slices) bySlice[checked.slice] = checked;
  // Slices are in file order: each file's documents and local findings, put back together.
  const ofFile = files.map(() => ({ summaries: [] as DocumentSummary[], entries: [] as SentEntry[], patch: false }));
  slices.forEach((s, i) => {
    const checked = bySlice[i];
    if (!checked) throw new Error(`${files[s.file].uri}: documents ${s.from} to ${s.to} were not checked`);
    ofFile[s.file].summaries.push(...checked.summaries);
    ofFile[s.file].entries.push(...checked.entries);
    ofFile[s.file].patch = checked.patch;
  });
  const parsed = files.map(({ text, uri }, file): ParsedFile => {
    const manifest = { ...restoreManifest(text.slice(0, checkedLength(text)), uri, ofFile[file].summaries, chunks[file]), text };
    return { manifest, cache: CheckCache.fromLocalEntries(NO_GENERATION, received(ofFile[file].entries, manifest, workspace, settings), { patch: ofFile[file].patch, settings }) };
  });
  // The workers' slices' workloads (the engine thread leaves out those it already has).
  if (engine && threads > 1) parsed.forEach(({ manifest }, file) => ofFile[file].patch || engine.send(simulatedWorkloads(manifest)));
  for (const { manifest } of parsed) workspace.set(manifest);
  return parsed;
}

/**
 * A thread's local findings for `file` (restored on this thread). A finding's fixes, if asked for,
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

/**
 * One worker's answer. Fail closed: a worker that throws, exits or answers with an error rejects,
 * and `kdry check` then ends in an internal error (exit 2) without a report, never a clean one.
 * `workerFile` is for the tests, which give it workers that misbehave.
 */
export function inWorker(request: WorkerRequest, workerFile?: string): Promise<Extract<WorkerResponse, { slices: unknown }>> {
  return new Promise((resolve, reject) => {
    const worker = startCheckWorker(workerFile);
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
