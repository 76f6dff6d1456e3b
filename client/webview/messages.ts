// Messages between the extension host and the Dry-run webview, declared once for both sides.
// Everything that arrives from the webview is untrusted: parseViewMessage checks its shape first.
import type { CapacityExtent, CapacityResponse, RolloutBounds, SimulatePodsResponse, SimulateResponse } from '../../server/src/protocol/requests';
import { MAX_ANALYSIS_STEP, MAX_POD_PAGE, type Faults } from '../../server/src/protocol/wire';

/** The rollout bounds drawn on the timeline (desired + maxSurge above, desired - maxUnavailable below). */
export type { RolloutBounds };

/** An edit while the run goes on (`kdry simulate --then`): at `at` seconds, a scale or a new image of the first container. */
export interface ViewThen {
  at: number;
  replicas?: number;
  image?: string;
}

export interface ViewFaults {
  neverReady: boolean;
  /** Node that goes NotReady mid-rollout, '' for none. */
  nodeNotReady: string;
  /** Node drained (`kubectl drain --ignore-daemonsets`) once the workload settled, '' for none. */
  drain: string;
  /** Containers exit with this code (`--fail pods:exit=CODE`), 0 for none. */
  exitCode: number;
  /** ... in this share of the pods, in percent (100: every pod). */
  exitShare: number;
  /**
   * An Argo Rollout's AnalysisRuns end so (`--fail analysis[,inconclusive]`), '' for none (they
   * succeed); inconclusive, then the person promotes or aborts at the pause (`,inconclusive,promote|abort`).
   */
  analysis: ViewAnalysisEnd;
  /** ... only those of this canary step (1-based, `--fail analysis:step=N`), 0 for every run. */
  analysisStep: number;
  then?: ViewThen;
}

/** How the analysis picker's runs end, and what the person does at an Inconclusive pause. */
export type ViewAnalysisEnd = '' | 'Failed' | 'Inconclusive' | 'InconclusivePromote' | 'InconclusiveAbort';
export const ANALYSIS_ENDS: readonly ViewAnalysisEnd[] = ['', 'Failed', 'Inconclusive', 'InconclusivePromote', 'InconclusiveAbort'];

export const NO_FAULTS: ViewFaults = { neverReady: false, nodeNotReady: '', drain: '', exitCode: 0, exitShare: 100, analysis: '', analysisStep: 0 };

/**
 * The view's analysis picker as kdry/simulate's `faults.analysis` (the CLI's `--fail analysis[:step=N][,inconclusive[,promote|abort]]`);
 * none unless the simulated workload is an Argo Rollout (for any other kind the picker's row is hidden).
 */
export function analysisFault(faults: ViewFaults, workloadKind: string | undefined): Faults['analysis'] {
  if (faults.analysis === '' || workloadKind !== 'Rollout') return undefined;
  const then = faults.analysis === 'InconclusivePromote' ? 'promote' : faults.analysis === 'InconclusiveAbort' ? 'abort' : undefined;
  return { ...(faults.analysisStep > 0 ? { step: faults.analysisStep } : {}), ...(faults.analysis !== 'Failed' ? { phase: 'Inconclusive' as const } : {}), ...(then ? { then } : {}) };
}

/** The largest canary step the picker takes: kdry/simulate's bound, declared once in the protocol. */
export { MAX_ANALYSIS_STEP };

export interface ResultMessage {
  type: 'result';
  seq: number;
  /** File name shown in the header. */
  file: string;
  /** What was simulated: the editor buffer, or a rollout from before to after. */
  mode: 'dry-run' | 'rollout';
  response: SimulateResponse;
  bounds?: RolloutBounds;
  faults: ViewFaults;
  /** Time the server took, for the header and the benchmark. */
  requestMs: number;
}

/** The Capacity part: the scope of the file in the view placed together (kdry/capacity). */
export interface CapacityMessage {
  type: 'capacity';
  response: CapacityResponse;
}

/** A page of a paged run's pods (kdry/simulatePods), for the result `seq`. */
export interface PodsMessage {
  type: 'pods';
  seq: number;
  request: PodsRequest;
  response: SimulatePodsResponse;
}

/** The pods at a step of the shown run, from `offset` (on one node when `node` is set). */
export interface PodsRequest {
  step: number;
  node?: string;
  offset: number;
  limit: number;
}

export type ToViewMessage =
  | ResultMessage
  | CapacityMessage
  | PodsMessage
  | { type: 'idle'; message: string }
  | { type: 'busy' };

