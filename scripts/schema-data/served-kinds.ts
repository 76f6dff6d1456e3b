// The kinds one OpenAPI v3 file serves: every resource a client can create, read from the paths.
// A kind is served where its collection accepts POST (`x-kubernetes-action: post`) at a path without
// `{name}` (subresources such as pods/{name}/eviction are not objects a manifest holds). The
// request body names the component schema of the kind; `/namespaces/{namespace}/` says namespaced;
// the path's last segment is the resource (the plural an admission rule names: `endpoints`, not a guess).
import type { JsonSchema } from './convert';

export interface ServedKind {
  apiVersion: string;
  kind: string;
  /** The component schema the kind's documents are validated against. */
  definition: string;
  namespaced: boolean;
  /** The resource of the collection's path: `deployments`, `endpoints`, `ingresses`. */
  resource: string;
}

interface Operation {
  'x-kubernetes-action'?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string };
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export function servedKinds(paths: Record<string, Record<string, Operation>>): ServedKind[] {
  const out: ServedKind[] = [];
  for (const [path, item] of Object.entries(paths)) {
    const post = item.post;
    const gvk = post?.['x-kubernetes-group-version-kind'];
    if (!post || !gvk || post['x-kubernetes-action'] !== 'post' || path.includes('{name}')) continue;
    const bodies = Object.values(post.requestBody?.content ?? {});
    const ref = bodies.map((b) => b.schema?.$ref).find((r): r is string => typeof r === 'string');
    if (!ref) throw new Error(`POST ${path} names no request schema`);
    out.push({
      apiVersion: gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version,
      kind: gvk.kind,
      definition: ref.replace('#/components/schemas/', ''),
      namespaced: path.includes('/namespaces/{namespace}/'),
      resource: path.slice(path.lastIndexOf('/') + 1),
    });
  }
  return out;
}
