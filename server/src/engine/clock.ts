// Virtual time and the event queue. Nothing here reads wall time: the clock only moves when the
// simulation advances it to the next queued event, so the same input always gives the same timeline.

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
  /**
   * Foreground events can still change what the controllers see. Background ones (a crash loop
   * restarting long after the rollout gave up) do not keep the simulation alive on their own.
   */
  foreground: boolean;
  /** Tie-break: events at the same time run in the order they were queued. */
  seq: number;
}

/** A binary min-heap on (time, seq): deterministic order for events due at the same instant. */
export class EventQueue {
  private heap: ClockEvent[] = [];
  private nextSeq = 0;
  private foregroundCount = 0;

  get size(): number {
    return this.heap.length;
  }

  /** True while some queued event could still change the controllers' view. */
  hasForeground(): boolean {
    return this.foregroundCount > 0;
  }

  push(time: number, kind: ClockEventKind, subject: string, foreground = true): void {
    const event: ClockEvent = { time, kind, subject, foreground, seq: this.nextSeq++ };
    if (foreground) this.foregroundCount++;
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  peekTime(): number | undefined {
    return this.heap[0]?.time;
  }

  /** Removes and returns every event due at or before `time`, in (time, seq) order. */
  popDue(time: number): ClockEvent[] {
    const due: ClockEvent[] = [];
    while (this.heap.length > 0 && this.heap[0].time <= time) due.push(this.pop());
    return due;
  }

  private pop(): ClockEvent {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as ClockEvent;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && before(heap[l], heap[smallest])) smallest = l;
        if (r < heap.length && before(heap[r], heap[smallest])) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
        i = smallest;
      }
    }
    if (top.foreground) this.foregroundCount--;
    return top;
  }
}

function before(a: ClockEvent, b: ClockEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
