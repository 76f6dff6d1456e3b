// `kubectl drain NODE --ignore-daemonsets --delete-emptydir-data` as a client of the simulated
// cluster, after staging/src/k8s.io/kubectl/pkg/drain (drain.go evictPods, filters.go
// GetPodsForDeletion) and pkg/cmd/drain: cordon the node, evict every pod on it through the
// eviction API (DaemonSet pods are left, with kubectl's warning; a pod no controller owns stops the
// drain, as without --force), retry a pod every 5 s while the API answers 429 (a
// PodDisruptionBudget allows no disruption), and say the node is drained once every evicted pod
// is gone. The lines it prints are its timeline events, on the object `kubectl drain NODE`.
//
// kubectl retries for ever (no --timeout). The run keeps time for the retries while something
// could still change the budget's answer; once a retry meets the very answer of the one before it
// and nothing else is queued, the run ends and the drain is reported as waiting.
import type { Controller, SimPod, StatusRow, World } from '../../types';
import { evictionOutcome, type EvictionOutcome } from './eviction';
import type { DisruptionController } from './controller';

/** drain.go: `time.Sleep(5 * time.Second)` after a 429. */
export const DRAIN_RETRY_SECONDS = 5;

/** What the drain needs from the World beyond the controller contract (SimWorld has it). */
export interface DrainWorld extends World {
  cordonNode(name: string): boolean;
  evictPod(pod: SimPod): void;
  holds(pod: SimPod): boolean;
}

interface PodAttempt {
  nextAt: number;
  lastAt?: number;
  /** The last refusal in words: the same answer twice running means only a change can help. */
  lastAnswer?: string;
  /** Evicted: waiting until the pod is gone (waitForDelete). */
  evicted?: boolean;
  /** Refused twice with the same answer: the next retry waits for the answer to change. */
  parked?: boolean;
}

export class DrainController implements Controller {
  readonly kind = 'Drain';
  readonly key: string;
  readonly name: string;
  private readonly object: string;
  private started = false;
  private startAt: number | undefined;
  private drained = false;
  private error: string | undefined;
  private readonly attempts = new Map<SimPod, PodAttempt>();

  constructor(
    private readonly world: DrainWorld,
    readonly node: string,
    /** Virtual time the drain starts; undefined: a second after the workload first settled (its pods are up). */
    private readonly at: number | undefined,
    private readonly disruption: DisruptionController | undefined,
    private readonly workloadSettled: () => boolean,
  ) {
    this.name = node;
    this.key = `Drain/${node}`;
    this.object = `kubectl drain ${node}`;
  }

  update(): void {}

  sync(): boolean {
    const world = this.world;
    if (this.drained || this.error !== undefined) return false;
    if (!this.started) {
      // Without a time: a second after the workload first settled, so its settled state is a step of its own.
      if (this.startAt === undefined && (this.at !== undefined || this.workloadSettled())) this.startAt = this.at ?? world.now + 1;
      if (this.startAt === undefined || world.now < this.startAt) {
        if (this.startAt !== undefined) world.requeueAt(this.key, this.startAt);
        return false;
      }
      return this.start();
    }
    let changed = false;
    for (const [pod, attempt] of this.attempts) {
      if (attempt.evicted) {
        // waitForDelete: the pod object is gone.
        if (!world.holds(pod)) {
          world.event(this.object, `pod/${pod.name} evicted`);
          this.attempts.delete(pod);
          changed = true;
        }
        continue;
      }
      if (attempt.parked) this.wakeForChange(pod, attempt);
      else if (world.now >= attempt.nextAt) changed = this.attempt(pod, attempt) || changed;
    }
    if (this.attempts.size === 0) {
      world.event(this.object, `node/${this.node} drained`);
      this.drained = true;
      changed = true;
    }
    return changed;
  }

