// kube-scheduler's FitError message read back into its reasons, so a finding can sit on the field
// that causes the reason (`3 Insufficient cpu` -> the cpu request). The texts are the filter
// plugins' own (the engine's scheduler/filters/*, after pkg/scheduler/framework/plugins).
import { ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_EXISTING_ANTI_AFFINITY, ERR_REASON_NODE_PORTS, ERR_REASON_POD_NODE_AFFINITY } from '../engine';

export type ReasonCause =
  | { kind: 'resource'; resource: string }
  | { kind: 'tooManyPods' }
  | { kind: 'nodeSelector' }
  | { kind: 'taint'; key: string }
  | { kind: 'hostPort' }
  | { kind: 'topologySpread' }
  | { kind: 'podAffinity' }
  | { kind: 'podAntiAffinity' }
  | { kind: 'other' };

export interface SchedulerReason {
  nodes: number;
  text: string;
  cause: ReasonCause;
}

/**
 * The reasons of `0/N nodes are available: <count> <reason>, .... preemption: ...`, in the
 * message's order. The preemption part repeats the same nodes and is left out.
 */
export function schedulerReasons(message: string): SchedulerReason[] {
  const m = /^0\/\d+ nodes are available: (.*?)\.(?: preemption:.*)?$/s.exec(message.trim());
  if (!m) return [];
  return m[1].split(/, (?=\d+ )/).flatMap((part) => {
    const r = /^(\d+) (.*)$/s.exec(part);
    return r ? [{ nodes: Number(r[1]), text: r[2], cause: causeOf(r[2]) }] : [];
  });
}

function causeOf(text: string): ReasonCause {
  const insufficient = /^Insufficient (\S+)$/.exec(text);
  if (insufficient) return { kind: 'resource', resource: insufficient[1] };
  if (text === 'Too many pods') return { kind: 'tooManyPods' };
  if (text === ERR_REASON_POD_NODE_AFFINITY) return { kind: 'nodeSelector' };
  const taint = /^node\(s\) had untolerated taint \{([^:}]+)(?::[^}]*)?\}$/.exec(text);
  if (taint) return { kind: 'taint', key: taint[1] };
  if (text === ERR_REASON_NODE_PORTS) return { kind: 'hostPort' };
  if (text === ERR_REASON_CONSTRAINTS_NOT_MATCH) return { kind: 'topologySpread' };
  if (text === ERR_REASON_AFFINITY) return { kind: 'podAffinity' };
  if (text === ERR_REASON_ANTI_AFFINITY || text === ERR_REASON_EXISTING_ANTI_AFFINITY) return { kind: 'podAntiAffinity' };
  return { kind: 'other' };
}

/** Taints the cluster's own machinery sets on nodes (not-ready, unschedulable, ...): nothing a manifest should tolerate. */
const NODE_CONDITION_TAINT = /^node\.kubernetes\.io\//;
/** When counts tie, the field more likely meant: what the user asked for before what the nodes refuse. */
const PRECEDENCE: ReasonCause['kind'][] = ['resource', 'nodeSelector', 'hostPort', 'topologySpread', 'podAffinity', 'podAntiAffinity', 'tooManyPods', 'taint'];

/** The reason that keeps the most nodes out, the one to blame; undefined when none is the manifest's. */
export function mainReason(reasons: readonly SchedulerReason[]): SchedulerReason | undefined {
  const blameable = reasons.filter((r) => r.cause.kind !== 'other' && !(r.cause.kind === 'taint' && NODE_CONDITION_TAINT.test(r.cause.key)));
  return [...blameable].sort((a, b) => b.nodes - a.nodes || PRECEDENCE.indexOf(a.cause.kind) - PRECEDENCE.indexOf(b.cause.kind))[0];
}
