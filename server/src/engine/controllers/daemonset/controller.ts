// A DaemonSet simulated on the World: one pod per eligible node, placed there by the scheduler.
import { intOrStringOf } from '../../../k8s/intstr';
import type { Controller, PodTemplate, SimPod, StatusRow, World } from '../../types';
import { type DaemonPodPlacement, daemonPodPlacement, nodeShouldRunDaemonPod, withNodeMemo } from './placement';
import { type DaemonPod, type DaemonSetStatusCounters, type DaemonSetUpdateStrategy, daemonSetStatusCounters, syncDaemonSet } from './rollout';
import { obj, stringMap } from '../../objects';
import { replaceDaemonSetPodNodeNameNodeAffinity, targetNodeName } from './node-name-affinity';

/** spec.updateStrategy with the API defaults (RollingUpdate, maxUnavailable 1, maxSurge 0). */
export function daemonSetUpdateStrategy(spec: unknown): DaemonSetUpdateStrategy {
  const strategy = obj(obj(spec).updateStrategy);
  const rolling = obj(strategy.rollingUpdate);
  return {
    type: strategy.type === 'OnDelete' ? 'OnDelete' : 'RollingUpdate',
    maxUnavailable: intOrStringOf(rolling.maxUnavailable) ?? 1,
    maxSurge: intOrStringOf(rolling.maxSurge) ?? 0,
  };
}

/**
 * A DaemonSet on the World: one pod per eligible node (NodeShouldRunDaemonPod), created with a
 * required node affinity on that node's name and bound by the scheduler, so a pod that does not
 * fit there (resources, host ports) stays Pending with the scheduler's message and counts as
 * unavailable; rolling updates follow maxUnavailable/maxSurge. Nodes without a daemon pod get no
 * event (upstream records none).
 */
