// Change tracking for the timeline: pods changed or removed since the last step, and the events
// recorded (kubectl's `Events:`), taken by the recorder after each instant.
import type { SimPod, TimelineEvent } from '../types';
import type { VirtualTime } from '../clock';

export interface DirtyState {
  changed: SimPod[];
  /** The pods removed, in removal order (their names are the timeline's removedPods). */
  removedPods: SimPod[];
}

export class ChangeLog {
  /**
   * Pods changed since the last take, in the order of their first change. A list with a mark per
   * pod (by creation number, SimPod.seq) instead of a Set: a rollout marks 20,000 pods some five
   * times each, and a Set grew its table for each step's thousands. A pod removed meanwhile stays
   * listed and is dropped by takeDirty, which keeps only pods still in the API.
   */
  private dirty: SimPod[] = [];
  /** Per creation number, the take epoch in which the pod was last listed in `dirty`. */
  private marks = new Int32Array(1024);
  private epoch = 1;
  /** Pods without a creation number (none come from the PodStore), listed once each. */
  private unnumbered = new Set<SimPod>();
  private removedPods: SimPod[] = [];
  private events: TimelineEvent[] = [];

  constructor(private readonly time: VirtualTime) {}

  podChanged(pod: SimPod): void {
    const seq = pod.seq;
    if (seq === undefined) {
      if (this.unnumbered.has(pod)) return;
      this.unnumbered.add(pod);
    } else {
      if (seq >= this.marks.length) this.growMarks(seq);
      if (this.marks[seq] === this.epoch) return;
      this.marks[seq] = this.epoch;
    }
    this.dirty.push(pod);
  }

  podRemoved(pod: SimPod): void {
    this.removedPods.push(pod);
  }

  event(object: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    this.events.push({ time: this.time.now, object, message, type });
  }

  /** `live` says whether a changed pod is still in the API server. */
  takeDirty(live: (pod: SimPod) => boolean): DirtyState {
    const changed: SimPod[] = [];
    const dirty = this.dirty;
    for (let i = 0; i < dirty.length; i++) if (live(dirty[i])) changed.push(dirty[i]);
    const state = { changed, removedPods: this.removedPods };
    this.dirty = [];
    this.epoch++;
    if (this.unnumbered.size > 0) this.unnumbered = new Set();
    this.removedPods = [];
    return state;
  }

  /** True when some pod changed or was removed since the last take (a pod changed, then removed, counts by its removal). */
  hasDirty(): boolean {
    return this.dirty.length > 0 || this.removedPods.length > 0;
  }

  private growMarks(seq: number): void {
    let size = this.marks.length * 2;
    while (size <= seq) size *= 2;
    const grown = new Int32Array(size);
    grown.set(this.marks);
    this.marks = grown;
  }

  takeEvents(): TimelineEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }
}
