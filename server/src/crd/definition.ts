// A CustomResourceDefinition document read into what validation needs: which group, kind and
// versions it serves, and each version's schema (apiextensions.k8s.io/v1 CustomResourceDefinitionSpec).
import { isRecord } from '../manifest';
import { isSchema, type StructuralSchema } from '../k8s/structural-schema';

export interface CrdVersion {
  name: string;
  served: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
  schema?: StructuralSchema;
  /** subresources.status is set: the API server drops a written status on create (customresource/strategy.go PrepareForCreate). */
  statusSubresource?: boolean;
}

export interface CrdDefinition {
  group: string;
  kind: string;
  /** `Namespaced` or `Cluster`. */
  scope: string;
  versions: CrdVersion[];
  /** spec.conversion.strategy: `None` (the default: only apiVersion changes between versions) or `Webhook`. */
  conversion: string;
  /** spec.names.plural: the resource admission rules name; undefined when not written (the API server refuses such a CRD). */
  plural?: string;
}

export const CRD_API_VERSION = 'apiextensions.k8s.io/v1';
export const CRD_KIND = 'CustomResourceDefinition';

/** The definition in a CRD document's value, or undefined when it lacks group, kind or versions. */
export function readDefinition(value: unknown): CrdDefinition | undefined {
  if (!isRecord(value) || !isRecord(value.spec)) return undefined;
  const { group, names, versions, scope } = value.spec;
  if (typeof group !== 'string' || !isRecord(names) || typeof names.kind !== 'string' || !Array.isArray(versions)) return undefined;
  const read: CrdVersion[] = [];
  for (const v of versions) {
    if (!isRecord(v) || typeof v.name !== 'string') continue;
    const schema = isRecord(v.schema) && isSchema(v.schema.openAPIV3Schema) ? (v.schema.openAPIV3Schema as StructuralSchema) : undefined;
    read.push({
      name: v.name,
      served: v.served !== false,
      deprecated: v.deprecated === true,
      ...(typeof v.deprecationWarning === 'string' ? { deprecationWarning: v.deprecationWarning } : {}),
      ...(schema ? { schema } : {}),
      ...(isRecord(v.subresources) && isRecord(v.subresources.status) ? { statusSubresource: true } : {}),
    });
  }
  const conversion = isRecord(value.spec.conversion) && typeof value.spec.conversion.strategy === 'string' ? value.spec.conversion.strategy : 'None';
  const plural = typeof names.plural === 'string' && names.plural ? { plural: names.plural } : {};
  return { group, kind: names.kind, scope: typeof scope === 'string' ? scope : 'Namespaced', versions: read, conversion, ...plural };
}

/** apiVersion `group/version` of a custom resource, split; undefined for the core group (`v1`). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash <= 0) return undefined;
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
