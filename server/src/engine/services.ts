// Services: their endpoints (ready, not terminating pods the selector picks, as the EndpointSlice
// controller publishes them) and the share of traffic each revision gets at a step.
import { serviceSelectorMatches } from '../k8s/labels';
import type { SimPod, SimService, TrafficRule, TrafficShare } from './types';
import { isObj } from './objects';

/**
 * The Service objects of a file, as the engine sees them (selector-less Services have no managed
 * endpoints). With `namespace`, Services that name another namespace are left out: they cannot
 * select the workload's pods. A Service without a namespace goes where the workload goes.
 */
export function servicesFromObjects(objects: readonly unknown[], namespace?: string): SimService[] {
  const services: SimService[] = [];
  for (const o of objects) {
    if (!isObj(o) || o.kind !== 'Service' || !isObj(o.metadata) || typeof o.metadata.name !== 'string') continue;
    const ns = o.metadata.namespace;
    if (namespace !== undefined && typeof ns === 'string' && ns !== '' && ns !== namespace) continue;
    const spec = isObj(o.spec) ? o.spec : {};
    const selector: Record<string, string> = {};
    if (isObj(spec.selector)) for (const [k, v] of Object.entries(spec.selector)) selector[k] = String(v);
    const ports = (Array.isArray(spec.ports) ? spec.ports : []).filter(isObj).map((p) => ({
      ...(typeof p.name === 'string' ? { name: p.name } : {}),
      port: typeof p.port === 'number' ? p.port : 0,
      ...(typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? { targetPort: p.targetPort } : {}),
    }));
    services.push({ name: o.metadata.name, selector, ports, headless: spec.clusterIP === 'None' });
  }
  return services;
}

/** True when the pod declares a container port with this name (a named targetPort resolves on it). */
export function podHasNamedPort(pod: SimPod, name: string): boolean {
  const containers = Array.isArray(pod.spec.containers) ? pod.spec.containers : [];
  return containers.some((c) => isObj(c) && Array.isArray(c.ports) && c.ports.some((p) => isObj(p) && p.name === name));
}

/**
 * A pod backs the Service when at least one Service port resolves on it: a numeric (or absent)
 * targetPort always does; a named one only when the pod has a container port of that name.
 */
export function targetPortResolves(service: SimService, pod: SimPod): boolean {
  if (service.ports.length === 0) return true;
  return service.ports.some((p) => typeof p.targetPort !== 'string' || /^\d+$/.test(p.targetPort) || podHasNamedPort(pod, p.targetPort));
}

/** Ready endpoints: selected, ready, not terminating, with a resolvable target port. */
export function serviceEndpoints(service: SimService, pods: readonly SimPod[]): SimPod[] {
  return pods.filter(
    (pod) => pod.deletionTimestamp === undefined && pod.ready && serviceSelectorMatches(service.selector, pod.labels) && targetPortResolves(service, pod),
  );
}

function round(share: number): number {
  return Math.round(share * 10000) / 10000;
}

/** Percent values above 1 are read as percent, values in [0, 1] as a fraction. */
function asFraction(value: number): number {
  return value > 1 ? value / 100 : value;
}

function sortedRecord(entries: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of [...entries.keys()].sort()) out[key] = round(entries.get(key) as number);
  return out;
}

