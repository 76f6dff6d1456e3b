// Messages between the extension host and the Dry-run webview, declared once for both sides.
// Everything that arrives from the webview is untrusted: parseViewMessage checks its shape first.
import type { RolloutBounds, SimulateResponse } from '../../server/src/protocol/requests';

/** The rollout bounds drawn on the timeline (desired + maxSurge above, desired - maxUnavailable below). */
export type { RolloutBounds };

export interface ViewFaults {
  neverReady: boolean;
  /** Node that goes NotReady mid-rollout, '' for none. */
  nodeNotReady: string;
}

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

export type ToViewMessage =
  | ResultMessage
  | { type: 'idle'; message: string }
  | { type: 'busy' };

export type FromViewMessage =
  | { type: 'ready' }
  | { type: 'selectWorkload'; kind: string; name: string }
  | { type: 'setFaults'; faults: ViewFaults }
  | { type: 'simulateRollout' }
  /** `renderedAt`: wall-clock epoch ms when drawing finished (host and view share the machine's clock). */
  | { type: 'rendered'; seq: number; renderMs: number; renderedAt: number };

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
      const faults = msg.faults as Record<string, unknown> | undefined;
      if (!faults || typeof faults !== 'object') return undefined;
      if (typeof faults.neverReady !== 'boolean' || !isShortString(faults.nodeNotReady)) return undefined;
      return { type: 'setFaults', faults: { neverReady: faults.neverReady, nodeNotReady: faults.nodeNotReady } };
    }
    case 'rendered':
      if (Number.isSafeInteger(msg.seq) && isFiniteNumber(msg.renderMs) && isFiniteNumber(msg.renderedAt)) {
        return { type: 'rendered', seq: msg.seq as number, renderMs: msg.renderMs, renderedAt: msg.renderedAt };
      }
      return undefined;
    default:
      return undefined;
  }
}
