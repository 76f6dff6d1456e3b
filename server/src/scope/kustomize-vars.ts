// A kustomization's legacy `vars:` (api/internal/accumulator/refvartransformer.go, resolved once
// after the whole build and its name references: kusttarget.go makeCustomizedResMap
// ResolveVars). Each var names an object of the build (`objref`, by its kind and name as written)
// and a field of it (`fieldref.fieldpath`, default metadata.name, read as built); `$(NAME)` is
// replaced by that value in the pod template fields of builtinpluginconsts/varreference.go that
// matter to a workload: the containers' and init containers' `command`, `args`, `env[].value`
// and `volumeMounts[].mountPath`. `$$(NAME)` stays `$(NAME)` written literally (k8s expansion).
// Ingress hosts and the other fields varreference.go lists are not rewritten here.
import { isRecord } from '../manifest';
import { podTemplatePath, valueAt } from '../manifest/pod-template';

export interface Var {
  name: string;
  kind: string;
  objectName: string;
  /** Keys and list indexes: `spec.ports[0].port` (or `spec.ports.0.port`) is spec, ports, 0, port. */
  fieldPath: (string | number)[];
}

export function varsOf(config: Record<string, unknown>): Var[] {
  const out: Var[] = [];
  for (const v of Array.isArray(config.vars) ? config.vars : []) {
    if (!isRecord(v) || typeof v.name !== 'string' || !isRecord(v.objref) || typeof v.objref.kind !== 'string' || typeof v.objref.name !== 'string') continue;
    const path = isRecord(v.fieldref) && typeof v.fieldref.fieldpath === 'string' && v.fieldref.fieldpath !== '' ? v.fieldref.fieldpath : 'metadata.name';
    const fieldPath = path.split('.').flatMap((part) => part.split(/\[(\d+)\]/).filter((p) => p !== '')).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    out.push({ name: v.name, kind: v.objref.kind, objectName: v.objref.name, fieldPath });
  }
  return out;
}

/** The value of a var read from its object as built; undefined when the field is missing or not a scalar. */
export function varValue(v: Var, object: Record<string, unknown>): string | undefined {
  const value = valueAt(object, v.fieldPath);
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** Replaces `$(NAME)` by the values in the pod template's container fields of `object`, in place. */
export function substituteVars(object: Record<string, unknown>, values: ReadonlyMap<string, string>): void {
  if (values.size === 0) return;
  const kind = typeof object.kind === 'string' ? object.kind : undefined;
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : undefined;
  const template = podTemplatePath({ kind, apiVersion, value: object } as Parameters<typeof podTemplatePath>[0]);
  if (!template) return;
  const spec = valueAt(object, [...template, 'spec']);
  if (!isRecord(spec)) return;
  const expand = (s: unknown) => (typeof s === 'string' ? s.replace(/\$(\$)?\(([^)]*)\)/g, (all, escaped, name) => (escaped ? `$(${name})` : (values.get(name) ?? all))) : s);
  for (const list of [spec.containers, spec.initContainers]) {
    for (const c of Array.isArray(list) ? list : []) {
      if (!isRecord(c)) continue;
      for (const field of ['command', 'args']) if (Array.isArray(c[field])) c[field] = (c[field] as unknown[]).map(expand);
      for (const e of Array.isArray(c.env) ? c.env : []) if (isRecord(e) && typeof e.value === 'string') e.value = expand(e.value);
      for (const m of Array.isArray(c.volumeMounts) ? c.volumeMounts : []) if (isRecord(m) && typeof m.mountPath === 'string') m.mountPath = expand(m.mountPath);
    }
  }
}
