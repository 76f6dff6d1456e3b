// Shared helpers of the checks, after k8s.io/pod-security-admission policy/helpers.go (joinQuote,
// pluralize, relaxPolicyForUserNamespacePod) and policy/visitor.go (visitContainers), over the
// pod template as plain YAML values.
import type { PodParts, TemplatePath } from './check';

export type Rec = Record<string, unknown>;

export function rec(v: unknown): Rec | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : undefined;
}

/** A Go pointer field that is set: present and not null. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(str) : [];
}

/** `"a", "b"` */
export function joinQuote(items: string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** A sorted list of distinct strings (sets.String.List). */
export function sortedSet(items: Iterable<string>): string[] {
  return [...new Set(items)].sort();
}

/** `hostUsers: false`: the pod runs in a user namespace. */
export function relaxPolicyForUserNamespacePod(spec: Rec): boolean {
  return spec.hostUsers === false;
}

export interface VisitedContainer {
  name: string;
  container: Rec;
  /** The container's path in the template (`['spec', 'containers', 0]`). */
  path: TemplatePath;
  securityContext?: Rec;
}

/** Init containers, then containers, then ephemeral containers, in order. */
export function visitContainers(pod: PodParts, visit: (c: VisitedContainer) => void): void {
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = pod.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      const container = rec(c);
      if (container) visit({ name: str(container.name), container, path: ['spec', field, i], securityContext: rec(container.securityContext) });
    });
  }
}

export function podSecurityContext(pod: PodParts): Rec | undefined {
  return rec(pod.spec.securityContext);
}

/** `spec.os.name: windows` (the checks that Windows pods cannot satisfy skip them from 1.25). */
export function isWindowsPod(pod: PodParts): boolean {
  return rec(pod.spec.os)?.name === 'windows';
}