  // Cordon, then list the pods to evict (GetPodsForDeletion) or stop on a pod without controller.
  private start(): boolean {
    const world = this.world;
    this.started = true;
    if (!world.nodes.some((n) => n.name === this.node)) {
      this.error = `Error from server (NotFound): nodes "${this.node}" not found`;
      world.event(this.object, this.error, 'Warning');
      return true;
    }
    world.event(this.object, `node/${this.node} cordoned`);
    world.cordonNode(this.node);
    const onNode = world.pods().filter((p) => p.nodeName === this.node);
    const daemons = onNode.filter((p) => p.owner?.kind === 'DaemonSet');
    const unmanaged = onNode.filter((p) => !p.owner);
    const ref = (p: SimPod) => `${p.namespace}/${p.name}`;
    if (unmanaged.length > 0) {
      this.error = `cannot delete Pods that declare no controller (use --force to override): ${unmanaged.map(ref).join(', ')}`;
      world.event(this.object, `error: unable to drain node "${this.node}" due to error: ${this.error}, continuing command...`, 'Warning');
      return true;
    }
    if (daemons.length > 0) world.event(this.object, `Warning: ignoring DaemonSet-managed Pods: ${daemons.map(ref).join(', ')}`, 'Warning');
    for (const pod of onNode) if (pod.owner?.kind !== 'DaemonSet') this.attempts.set(pod, { nextAt: world.now });
    this.sync();
    return true;
  }

  // One eviction request for the pod, as drain.go's loop makes it.
  private attempt(pod: SimPod, attempt: PodAttempt): boolean {
    const world = this.world;
    if (!world.holds(pod)) {
      // Gone before kubectl asked (NotFound): nothing to wait for.
      this.attempts.delete(pod);
      return true;
    }
    world.event(this.object, `evicting pod ${pod.namespace}/${pod.name}`);
    const outcome: EvictionOutcome = evictionOutcome(pod, this.disruption?.statuses(world) ?? []);
    attempt.lastAt = world.now;
    if (outcome.evicted) {
      world.evictPod(pod);
      attempt.evicted = true;
      return true;
    }
    if (outcome.code === 500) {
      this.error = `error when evicting pods/"${pod.name}" -n "${pod.namespace}": ${outcome.message}`;
      world.event(this.object, this.error, 'Warning');
      return true;
    }
    world.event(this.object, `error when evicting pods/"${pod.name}" -n "${pod.namespace}" (will retry after ${DRAIN_RETRY_SECONDS}s): ${outcome.message}`, 'Warning');
    const answer = outcome.cause ?? outcome.message;
    const repeated = attempt.lastAnswer === answer;
    attempt.lastAnswer = answer;
    attempt.nextAt = world.now + DRAIN_RETRY_SECONDS;
    // The same refusal twice running: retry when something changed (wakeForChange), not on the clock alone.
    attempt.parked = repeated;
    if (!repeated) world.requeueAt(this.key, attempt.nextAt);
    return true;
  }

  // A parked pod whose budget may answer differently now: kubectl's next retry is the next 5 s
  // tick after its last attempt.
  private wakeForChange(pod: SimPod, attempt: PodAttempt): void {
    const world = this.world;
    const lastAt = attempt.lastAt ?? world.now;
    const outcome = evictionOutcome(pod, this.disruption?.statuses(world) ?? []);
    if (!outcome.evicted && (outcome.cause ?? outcome.message) === attempt.lastAnswer) return;
    attempt.parked = false;
    attempt.nextAt = lastAt + DRAIN_RETRY_SECONDS * Math.max(1, Math.ceil((world.now - lastAt) / DRAIN_RETRY_SECONDS));
    world.requeueAt(this.key, attempt.nextAt);
  }

  status(): StatusRow[] {
    const ready = this.world.nodes.find((n) => n.name === this.node);
    if (!ready || !this.started) return [];
    return [{ object: `node/${this.node}`, columns: { STATUS: `${ready.ready ? 'Ready' : 'NotReady'}${ready.unschedulable ? ',SchedulingDisabled' : ''}` } }];
  }

  settled(): boolean {
    return this.drained;
  }

  conditions(): string[] {
    return [];
  }

  notes(): string[] {
    if (this.drained || !this.started) return [];
    if (this.error !== undefined) return [`kubectl drain ${this.node} stopped: ${this.error}`];
    const waiting = [...this.attempts].filter(([, a]) => !a.evicted && a.lastAnswer !== undefined);
    if (waiting.length === 0) return [];
    const pods = waiting.map(([p]) => p.name).join(', ');
    return [`kubectl drain ${this.node} would keep retrying every ${DRAIN_RETRY_SECONDS} s for ${pods}: ${waiting[0][1].lastAnswer} (nothing left in the run could change that; kubectl drain --timeout bounds the wait)`];
  }
}
