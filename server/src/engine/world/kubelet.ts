// The kubelet of every node, reduced to the timing model of lifecycle.ts: it starts the containers
// of a pod bound to its (Ready) node, reports Ready after the readiness probe, runs Job pods to
// completion, restarts crashing containers with back-off, and confirms a graceful shutdown.
// Upstream: pkg/kubelet (syncPod, the prober, the container restart back-off).
import type { ClockEvent } from '../clock';
import {
  CRASH_AFTER_START_SECONDS,
  IMAGE_PULL_AND_START_SECONDS,
  crashBackoffSeconds,
  readyDelaySeconds,
  runSeconds,
  runsToCompletion,
  terminationSeconds,
} from '../lifecycle';
import type { Faults, PodExitFault, SimNode, SimPod } from '../types';
import type { WorldActions, WorldState } from './state';
import { restartAfterExit } from './container-restart';

/** A fault revision `new` means any revision no pod had when the rollout started. */
export const NEW_REVISION = 'new';

/** Crash-loop restarts after this many no longer keep the simulation running on their own. */
const FOREGROUND_CRASH_RESTARTS = 6;

export type KubeletEventKind = 'podRunning' | 'podReady' | 'podCrash' | 'podRestart' | 'podCompleted' | 'podGone';

export class Kubelet {
  private readonly crashLooping = new Set<SimPod>();
  private revisionsAtStart: Set<string> | undefined;
  /** Pods the pods:exit fault hit: each start of their containers ends in that exit code. */
  private readonly exiting = new Set<SimPod>();
  /** Pods the pods:exit fault looked at so far (its share counts them in start order). */
  private exitCandidates = 0;
  /** Crash-looping pods whose container exited 0 and is restarted (it runs to completion again). */
  private readonly completedRestarts = new Set<SimPod>();
  /** Pods with a container that exited and is not restarted while another is: never Ready again. */
  private readonly partlyStopped = new Set<SimPod>();
  /** readyDelaySeconds per pod spec: pods of one template share the spec object, and a rollout starts 20,000 of them. */
  private readonly readyDelays = new WeakMap<object, number>();

  constructor(
    private readonly state: WorldState,
    private readonly faults: Faults,
    private readonly world: WorldActions,
  ) {}

  /** The revisions present when the rollout starts: a fault on revision `new` hits only the others. */
  markRolloutStart(revisions: Set<string>): void {
    this.revisionsAtStart = revisions;
  }

  isCrashLooping(pod: SimPod): boolean {
    return this.crashLooping.has(pod);
  }

  /**
   * The pod was bound to `node`. A NotReady node has no kubelet to start the containers; an init
   * container that never exits (world/disabled-fields.ts) keeps the app containers from starting.
   */
  podBound(pod: SimPod, node: SimNode): void {
    if (node.ready && !pod.heldAtInit) this.state.queue.pushPod(this.state.time.now + IMAGE_PULL_AND_START_SECONDS, 'podRunning', pod);
  }

  /** Graceful deletion on a Ready node: SIGTERM, and the pod leaves once its containers stopped. */
  stopContainers(pod: SimPod): void {
    this.state.queue.pushPod(this.state.time.now + terminationSeconds(pod.spec), 'podGone', pod);
  }

  forget(pod: SimPod): void {
    // Most runs never fill these sets: every pod removed would otherwise ask four empty sets.
    if (this.crashLooping.size > 0) this.crashLooping.delete(pod);
    if (this.completedRestarts.size > 0) this.completedRestarts.delete(pod);
    if (this.exiting.size > 0) this.exiting.delete(pod);
    if (this.partlyStopped.size > 0) this.partlyStopped.delete(pod);
  }

  /** Applies one of the kubelet's clock events. Returns true when `podReady` made the pod Ready. */
  apply(event: ClockEvent & { kind: KubeletEventKind }, pod: SimPod): boolean {
    const alive = pod.deletionTimestamp === undefined;
    const { queue, time, changes } = this.state;
    switch (event.kind) {
      case 'podRunning':
        if (alive && pod.phase === 'Pending') this.startContainers(pod);
        return false;
      case 'podReady':
        if (alive && pod.phase === 'Running' && !this.crashLooping.has(pod) && !this.partlyStopped.has(pod) && this.state.nodes.isReady(pod.nodeName)) {
          pod.ready = true;
          pod.readySince = time.now;
          changes.podChanged(pod);
          return true;
        }
        return false;
      case 'podCrash':
        if (alive && pod.phase === 'Running') this.crash(pod);
        return false;
      case 'podRestart':
        if (alive && this.crashLooping.delete(pod)) {
          changes.podChanged(pod);
          if (this.completedRestarts.delete(pod)) {
            // Restarted after exiting 0: it runs its course again.
            queue.pushPod(time.now + runSeconds(pod.spec, pod.annotations), 'podCompleted', pod, pod.restartCount <= FOREGROUND_CRASH_RESTARTS);
            queue.pushPod(time.now + this.readyDelay(pod), 'podReady', pod);
          } else queue.pushPod(time.now + this.secondsUntilExit(pod), 'podCrash', pod, pod.restartCount <= FOREGROUND_CRASH_RESTARTS);
        }
        return false;
      case 'podCompleted':
        if (alive && pod.phase === 'Running' && this.restartsAfterExit(pod, 0)) {
          // A container-level restartPolicy (Always) or a rule matching exit code 0 restarts it.
          pod.exitCode = 0;
          pod.ready = false;
          pod.readySince = undefined;
          changes.podChanged(pod);
          this.completedRestarts.add(pod);
          this.restartAfterBackOff(pod);
        } else if (alive && pod.phase === 'Running') {
          pod.phase = 'Succeeded';
          pod.ready = false;
          pod.readySince = undefined;
          changes.podChanged(pod);
          this.state.scheduler.podChanged(pod);
          this.world.clusterChanged();
        }
        return false;
      case 'podGone':
        this.world.removePod(pod);
        return false;
    }
  }

