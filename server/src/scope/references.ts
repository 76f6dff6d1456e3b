// Every reference one object makes to another by name: the links the reference rules judge, and
// the editor follows (definition, references, hover, document links). Read from the plain value,
// once per document.
import { isRecord, type ManifestDocument, type ObjectPath } from '../manifest';
import { podsTemplatePath, valueAt } from '../manifest/pod-template';

export type ReferenceVia =
  | 'envFrom'
  | 'env'
  | 'volume'
  | 'projected volume'
  | 'imagePullSecrets'
  | 'serviceAccountName'
  | 'priorityClassName'
  | 'runtimeClassName'
  | 'persistentVolumeClaim'
  | 'resourceClaimTemplateName'
  | 'resourceClaimName'
  | 'ingress backend'
  | 'route backend'
  | 'route parent'
  | 'scaleTargetRef'
  | 'serviceName';

export interface ObjectReference {
  /** The kind the name refers to. */
  kind: string;
  /** apiVersion of the target when the reference says it (scaleTargetRef). */
  apiVersion?: string;
  /** API group of the target when the reference says it by group (Gateway API refs; '' is the core group). */
  group?: string;
  /** The target's namespace when the reference names one (Gateway API refs); else the referrer's. */
  namespace?: { name: string; path: ObjectPath };
  name: string;
  /** Where the name is written. */
  path: ObjectPath;
  /** A key of a ConfigMap or Secret the reference needs, and where it is written. */
  key?: { name: string; path: ObjectPath };
  /** `optional: true`: the pod starts without the object (or key). */
  optional: boolean;
  via: ReferenceVia;
  /** For a Service port an Ingress or HTTPRoute names (a Gateway listener's port for a route parent): the number or name, and where it is written. */
  port?: { value: number | string; path: ObjectPath };
  /** A route parent's `sectionName`: a Gateway listener's name, a Service port's name. */
  section?: { name: string; path: ObjectPath };
  /** The container that makes the reference (env, envFrom), for messages. */
  container?: string;
}

const cache = new WeakMap<ManifestDocument, ObjectReference[]>();

export function referencesOf(doc: ManifestDocument): ObjectReference[] {
  let refs = cache.get(doc);
  if (!refs) {
    refs = [];
    if (doc.kind === 'Ingress') ingressReferences(doc.value, refs);
    else if (doc.kind === 'HTTPRoute' && doc.apiVersion?.startsWith(`${GATEWAY_GROUP}/`)) httpRouteReferences(doc.value, refs);
    else if (doc.kind === 'HorizontalPodAutoscaler') scaleTargetReference(doc.value, refs);
    else {
      // A StatefulSet's governing Service (its missing is statefulset-service-name's finding).
      const serviceName = doc.kind === 'StatefulSet' ? valueAt(doc.value, ['spec', 'serviceName']) : undefined;
      if (typeof serviceName === 'string' && serviceName !== '') refs.push({ kind: 'Service', name: serviceName, path: ['spec', 'serviceName'], optional: false, via: 'serviceName' });
      // An Argo Rollout's pods read what its template names, as a Deployment's do.
      const template = podsTemplatePath(doc);
      if (template) podSpecReferences(doc.value, [...template, 'spec'], refs);
    }
    cache.set(doc, refs);
  }
  return refs;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

// The field-to-kind tables below are constants: written inline, each was a fresh array or object
// per document or env entry (every document of a `kdry check` comes through here; issue #11).
const POD_SPEC_NAMES = [
  ['serviceAccountName', 'ServiceAccount'],
  ['priorityClassName', 'PriorityClass'],
  ['runtimeClassName', 'RuntimeClass'],
] as const;
const ENV_FROM_REFS = [
  ['configMapRef', 'ConfigMap'],
  ['secretRef', 'Secret'],
] as const;
const ENV_KEY_REFS = [
  ['configMapKeyRef', 'ConfigMap'],
  ['secretKeyRef', 'Secret'],
] as const;
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];
const POD_CLAIM_SOURCES = [
  ['resourceClaimTemplateName', 'ResourceClaimTemplate'],
  ['resourceClaimName', 'ResourceClaim'],
] as const;

