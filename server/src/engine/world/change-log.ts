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
  private dirty = new Set<SimPod>();
  private removedPods: SimPod[] = [];
  private events: TimelineEvent[] = [];

  constructor(private readonly time: VirtualTime) {}

  podChanged(pod: SimPod): void {
    this.dirty.add(pod);
  }

  podRemoved(pod: SimPod): void {
    this.dirty.delete(pod);
    this.removedPods.push(pod);
  }

  event(object: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    this.events.push({ time: this.time.now, object, message, type });
  }

  /** `live` says whether a changed pod is still in the API server. */
  takeDirty(live: (pod: SimPod) => boolean): DirtyState {
    const changed: SimPod[] = [];
    this.dirty.forEach((pod) => {
      if (live(pod)) changed.push(pod);
    });
    const state = { changed, removedPods: this.removedPods };
    this.dirty = new Set();
    this.removedPods = [];
    return state;
  }

  hasDirty(): boolean {
    return this.dirty.size > 0 || this.removedPods.length > 0;
  }

  takeEvents(): TimelineEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }
}