export type FromViewMessage =
  | { type: 'ready' }
  | { type: 'selectWorkload'; kind: string; name: string }
  | { type: 'setFaults'; faults: ViewFaults }
  | { type: 'simulateRollout' }
  /**
   * The Capacity part was opened (or closed), or its extent chosen (the file's scope or the whole
   * workspace): the host asks for it after each result while open.
   */
  | { type: 'showCapacity'; show: boolean; extent?: CapacityExtent }
  /** A page of the shown run's pods (a paged run: the pods table's next page, a node opened). */
  | ({ type: 'pods'; seq: number } & PodsRequest)
  /** `renderedAt`: wall-clock epoch ms when drawing finished (host and view share the machine's clock). */
  | { type: 'rendered'; seq: number; renderMs: number; renderedAt: number }
  /** `paintedAt`: wall-clock epoch ms once the frame that shows result `seq` was painted (after layout and paint, not only the DOM built). */
  | { type: 'painted'; seq: number; paintedAt: number };

const NAME_LIMIT = 253;

function isShortString(value: unknown, limit = NAME_LIMIT): value is string {
  return typeof value === 'string' && value.length <= limit;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Returns the message if it has exactly a known shape, else undefined (ignored by the host). */
export function parseViewMessage(raw: unknown): FromViewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const msg = raw as Record<string, unknown>;
  switch (msg.type) {
    case 'ready':
    case 'simulateRollout':
      return { type: msg.type };
    case 'selectWorkload':
      if (isShortString(msg.kind, 63) && isShortString(msg.name)) return { type: 'selectWorkload', kind: msg.kind, name: msg.name };
      return undefined;
    case 'setFaults': {
      const faults = parseFaults(msg.faults);
      return faults ? { type: 'setFaults', faults } : undefined;
    }
    case 'showCapacity':
      if (typeof msg.show !== 'boolean' || (msg.extent !== undefined && msg.extent !== 'scope' && msg.extent !== 'workspace')) return undefined;
      return { type: 'showCapacity', show: msg.show, ...(msg.extent !== undefined ? { extent: msg.extent } : {}) };
    case 'pods':
      if (!Number.isSafeInteger(msg.seq) || !isWhole(msg.step, 0, 10_000_000) || !isWhole(msg.offset, 0, 10_000_000) || !isWhole(msg.limit, 1, MAX_POD_PAGE)) return undefined;
      if (msg.node !== undefined && !isShortString(msg.node)) return undefined;
      return { type: 'pods', seq: msg.seq as number, step: msg.step, offset: msg.offset, limit: msg.limit, ...(msg.node !== undefined ? { node: msg.node } : {}) };
    case 'rendered':
      if (Number.isSafeInteger(msg.seq) && isFiniteNumber(msg.renderMs) && isFiniteNumber(msg.renderedAt)) {
        return { type: 'rendered', seq: msg.seq as number, renderMs: msg.renderMs, renderedAt: msg.renderedAt };
      }
      return undefined;
    case 'painted':
      return Number.isSafeInteger(msg.seq) && isFiniteNumber(msg.paintedAt) ? { type: 'painted', seq: msg.seq as number, paintedAt: msg.paintedAt } : undefined;
    default:
      return undefined;
  }
}

function isWhole(value: unknown, min: number, max: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

/** A year of virtual time: as far as kdry/simulate accepts. */
const MAX_AT_SECONDS = 366 * 86400;

function parseFaults(raw: unknown): ViewFaults | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const f = raw as Record<string, unknown>;
  if (typeof f.neverReady !== 'boolean' || !isShortString(f.nodeNotReady) || !isShortString(f.drain)) return undefined;
  if (!isWhole(f.exitCode, 0, 255) || !isWhole(f.exitShare, 1, 100)) return undefined;
  if (!ANALYSIS_ENDS.includes(f.analysis as ViewAnalysisEnd) || !isWhole(f.analysisStep, 0, MAX_ANALYSIS_STEP)) return undefined;
  const faults: ViewFaults = { neverReady: f.neverReady, nodeNotReady: f.nodeNotReady, drain: f.drain, exitCode: f.exitCode, exitShare: f.exitShare, analysis: f.analysis as ViewAnalysisEnd, analysisStep: f.analysisStep };
  if (f.then === undefined || f.then === null) return faults;
  const then = f.then as Record<string, unknown>;
  if (typeof then !== 'object' || !isWhole(then.at, 0, MAX_AT_SECONDS)) return undefined;
  const replicas = then.replicas === undefined ? undefined : isWhole(then.replicas, 0, 1_000_000) ? then.replicas : null;
  const image = then.image === undefined ? undefined : isShortString(then.image, 4096) && then.image.trim() !== '' ? then.image.trim() : null;
  if (replicas === null || image === null || (replicas === undefined && image === undefined)) return undefined;
  return { ...faults, then: { at: then.at, ...(replicas !== undefined ? { replicas } : {}), ...(image !== undefined ? { image } : {}) } };
}