function podSpecReferences(root: unknown, spec: ObjectPath, out: ObjectReference[]): void {
  const podSpec = valueAt(root, spec);
  if (!isRecord(podSpec)) return;
  for (const [field, kind] of POD_SPEC_NAMES) {
    const name = str(podSpec[field]);
    if (name) out.push({ kind, name, path: [...spec, field], optional: false, via: field });
  }
  forEach(podSpec.imagePullSecrets, (s, i) => {
    const name = str(s.name);
    if (name) out.push({ kind: 'Secret', name, path: [...spec, 'imagePullSecrets', i, 'name'], optional: false, via: 'imagePullSecrets' });
  });
  for (const field of CONTAINER_LISTS) {
    forEach(podSpec[field], (c, ci) => containerReferences(c, [...spec, field, ci], out));
  }
  forEach(podSpec.volumes, (v, vi) => volumeReferences(v, [...spec, 'volumes', vi], out));
  // Dynamic resource allocation (resource.k8s.io): the claim a pod shares, or the template the
  // resourceclaim controller makes the pod's own claim from.
  forEach(podSpec.resourceClaims, (c, i) => {
    for (const [field, kind] of POD_CLAIM_SOURCES) {
      const name = str(c[field]);
      if (name) out.push({ kind, group: 'resource.k8s.io', name, path: [...spec, 'resourceClaims', i, field], optional: false, via: field });
    }
  });
}

function containerReferences(c: Record<string, unknown>, at: ObjectPath, out: ObjectReference[]): void {
  const container = str(c.name);
  forEach(c.envFrom, (e, i) => {
    for (const [field, kind] of ENV_FROM_REFS) {
      const ref = e[field];
      if (!isRecord(ref) || !str(ref.name)) continue;
      out.push({ kind, name: ref.name as string, path: [...at, 'envFrom', i, field, 'name'], optional: ref.optional === true, via: 'envFrom', container });
    }
  });
  forEach(c.env, (e, i) => {
    const from = e.valueFrom;
    if (!isRecord(from)) return;
    for (const [field, kind] of ENV_KEY_REFS) {
      const ref = from[field];
      if (!isRecord(ref) || !str(ref.name)) continue;
      const base = [...at, 'env', i, 'valueFrom', field];
      const key = str(ref.key);
      out.push({ kind, name: ref.name as string, path: [...base, 'name'], key: key ? { name: key, path: [...base, 'key'] } : undefined, optional: ref.optional === true, via: 'env', container });
    }
  });
}

function volumeReferences(v: Record<string, unknown>, at: ObjectPath, out: ObjectReference[]): void {
  const keyed = (kind: string, source: Record<string, unknown>, nameField: string, base: ObjectPath, via: ReferenceVia) => {
    const name = str(source[nameField]);
    if (!name) return;
    const optional = source.optional === true;
    out.push({ kind, name, path: [...base, nameField], optional, via });
    forEach(source.items, (item, i) => {
      const key = str(item.key);
      if (key) out.push({ kind, name, path: [...base, nameField], key: { name: key, path: [...base, 'items', i, 'key'] }, optional, via });
    });
  };
  if (isRecord(v.configMap)) keyed('ConfigMap', v.configMap, 'name', [...at, 'configMap'], 'volume');
  if (isRecord(v.secret)) keyed('Secret', v.secret, 'secretName', [...at, 'secret'], 'volume');
  if (isRecord(v.persistentVolumeClaim) && str(v.persistentVolumeClaim.claimName))
    out.push({ kind: 'PersistentVolumeClaim', name: v.persistentVolumeClaim.claimName as string, path: [...at, 'persistentVolumeClaim', 'claimName'], optional: false, via: 'persistentVolumeClaim' });
  const projected = v.projected;
  if (isRecord(projected))
    forEach(projected.sources, (s, i) => {
      if (isRecord(s.configMap)) keyed('ConfigMap', s.configMap, 'name', [...at, 'projected', 'sources', i, 'configMap'], 'projected volume');
      if (isRecord(s.secret)) keyed('Secret', s.secret, 'name', [...at, 'projected', 'sources', i, 'secret'], 'projected volume');
    });
}

/**
 * networking.k8s.io/v1 Ingress: `defaultBackend` and every `rules[].http.paths[].backend`. For the
 * AWS Load Balancer Controller, port name `use-annotation` makes the backend the action of the
 * Ingress's `alb.ingress.kubernetes.io/actions.<name>` annotation, not a Service
 * (aws-load-balancer-controller pkg/ingress/enhanced_backend_builder.go Build,
 * magicServicePortUseAnnotation); Argo Rollouts writes that annotation at run time.
 */
function ingressReferences(root: unknown, out: ObjectReference[]): void {
  const alb = forAwsLoadBalancerController(root);
  const backend = (at: ObjectPath) => {
    const service = valueAt(root, [...at, 'service']);
    if (!isRecord(service) || !str(service.name)) return;
    const port = isRecord(service.port) ? service.port : {};
    if (alb && port.name === 'use-annotation') return;
    const value = typeof port.number === 'number' ? port.number : str(port.name);
    const portPath: ObjectPath = [...at, 'service', 'port', typeof port.number === 'number' ? 'number' : 'name'];
    out.push({ kind: 'Service', name: service.name as string, path: [...at, 'service', 'name'], optional: false, via: 'ingress backend', port: value === undefined ? undefined : { value, path: portPath } });
  };
  if (isRecord(valueAt(root, ['spec', 'defaultBackend']))) backend(['spec', 'defaultBackend']);
  forEach(valueAt(root, ['spec', 'rules']), (rule, ri) => {
    forEach(valueAt(rule, ['http', 'paths']), (_p, pi) => backend(['spec', 'rules', ri, 'http', 'paths', pi, 'backend']));
  });
}

