// A bare Pod from the file: no controller owns it, so this stands in for the API server creating
// it once. It is scheduled and started like any other pod and never replaced.
import { nameOf } from './workload';
import type { Controller, SimPod, StatusRow, World } from './types';
import type { SimWorld } from './world';
import { type Obj, stringMap } from './objects';

export class BarePodController implements Controller {
  readonly kind = 'Pod';
  readonly name: string;
  readonly key: string;
  private pod: SimPod | undefined;

  constructor(
    private readonly object: Obj,
    private readonly world: SimWorld,
  ) {
    this.name = nameOf(object) ?? 'pod';
    this.key = `Pod/${this.name}`;
  }

  sync(): boolean {
    if (this.pod) return false;
    const meta = (this.object.metadata ?? {}) as Obj;
    this.pod = this.world.createBarePod(this.name, stringMap(meta.labels), stringMap(meta.annotations), (this.object.spec ?? {}) as Obj);
    return true;
  }

  /** A Pod's spec is immutable apart from images; a changed Pod is deleted and created again by hand, which is out of scope. */
  update(): void {}

  status(world: World): StatusRow[] {
    const pod = this.pod;
    if (!pod || !world.pods().includes(pod)) return [];
    const status = pod.deletionTimestamp !== undefined ? 'Terminating' : pod.phase === 'Succeeded' ? 'Completed' : pod.phase === 'Pending' && pod.nodeName ? 'ContainerCreating' : pod.phase;
    return [{ object: `pod/${pod.name}`, columns: { READY: pod.ready ? '1/1' : '0/1', STATUS: status, RESTARTS: pod.restartCount, NODE: pod.nodeName ?? '<none>' } }];
  }

  settled(): boolean {
    const pod = this.pod;
    return pod !== undefined && (pod.ready || pod.phase === 'Succeeded' || pod.phase === 'Failed');
  }
}
