// A kustomization's legacy `vars:` (api/internal/accumulator/refvartransformer.go, resolved once
// after the whole build and its name references: kusttarget.go makeCustomizedResMap
// ResolveVars). Each var names an object of the build (`objref`, by its kind and name as written)
// and a field of it (`fieldref.fieldpath`, default metadata.name, read as built); `$(NAME)` is
// replaced by that value in every field builtinpluginconsts/varreference.go lists (substituteVars).
// `$$` is a literal `$` (api/filters/refvar/expand.go).
import { isRecord } from '../manifest';
import { valueAt } from '../manifest/pod-template';

export interface Var {
  name: string;
  /** Its entry: `vars[index]`. */
  index: number;
  kind: string;
  objectName: string;
  /** `objref.namespace`: only the object of that namespace matches (else any namespace: resaccumulator.go MergeVars, GvknEquals). */
  namespace?: string;
  /** Keys and list indexes: `spec.ports[0].port` (or `spec.ports.0.port`) is spec, ports, 0, port. */
  fieldPath: (string | number)[];
}

export function varsOf(config: Record<string, unknown>): Var[] {
  const out: Var[] = [];
  for (const [index, v] of (Array.isArray(config.vars) ? config.vars : []).entries()) {
    if (!isRecord(v) || typeof v.name !== 'string' || !isRecord(v.objref) || typeof v.objref.kind !== 'string' || typeof v.objref.name !== 'string') continue;
    const path = isRecord(v.fieldref) && typeof v.fieldref.fieldpath === 'string' && v.fieldref.fieldpath !== '' ? v.fieldref.fieldpath : 'metadata.name';
    const fieldPath = path.split('.').flatMap((part) => part.split(/\[(\d+)\]/).filter((p) => p !== '')).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const namespace = typeof v.objref.namespace === 'string' && v.objref.namespace !== '' ? v.objref.namespace : undefined;
    out.push({ name: v.name, index, kind: v.objref.kind, objectName: v.objref.name, namespace, fieldPath });
  }
  return out;
}

/** The value of a var read from its object as built; undefined when the field is missing or not a scalar (MakePrimitiveReplacer leaves the reference then). */
export function varValue(v: Var, object: Record<string, unknown>): VarValue | undefined {
  const value = valueAt(object, v.fieldPath);
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}

/** Where a container list is, per kind (builtinpluginconsts/varreference.go; a ReplicationController is not listed). */
const CONTAINER_SPECS: Record<string, string[]> = {
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  Pod: ['spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
};
const CONTAINER_FIELDS = [['args'], ['command'], ['env', 'value'], ['volumeMounts', 'mountPath']];

/**
 * Where an NFS volume's `server` is, per kind, as varreference.go writes it (its CronJob path
 * lacks the template's `spec`, and a StatefulSet's points into volumeClaimTemplates: upstream's
 * paths, kept as they are).
 */
const NFS_SERVERS: Record<string, string[]> = {
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'volumes', 'nfs', 'server'],
  DaemonSet: ['spec', 'template', 'spec', 'volumes', 'nfs', 'server'],
  Deployment: ['spec', 'template', 'spec', 'volumes', 'nfs', 'server'],
  Job: ['spec', 'template', 'spec', 'volumes', 'nfs', 'server'],
  Pod: ['spec', 'volumes', 'nfs', 'server'],
  ReplicaSet: ['spec', 'template', 'spec', 'volumes', 'nfs', 'server'],
  StatefulSet: ['spec', 'volumeClaimTemplates', 'spec', 'nfs', 'server'],
  PersistentVolume: ['spec', 'nfs', 'server'],
};

/** varreference.go's field specs for one kind: paths of keys, lists walked through (as fieldspecs walk them). */
function varFields(kind: string | undefined): string[][] {
  const spec = kind === undefined ? undefined : CONTAINER_SPECS[kind];
  const out = [['metadata', 'labels'], ['metadata', 'annotations']];
  if (spec) for (const list of ['containers', 'initContainers']) for (const field of CONTAINER_FIELDS) out.push([...spec, list, ...field]);
  if (kind !== undefined && NFS_SERVERS[kind]) out.push(NFS_SERVERS[kind]);
  if (kind === 'Deployment') out.push(['spec', 'template', 'metadata', 'annotations']);
  if (kind === 'Ingress') out.push(['spec', 'rules', 'host'], ['spec', 'tls', 'hosts'], ['spec', 'tls', 'secretName']);
  if (kind === 'Service') out.push(['spec', 'ports', 'port'], ['spec', 'ports', 'targetPort']);
  return out;
}

/** A var's value: a string, or a number or boolean kept as such where it is the whole field. */
export type VarValue = string | number | boolean;

/**
 * Replaces `$(NAME)` by the values in every field varreference.go lists for the object's kind, in
 * place: the containers' `command`, `args`, `env[].value` and `volumeMounts[].mountPath` of the
 * workload kinds, their NFS volumes' `server` (and a PersistentVolume's), a Deployment's pod
 * template annotations, an Ingress's rule hosts, TLS hosts and secret names, a Service's `port`
 * and `targetPort`, and every kind's label and annotation values.
 */
export function substituteVars(object: Record<string, unknown>, values: ReadonlyMap<string, VarValue>): void {
  if (values.size === 0) return;
  const kind = typeof object.kind === 'string' ? object.kind : undefined;
  for (const path of varFields(kind)) visit(object, path, (v) => expand(v, values));
}

/** Calls `at` on the value at `path` (lists walked through; a map's values, a list's strings), replacing it with what it returns. */
function visit(node: unknown, path: string[], at: (v: unknown) => unknown): void {
  if (Array.isArray(node)) {
    for (const e of node) visit(e, path, at);
    return;
  }
  if (!isRecord(node) || path.length === 0) return;
  const [key, ...rest] = path;
  if (rest.length > 0) return visit(node[key], rest, at);
  const value = node[key];
  if (Array.isArray(value)) node[key] = value.map((e) => (typeof e === 'string' ? at(e) : e));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) value[k] = typeof v === 'string' ? at(v) : v;
  else if (typeof value === 'string') node[key] = at(value);
}

/**
 * api/filters/refvar/expand.go DoReplacements: `$$` is a literal `$`, `$(NAME)` a known var's value
 * (the field takes the value's type when it is the whole field: `port: $(PORT)` becomes a
 * number), an unknown one and an unclosed `$(` stay as written.
 */
function expand(input: unknown, values: ReadonlyMap<string, VarValue>): unknown {
  if (typeof input !== 'string' || !input.includes('$')) return input;
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    const close = next === '(' ? input.indexOf(')', i + 2) : -1;
    if (close < 0) {
      out += c;
      continue;
    }
    const name = input.slice(i + 2, close);
    const value = values.get(name);
    if (value !== undefined && i === 0 && close === input.length - 1) return value;
    out += value === undefined ? `$(${name})` : String(value);
    i = close;
  }
  return out;
}
