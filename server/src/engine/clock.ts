// Virtual time and the event queue. Nothing here reads wall time: the clock only moves when the
// simulation advances it to the next queued event, so the same input always gives the same timeline.
import type { SimPod } from './types';

export type ClockEventKind =
  | 'podRunning' // image pulled, containers started
  | 'podReady' // readiness probe succeeded (or the default start time passed)
  | 'podAvailable' // ready for the owner's minReadySeconds
  | 'podCrash' // crash-loop fault: the container exited
  | 'podRestart' // crash-loop fault: back-off elapsed, the container starts again
  | 'podCompleted' // a run-to-completion container (restartPolicy Never/OnFailure) exited 0
  | 'podGone' // graceful termination finished; the pod leaves the API
  | 'podGarbageCollected' // PodGC force-deletes a pod left terminating on a NotReady node
  | 'nodeNotReady' // fault: a node stops reporting Ready
  | 'taintEviction' // a pod's tolerationSeconds for a NoExecute taint elapsed
  | 'specChange' // a scheduled edit of the workload (SimulateOptions.then)
  | 'requeue'; // a controller asked to be synced again

/** The virtual clock's reading; only the simulation loop moves it. */
export interface VirtualTime {
  now: number;
}

export interface ClockEvent {
  time: number;
  kind: ClockEventKind;
  /** Pod uid, node name or controller key, by kind. */
  subject: string;
  /** The pod a pod event is about (its uid is `subject`): applying it needs no lookup by uid. */
  pod: SimPod | undefined;
  /**
   * Foreground events can still change what the controllers see. Background ones (a crash loop
   * restarting long after the rollout gave up) do not keep the simulation alive on their own.
   */
  foreground: boolean;
  /** Tie-break: events at the same time run in the order they were queued. */
  seq: number;
}

/**
 * Events in (time, seq) order: one bucket per due time holding its events in the order they were
 * queued (seq grows with every push, so a bucket is already in seq order), and a binary min-heap
 * of the distinct due times. A rollout queues tens of thousands of pod events on a handful of
 * instants: each push is an append, and the heap holds instants, not events.
 */
export class EventQueue {
  private readonly times: number[] = [];
  private readonly buckets = new Map<number, ClockEvent[]>();
  private nextSeq = 0;
  private foregroundCount = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** True while some queued event could still change the controllers' view. */
  hasForeground(): boolean {
    return this.foregroundCount > 0;
  }

  push(time: number, kind: ClockEventKind, subject: string, foreground = true, pod?: SimPod): void {
    const event: ClockEvent = { time, kind, subject, pod, foreground, seq: this.nextSeq++ };
    if (foreground) this.foregroundCount++;
    this.count++;
    const bucket = this.buckets.get(time);
    if (bucket) {
      bucket.push(event);
      return;
    }
    this.buckets.set(time, [event]);
    const heap = this.times;
    heap.push(time);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent] <= time) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = time;
  }

  peekTime(): number | undefined {
    return this.times.length > 0 ? this.times[0] : undefined;
  }

  /** Removes and returns every event due at or before `time`, in (time, seq) order. */
  popDue(time: number): ClockEvent[] {
    let due: ClockEvent[] | undefined;
    while (this.times.length > 0 && this.times[0] <= time) {
      const at = this.popTime();
      const bucket = this.buckets.get(at) as ClockEvent[];
      this.buckets.delete(at);
      this.count -= bucket.length;
      for (let i = 0; i < bucket.length; i++) if (bucket[i].foreground) this.foregroundCount--;
      if (due === undefined) due = bucket;
      else for (let i = 0; i < bucket.length; i++) due.push(bucket[i]);
    }
    return due ?? [];
  }

  /** An event about one pod (its uid is the subject). */
  pushPod(time: number, kind: ClockEventKind, pod: SimPod, foreground = true): void {
    this.push(time, kind, pod.uid, foreground, pod);
  }

  private popTime(): number {
    const heap = this.times;
    const top = heap[0];
    const last = heap.pop() as number;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && heap[r] < heap[l] ? r : l;
        if (heap[child] >= last) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