export class DaemonSetController implements Controller {
  readonly kind = 'DaemonSet';
  readonly key: string;
  readonly name: string;
  readonly uid: string;
  private template!: PodTemplate;
  private placement!: DaemonPodPlacement;
  private strategy!: DaemonSetUpdateStrategy;
  private minReadySeconds = 0;
  private hash = '';
  /** The template for each node: the node-name affinity term is the only difference. */
  private templateByNode = new Map<string, PodTemplate>();
  private counters: DaemonSetStatusCounters = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberReady: 0, numberAvailable: 0, numberUnavailable: 0, numberMisscheduled: 0, updatedNumberScheduled: 0 };
  private synced = false;

  constructor(object: unknown) {
    const meta = obj(obj(object).metadata);
    this.name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : 'daemonset';
    this.key = `DaemonSet/${this.name}`;
    this.uid = `daemonset-${this.name}`;
    this.adopt(object);
  }

  update(object: Record<string, unknown>): void {
    this.adopt(object);
  }

  sync(world: World): boolean {
    const placement = withNodeMemo(this.placement);
    const podsByNode = this.podsByNode(world);
    const result = syncDaemonSet(world.nodes, placement, podsByNode, this.strategy);
    const object = `daemonset.apps/${this.name}`;
    for (const warning of result.warnings) world.event(object, warning, 'Warning');
    for (const pod of result.podsToDelete as SimPod[]) {
      world.deletePod(pod, pod.revision === this.hash ? 'daemon pod not needed on this node' : 'rolling update');
      world.event(object, `Deleted pod: ${pod.name}`);
    }
    for (const nodeName of result.nodesToCreate) {
      const pod = world.createPod({
        name: `${this.name}-${world.nameSuffix(`${this.uid}/${nodeName}/${this.hash}/${world.now}`)}`,
        owner: { kind: 'DaemonSet', name: this.name, uid: this.uid },
        template: this.templateFor(nodeName),
        revision: this.hash,
        extraLabels: { 'controller-revision-hash': this.hash, 'pod-template-generation': this.hash },
      });
      world.event(object, `Created pod: ${pod.name}`);
    }
    if (this.minReadySeconds > 0) {
      for (const pods of podsByNode.values()) {
        for (const p of pods) {
          const pod = p.ref;
          if (pod.ready && pod.readySince !== undefined && pod.readySince + this.minReadySeconds > world.now) world.requeueAt(this.key, pod.readySince + this.minReadySeconds);
        }
      }
    }
    const counters = daemonSetStatusCounters(world.nodes, placement, this.podsByNode(world));
    const changed = !this.synced || result.podsToDelete.length > 0 || result.nodesToCreate.length > 0 || JSON.stringify(counters) !== JSON.stringify(this.counters);
    this.counters = counters;
    this.synced = true;
    return changed;
  }

  status(): StatusRow[] {
    const c = this.counters;
    return [
      {
        object: `daemonset.apps/${this.name}`,
        columns: {
          DESIRED: c.desiredNumberScheduled,
          CURRENT: c.currentNumberScheduled,
          READY: c.numberReady,
          'UP-TO-DATE': c.updatedNumberScheduled,
          AVAILABLE: c.numberAvailable,
          'NODE SELECTOR': Object.entries(this.placement.affinity.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>',
          desiredNumberScheduled: c.desiredNumberScheduled,
          currentNumberScheduled: c.currentNumberScheduled,
          numberReady: c.numberReady,
          numberAvailable: c.numberAvailable,
          numberUnavailable: c.numberUnavailable,
          numberMisscheduled: c.numberMisscheduled,
          updatedNumberScheduled: c.updatedNumberScheduled,
        },
      },
    ];
  }

  settled(world: World): boolean {
    const c = this.counters;
    const live = world.podsOwnedBy(this.uid).filter((p) => p.deletionTimestamp === undefined).length;
    const updatedOk = this.strategy.type === 'OnDelete' || c.updatedNumberScheduled === c.desiredNumberScheduled;
    return this.synced && c.numberMisscheduled === 0 && c.currentNumberScheduled === c.desiredNumberScheduled && c.numberAvailable === c.desiredNumberScheduled && updatedOk && live === c.desiredNumberScheduled;
  }

  /** Nodes without a daemon pod and why, in the scheduler's words (upstream records no event for them). */
  notes(world: World): string[] {
    const out: string[] = [];
    for (const node of world.nodes) {
      const { shouldRun, reason } = nodeShouldRunDaemonPod(node, this.placement);
      if (!shouldRun && reason !== undefined) out.push(`DaemonSet ${this.name}: no daemon pod on node ${node.name}: ${reason}`);
    }
    return out;
  }

  private adopt(object: unknown): void {
    const spec = obj(obj(object).spec);
    const template = obj(spec.template);
    const podSpec = { ...obj(template.spec) };
    this.placement = daemonPodPlacement(podSpec);
    // Daemon pods carry the default tolerations, so taint-based eviction leaves them alone.
    podSpec.tolerations = this.placement.tolerations;
    this.template = { labels: stringMap(obj(template.metadata).labels), annotations: stringMap(obj(template.metadata).annotations), spec: podSpec };
    this.strategy = daemonSetUpdateStrategy(spec);
    this.minReadySeconds = typeof spec.minReadySeconds === 'number' && spec.minReadySeconds > 0 ? spec.minReadySeconds : 0;
    this.hash = templateHash(JSON.stringify(template));
    this.templateByNode = new Map();
  }

  private templateFor(nodeName: string): PodTemplate {
    let template = this.templateByNode.get(nodeName);
    if (!template) {
      const spec = this.template.spec ?? {};
      template = { ...this.template, spec: { ...spec, affinity: replaceDaemonSetPodNodeNameNodeAffinity(spec.affinity, nodeName) } };
      this.templateByNode.set(nodeName, template);
    }
    return template;
  }

  private podsByNode(world: World): Map<string, DaemonPod<SimPod>[]> {
    const byNode = new Map<string, DaemonPod<SimPod>[]>();
    for (const pod of world.podsOwnedBy(this.uid)) {
      const node = targetNodeName(pod) ?? '';
      const list = byNode.get(node);
      const view: DaemonPod<SimPod> = {
        ref: pod,
        name: pod.name,
        phase: pod.phase,
        ready: pod.ready,
        available: pod.ready && pod.deletionTimestamp === undefined && pod.readySince !== undefined && world.now - pod.readySince >= this.minReadySeconds,
        terminating: pod.deletionTimestamp !== undefined,
        updated: pod.revision === this.hash,
        createdAt: pod.createdAt,
      };
      if (list) list.push(view);
      else byNode.set(node, [view]);
    }
    return byNode;
  }
}

// controller-revision-hash of the template: FNV-1a, printed in the DNS-safe alphabet.
function templateHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < 7; i++) {
    out += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length);
  }
  return out;
}

export function createDaemonSetController(object: unknown): DaemonSetController {
  return new DaemonSetController(object);
}