/** An Ingress of the AWS Load Balancer Controller: class `alb` (annotation or ingressClassName), or its `alb.ingress.kubernetes.io/` annotations. */
function forAwsLoadBalancerController(root: unknown): boolean {
  const annotations = valueAt(root, ['metadata', 'annotations']);
  if (isRecord(annotations) && (annotations['kubernetes.io/ingress.class'] === 'alb' || Object.keys(annotations).some((k) => k.startsWith('alb.ingress.kubernetes.io/')))) return true;
  return valueAt(root, ['spec', 'ingressClassName']) === 'alb';
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/**
 * Gateway API HTTPRoute: `parentRefs` (group defaults to gateway.networking.k8s.io, kind to
 * Gateway) and the `backendRefs` of every rule and of its `requestMirror` filters (group defaults
 * to the core group, kind to Service), each in the route's namespace unless it names one. Only the
 * kinds with Core support are followed: a Gateway or a Service parent, a Service backend; any other
 * kind is implementation-specific and not judged.
 */
function httpRouteReferences(root: unknown, out: ObjectReference[]): void {
  const namespaceOf = (ref: Record<string, unknown>, at: ObjectPath) => (str(ref.namespace) ? { name: ref.namespace as string, path: [...at, 'namespace'] } : undefined);
  forEach(valueAt(root, ['spec', 'parentRefs']), (ref, i) => {
    const at: ObjectPath = ['spec', 'parentRefs', i];
    const group = typeof ref.group === 'string' ? ref.group : GATEWAY_GROUP;
    const kind = str(ref.kind) ?? 'Gateway';
    const name = str(ref.name);
    if (!name || !((group === GATEWAY_GROUP && kind === 'Gateway') || (group === '' && kind === 'Service'))) return;
    const port = typeof ref.port === 'number' ? { value: ref.port, path: [...at, 'port'] } : undefined;
    const section = str(ref.sectionName) ? { name: ref.sectionName as string, path: [...at, 'sectionName'] } : undefined;
    out.push({ kind, group, name, path: [...at, 'name'], namespace: namespaceOf(ref, at), optional: false, via: 'route parent', port, section });
  });
  const backend = (ref: Record<string, unknown>, at: ObjectPath) => {
    const group = typeof ref.group === 'string' ? ref.group : '';
    const kind = str(ref.kind) ?? 'Service';
    const name = str(ref.name);
    if (!name || group !== '' || kind !== 'Service') return;
    // The Service port number, not the target port (HTTPBackendRef.port).
    const port = typeof ref.port === 'number' ? { value: ref.port, path: [...at, 'port'] } : undefined;
    out.push({ kind, group, name, path: [...at, 'name'], namespace: namespaceOf(ref, at), optional: false, via: 'route backend', port });
  };
  forEach(valueAt(root, ['spec', 'rules']), (rule, ri) => {
    const base: ObjectPath = ['spec', 'rules', ri];
    forEach(rule.backendRefs, (ref, bi) => {
      backend(ref, [...base, 'backendRefs', bi]);
      forEach(ref.filters, (filter, fi) => mirror(filter, [...base, 'backendRefs', bi, 'filters', fi]));
    });
    forEach(rule.filters, (filter, fi) => mirror(filter, [...base, 'filters', fi]));
  });
  function mirror(filter: Record<string, unknown>, at: ObjectPath) {
    if (isRecord(filter.requestMirror) && isRecord(filter.requestMirror.backendRef)) backend(filter.requestMirror.backendRef, [...at, 'requestMirror', 'backendRef']);
  }
}

function scaleTargetReference(root: unknown, out: ObjectReference[]): void {
  const target = valueAt(root, ['spec', 'scaleTargetRef']);
  if (!isRecord(target) || !str(target.name) || !str(target.kind)) return;
  out.push({ kind: target.kind as string, apiVersion: str(target.apiVersion), name: target.name as string, path: ['spec', 'scaleTargetRef', 'name'], optional: false, via: 'scaleTargetRef' });
}

function forEach(list: unknown, visit: (item: Record<string, unknown>, index: number) => void): void {
  if (Array.isArray(list)) list.forEach((item, i) => isRecord(item) && visit(item, i));
}