/** Traffic per revision for one Service at one instant: by endpoints, or by the rule a pattern set. */
export function trafficShare(service: SimService, pods: readonly SimPod[], rule: TrafficRule | undefined): TrafficShare {
  const endpoints = serviceEndpoints(service, pods);
  const counts = new Map<string, number>();
  for (const pod of endpoints) counts.set(pod.revision, (counts.get(pod.revision) ?? 0) + 1);
  const byEndpoints = new Map<string, number>();
  for (const [rev, n] of counts) byEndpoints.set(rev, n / endpoints.length);
  const notes: string[] = [];
  let shares = byEndpoints;

  if (rule?.weights) {
    // A router's backends are the stable and canary Services: a revision's ready pods serve its share.
    const serving = rule.router ? new Set(pods.filter((p) => p.deletionTimestamp === undefined && p.ready).map((p) => p.revision)) : new Set(counts.keys());
    shares = new Map();
    for (const [rev, percent] of Object.entries(rule.weights)) {
      if (percent <= 0) continue;
      shares.set(rev, percent / 100);
      if (!serving.has(rev)) notes.push(`${percent}% of requests go to revision ${rev}, which has no ready endpoints: they fail`);
    }
    notes.unshift(`${rule.router ? `${rule.router} ` : ''}weights ${Object.entries(rule.weights).map(([r, p]) => `${r}=${p}%`).join(', ')}`);
  }
  if (rule?.match) {
    const caught = Math.min(1, Math.max(0, asFraction(rule.match.share)));
    const others = new Map([...shares].filter(([rev]) => rev !== rule.match?.revision));
    const othersTotal = [...others.values()].reduce((a, b) => a + b, 0);
    shares = new Map();
    shares.set(rule.match.revision, caught);
    for (const [rev, s] of others) shares.set(rev, othersTotal > 0 ? ((1 - caught) * s) / othersTotal : 0);
    notes.push(`requests matching ${rule.match.rule} (${round(caught * 100)}%) go to revision ${rule.match.revision}`);
    if (!counts.has(rule.match.revision)) notes.push(`revision ${rule.match.revision} has no ready endpoints: matching requests fail`);
  }
  for (const route of rule?.headerRoutes ?? []) notes.push(`header route ${route.name}: requests matching ${route.rule} go to revision ${route.revision}`);
  for (const route of rule?.mirrorRoutes ?? []) notes.push(`mirror route ${route.name}: ${route.percent}% of requests matching ${route.rule} mirrored to revision ${route.revision}; its responses are discarded`);
  if (rule?.mirrorTo) {
    const { revision, percent } = rule.mirrorTo;
    notes.push(`${percent}% of requests mirrored to revision ${revision}; its responses are discarded`);
  }
  if (endpoints.length === 0 && !rule) notes.push('no ready endpoints: requests fail');
  const namedPorts = service.ports.flatMap((p) => (typeof p.targetPort === 'string' && !/^\d+$/.test(p.targetPort) ? [p.targetPort] : []));
  if (namedPorts.length > 0) {
    const selected = pods.filter((pod) => pod.deletionTimestamp === undefined && serviceSelectorMatches(service.selector, pod.labels));
    for (const name of namedPorts) {
      if (selected.length > 0 && !selected.some((pod) => podHasNamedPort(pod, name))) notes.push(`targetPort "${name}" names no container port of the selected pods`);
    }
  }
  return {
    service: service.name,
    byRevision: sortedRecord(shares),
    endpoints: endpoints.length,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

/** The file's Services with the selector switches and traffic rules patterns applied during the run. */
export class ServiceRegistry {
  private readonly byName = new Map<string, SimService>();
  private readonly rules = new Map<string, TrafficRule>();

  constructor(services: SimService[]) {
    for (const s of services) this.byName.set(s.name, { ...s, selector: { ...s.selector }, ports: s.ports.map((p) => ({ ...p })) });
  }

  list(): SimService[] {
    return [...this.byName.values()];
  }

  /** Switching to an unknown Service creates it: patterns may add the preview/active Service they need. */
  setSelector(name: string, selector: Record<string, string>): void {
    const existing = this.byName.get(name);
    if (existing) existing.selector = { ...selector };
    else this.byName.set(name, { name, selector: { ...selector }, ports: [], headless: false });
  }

  setRule(name: string, rule: TrafficRule | undefined): void {
    if (rule) this.rules.set(name, rule);
    else this.rules.delete(name);
  }

  traffic(pods: readonly SimPod[]): TrafficShare[] {
    return this.list().map((s) => trafficShare(s, pods, this.rules.get(s.name)));
  }
}