  private startContainers(pod: SimPod): void {
    const { queue, time } = this.state;
    pod.phase = 'Running';
    this.state.changes.podChanged(pod);
    if (this.revisionFaulted(this.faults.crashLoopRevision, pod.revision)) {
      queue.pushPod(time.now + CRASH_AFTER_START_SECONDS, 'podCrash', pod);
      return;
    }
    if (this.hitByExitFault(pod)) {
      this.exiting.add(pod);
      queue.pushPod(time.now + this.secondsUntilExit(pod), 'podCrash', pod);
      // A run-to-completion container is up (and ready) until it exits; a server exits at once.
      if (runsToCompletion(pod.spec) && !this.revisionFaulted(this.faults.neverReadyRevision, pod.revision)) queue.pushPod(time.now + this.readyDelay(pod), 'podReady', pod);
      return;
    }
    if (runsToCompletion(pod.spec)) queue.pushPod(time.now + runSeconds(pod.spec, pod.annotations), 'podCompleted', pod);
    if (!this.revisionFaulted(this.faults.neverReadyRevision, pod.revision)) queue.pushPod(time.now + this.readyDelay(pod), 'podReady', pod);
  }

  /**
   * The containers exited with the fault's code (else 1): restarted after the back-off, or not, as
   * ContainerShouldRestart decides for each (container-restart.ts); a pod none of whose containers
   * is restarted ends Failed, or Succeeded on exit 0.
   */
  private crash(pod: SimPod): void {
    pod.exitCode = this.exiting.has(pod) ? (this.faults.podExit as PodExitFault).exitCode : 1;
    pod.ready = false;
    pod.readySince = undefined;
    this.state.changes.podChanged(pod);
    if (!this.restartsAfterExit(pod, pod.exitCode)) {
      pod.phase = pod.exitCode === 0 ? 'Succeeded' : 'Failed';
      this.state.scheduler.podChanged(pod);
      this.world.clusterChanged();
      return;
    }
    this.restartAfterBackOff(pod);
  }

  /** Whether any container restarts after all exited with `exitCode`; one that does not keeps the pod from Ready. */
  private restartsAfterExit(pod: SimPod, exitCode: number): boolean {
    const { restart, stopped } = restartAfterExit(pod.spec, exitCode);
    if (restart && stopped.length > 0) this.partlyStopped.add(pod);
    return restart;
  }

  private restartAfterBackOff(pod: SimPod): void {
    pod.restartCount++;
    this.crashLooping.add(pod);
    this.state.changes.event(`pod/${pod.name}`, `Back-off restarting failed container`, 'Warning');
    this.state.queue.pushPod(this.state.time.now + crashBackoffSeconds(pod.restartCount), 'podRestart', pod, pod.restartCount <= FOREGROUND_CRASH_RESTARTS);
  }

  /**
   * The pods:exit fault: a pod started after the run began, of a chosen completion index if any,
   * and within the share, counted in start order (pod k fails when ceil(k x share) > ceil((k-1) x share),
   * so 50% fails the 1st, 3rd, 5th ... pod).
   */
  private hitByExitFault(pod: SimPod): boolean {
    const fault = this.faults.podExit;
    if (!fault || this.revisionsAtStart === undefined) return false;
    if (fault.indexes && (pod.completionIndex === undefined || !fault.indexes.includes(pod.completionIndex))) return false;
    const share = fault.sharePercent ?? 100;
    const k = ++this.exitCandidates;
    return Math.ceil((k * share) / 100) > Math.ceil(((k - 1) * share) / 100);
  }

  private readyDelay(pod: SimPod): number {
    let delay = this.readyDelays.get(pod.spec);
    if (delay === undefined) this.readyDelays.set(pod.spec, (delay = readyDelaySeconds(pod.spec)));
    return delay;
  }

  /** A Job's container runs its run time before it exits; any other exits 1 s after it starts. */
  private secondsUntilExit(pod: SimPod): number {
    return this.exiting.has(pod) && runsToCompletion(pod.spec) ? runSeconds(pod.spec, pod.annotations) : CRASH_AFTER_START_SECONDS;
  }

  private revisionFaulted(target: string | undefined, revision: string): boolean {
    if (target === undefined || target === '') return false;
    // Before the rollout starts (the warm-up from `before`) no revision is new.
    if (target === NEW_REVISION) return this.revisionsAtStart !== undefined && !this.revisionsAtStart.has(revision);
    return target === revision;
  }
}
