// Small stand-ins for the real scheduler and controllers, so the core can be tested alone.
import type { Controller, SimNode, SimPod, StatusRow, World } from '../../server/src/engine/types';

/** First ready node without a NoSchedule taint that still has pod slots; kube-scheduler-like reason otherwise. */
export function firstFitScheduler(pod: SimPod, nodes: SimNode[], allPods: SimPod[]): { nodeName?: string; reason?: string } {
  void pod;
  for (const node of nodes) {
    if (!node.ready || node.unschedulable || node.taints.some((t) => t.effect === 'NoSchedule')) continue;
    const used = allPods.filter((p) => p.nodeName === node.name && p.phase !== 'Succeeded' && p.phase !== 'Failed').length;
    if (used < (node.allocatable.pods ?? 110)) return { nodeName: node.name };
  }
  return { reason: `0/${nodes.length} nodes are available: ${nodes.length} Too many pods.` };
}

export function node(name: string, pods = 110, extra: Partial<SimNode> = {}): SimNode {
  return { name, labels: { 'kubernetes.io/hostname': name }, taints: [], unschedulable: false, ready: true, allocatable: { cpu: 4000, memory: 16 * 1024 ** 3, pods }, ...extra };
}

type Obj = Record<string, unknown>;

/**
 * A Recreate-style controller: keeps spec.replicas pods of the current template; on update it
 * deletes every old pod first and creates new ones once they are gone.
 */
export class TinyController implements Controller {
  readonly kind = 'Deployment';
  readonly key: string;
  readonly name: string;
  private object: Obj;
  private counter = 0;

  constructor(object: unknown) {
    this.object = object as Obj;
    this.name = String(((this.object.metadata ?? {}) as Obj).name);
    this.key = `Deployment/${this.name}`;
  }

  private get replicas(): number {
    const spec = this.object.spec as Obj;
    return typeof spec.replicas === 'number' ? spec.replicas : 1;
  }

  private get template(): Obj {
    return (this.object.spec as Obj).template as Obj;
  }

  private get revision(): string {
    const containers = ((this.template.spec as Obj).containers as Obj[]) ?? [];
    return String(containers[0]?.image ?? 'none').replace(/[^a-z0-9]/g, '');
  }

  sync(world: World): boolean {
    const mine = world.podsOwnedBy('uid-' + this.name).filter((p) => p.deletionTimestamp === undefined);
    const old = mine.filter((p) => p.revision !== this.revision);
    if (old.length > 0) {
      for (const p of old) world.deletePod(p);
      world.event(`deployment.apps/${this.name}`, `Scaled down old pods to 0`);
      return true;
    }
    if (world.podsOwnedBy('uid-' + this.name).some((p) => p.revision !== this.revision)) return false;
    if (mine.length < this.replicas) {
      for (let i = mine.length; i < this.replicas; i++) {
        const meta = (this.template.metadata ?? {}) as Obj;
        world.createPod({
          name: `${this.name}-${world.nameSuffix(`${this.name}/${this.counter++}`)}`,
          owner: { kind: 'ReplicaSet', name: this.name, uid: 'uid-' + this.name },
          template: { labels: (meta.labels ?? {}) as Record<string, string>, spec: this.template.spec as Obj },
          revision: this.revision,
        });
      }
      world.event(`deployment.apps/${this.name}`, `Scaled up to ${this.replicas}`);
      return true;
    }
    return false;
  }

  update(object: Record<string, unknown>): void {
    this.object = object;
  }

  status(world: World): StatusRow[] {
    const mine = world.podsOwnedBy('uid-' + this.name);
    return [{ object: `deployment.apps/${this.name}`, columns: { READY: `${mine.filter((p) => p.ready).length}/${this.replicas}` } }];
  }

  settled(world: World): boolean {
    const mine = world.podsOwnedBy('uid-' + this.name);
    return mine.length === this.replicas && mine.every((p) => p.ready && p.revision === this.revision);
  }
}

export function deployment(name: string, replicas: number, image: string, extraSpec: Obj = {}, podSpec: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      ...extraSpec,
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image, ports: [{ name: 'http', containerPort: 80 }] }], ...podSpec } },
    },
  };
}
