// The CustomResourceDefinitions Crossplane generates in the cluster from a
// CompositeResourceDefinition (XRD): one for its composite resources (XRs) and, when it names
// `claimNames`, one for their claims (crossplane-runtime pkg/xcrd/crd.go ForCompositeResource,
// ForCompositeResourceClaim, genCrdVersion; pkg/xcrd/schemas.go BaseProps and Crossplane's own
// fields). There is no file of them to name with --crds, so kdry derives them as Crossplane does:
// - each version's `schema.openAPIV3Schema` gives the root's description and validation rules, and
//   `spec`'s and `status`'s properties, required fields, validation rules, description and oneOf
//   (`spec` also its preserve-unknown-fields); nothing else of the XRD's schema is kept;
// - `metadata.name` is at most 63 characters (or the XRD's own smaller maxLength);
// - Crossplane's fields are added to `spec` (they replace an XRD's field of the same name): for a
//   namespaced or cluster XR (XRD `apiextensions.crossplane.io/v2`, scope Namespaced by default, or
//   Cluster) under `spec.crossplane`; for a legacy cluster XR (`apiextensions.crossplane.io/v1`'s
//   default scope LegacyCluster) beside its own fields, with claimRef and
//   writeConnectionSecretToRef; a claim has its own (compositeDeletePolicy, resourceRef...);
// - `status.conditions` (and, legacy, connectionDetails and claimConditionTypes), and the status
//   subresource on every version.
import { isRecord } from '../manifest';
import { isSchema, type StructuralSchema } from '../k8s/structural-schema';
import type { CrdDefinition, CrdVersion } from './definition';

export const XRD_KIND = 'CompositeResourceDefinition';
const XRD_API_VERSIONS = new Set(['apiextensions.crossplane.io/v1', 'apiextensions.crossplane.io/v2']);

export function isXrd(apiVersion: string | undefined, kind: string | undefined): boolean {
  return kind === XRD_KIND && apiVersion !== undefined && XRD_API_VERSIONS.has(apiVersion);
}

type Scope = 'Namespaced' | 'Cluster' | 'LegacyCluster';
type Props = Record<string, StructuralSchema>;

const MAX_NAME_LENGTH = 63;
const string: StructuralSchema = { type: 'string' };
const named = (required: string[], ...names: string[]): StructuralSchema => ({ type: 'object', required, properties: Object.fromEntries(names.map((n) => [n, string])) });
const labelsSelector: StructuralSchema = { type: 'object', required: ['matchLabels'], properties: { matchLabels: { type: 'object', additionalProperties: string } } };
const policy = (values: string[], def: unknown): StructuralSchema => ({ type: 'string', enum: values, ...(typeof def === 'string' ? { default: def } : {}) });

/** schemas.go CompositeResourceSpecProps. */
function compositeSpecProps(scope: Scope, defaultUpdatePolicy: unknown): Props {
  const refItem = scope === 'Namespaced' ? named(['apiVersion', 'kind'], 'apiVersion', 'name', 'kind') : named(['apiVersion', 'kind'], 'apiVersion', 'name', 'namespace', 'kind');
  const props: Props = {
    compositionRef: named(['name'], 'name'),
    compositionSelector: labelsSelector,
    compositionRevisionRef: named(['name'], 'name'),
    compositionRevisionSelector: labelsSelector,
    compositionUpdatePolicy: policy(['Automatic', 'Manual'], defaultUpdatePolicy),
    resourceRefs: { type: 'array', items: refItem, 'x-kubernetes-list-type': 'atomic' },
  };
  if (scope !== 'LegacyCluster') return { crossplane: { type: 'object', description: 'Configures how Crossplane will reconcile this composite resource', properties: props } };
  return { ...props, claimRef: named(['apiVersion', 'kind', 'namespace', 'name'], 'apiVersion', 'kind', 'namespace', 'name'), writeConnectionSecretToRef: named(['name', 'namespace'], 'name', 'namespace') };
}

/** schemas.go CompositeResourceClaimSpecProps. */
function claimSpecProps(defaultDeletePolicy: unknown): Props {
  return {
    compositionRef: named(['name'], 'name'),
    compositionSelector: labelsSelector,
    compositionRevisionRef: named(['name'], 'name'),
    compositionRevisionSelector: labelsSelector,
    compositionUpdatePolicy: policy(['Automatic', 'Manual'], undefined),
    compositeDeletePolicy: policy(['Background', 'Foreground'], defaultDeletePolicy),
    resourceRef: named(['apiVersion', 'kind', 'name'], 'apiVersion', 'kind', 'name'),
    writeConnectionSecretToRef: named(['name'], 'name'),
  };
}

/** schemas.go CompositeResourceStatusProps. */
function statusProps(scope: Scope): Props {
  const props: Props = {
    conditions: {
      description: 'Conditions of the resource.',
      type: 'array',
      'x-kubernetes-list-map-keys': ['type'],
      'x-kubernetes-list-type': 'map',
      items: {
        type: 'object',
        required: ['lastTransitionTime', 'reason', 'status', 'type'],
        properties: { lastTransitionTime: { type: 'string', format: 'date-time' }, message: string, reason: string, status: string, type: string, observedGeneration: { type: 'integer', format: 'int64' } },
      },
    },
  };
  if (scope === 'LegacyCluster') {
    props.connectionDetails = { type: 'object', properties: { lastPublishedTime: { type: 'string', format: 'date-time' } } };
    props.claimConditionTypes = { type: 'array', 'x-kubernetes-list-type': 'set', items: string };
  }
  return props;
}

const propertiesOf = (s: StructuralSchema | undefined): Props => (s && isRecord(s.properties) ? (s.properties as Props) : {});
const copied = (from: StructuralSchema | undefined, keys: readonly string[]): Record<string, unknown> => {
  const source = (from ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
};

/** crd.go genCrdVersion's schema, with Crossplane's `spec` and `status` fields added (ForCompositeResource, ForCompositeResourceClaim). */
function generatedSchema(xrdSchema: StructuralSchema, spec: Props, status: Props): StructuralSchema {
  const xSpec = isSchema(propertiesOf(xrdSchema).spec) ? propertiesOf(xrdSchema).spec : undefined;
  const xStatus = isSchema(propertiesOf(xrdSchema).status) ? propertiesOf(xrdSchema).status : undefined;
  const xName = propertiesOf(isSchema(propertiesOf(xrdSchema).metadata) ? propertiesOf(xrdSchema).metadata : undefined).name;
  const maxLength = typeof xName?.maxLength === 'number' && xName.maxLength < MAX_NAME_LENGTH ? xName.maxLength : MAX_NAME_LENGTH;
  const required = (s: StructuralSchema | undefined) => (Array.isArray(s?.required) ? { required: s!.required } : {});
  return {
    type: 'object',
    required: ['spec'],
    ...copied(xrdSchema, ['description', 'x-kubernetes-validations']),
    properties: {
      apiVersion: string,
      kind: string,
      metadata: { type: 'object', properties: { name: { type: 'string', maxLength } } },
      spec: { type: 'object', ...required(xSpec), ...copied(xSpec, ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-validations', 'oneOf', 'description']), properties: { ...propertiesOf(xSpec), ...spec } },
      status: { type: 'object', ...required(xStatus), ...copied(xStatus, ['x-kubernetes-validations', 'description', 'oneOf']), properties: { ...propertiesOf(xStatus), ...status } },
    },
  } as StructuralSchema;
}

/** The XRD's scope: spec.scope, else Namespaced for apiextensions.crossplane.io/v2 and LegacyCluster for v1 (their CRD's defaults). */
function scopeOf(apiVersion: string, spec: Record<string, unknown>): Scope {
  const scope = spec.scope;
  if (scope === 'Namespaced' || scope === 'Cluster' || scope === 'LegacyCluster') return scope;
  return apiVersion.endsWith('/v1') ? 'LegacyCluster' : 'Namespaced';
}

function namesOf(value: unknown): { kind: string; plural?: string } | undefined {
  if (!isRecord(value) || typeof value.kind !== 'string' || !value.kind) return undefined;
  return { kind: value.kind, ...(typeof value.plural === 'string' && value.plural ? { plural: value.plural } : {}) };
}

/** The CRDs Crossplane generates from an XRD document's value: the XR's, then the claim's; none when it lacks a group, names or versions. */
export function generatedDefinitions(apiVersion: string, value: unknown): CrdDefinition[] {
  if (!isRecord(value) || !isRecord(value.spec)) return [];
  const spec = value.spec;
  const names = namesOf(spec.names);
  if (typeof spec.group !== 'string' || !names || !Array.isArray(spec.versions)) return [];
  const scope = scopeOf(apiVersion, spec);
  const conversion = isRecord(spec.conversion) && typeof spec.conversion.strategy === 'string' ? spec.conversion.strategy : 'None';
  const versions = (props: Props, status: Props): CrdVersion[] =>
    (spec.versions as unknown[]).filter(isRecord).filter((v) => typeof v.name === 'string').map((v) => {
      const schema = isRecord(v.schema) && isSchema(v.schema.openAPIV3Schema) ? generatedSchema(v.schema.openAPIV3Schema as StructuralSchema, props, status) : undefined;
      return {
        name: v.name as string,
        served: v.served === true,
        deprecated: v.deprecated === true,
        ...(typeof v.deprecationWarning === 'string' ? { deprecationWarning: v.deprecationWarning } : {}),
        ...(schema ? { schema } : {}),
        statusSubresource: true,
      };
    });
  const out: CrdDefinition[] = [{ group: spec.group, kind: names.kind, scope: scope === 'Namespaced' ? 'Namespaced' : 'Cluster', versions: versions(compositeSpecProps(scope, spec.defaultCompositionUpdatePolicy), statusProps(scope)), conversion, ...(names.plural ? { plural: names.plural } : {}) }];
  // crd.go validateClaimNames: claim names that clash with the XR's generate no claim CRD.
  const claim = namesOf(spec.claimNames);
  if (claim && claim.kind !== names.kind && claim.plural !== names.plural) {
    out.push({ group: spec.group, kind: claim.kind, scope: 'Namespaced', versions: versions(claimSpecProps(spec.defaultCompositeDeletePolicy), statusProps('LegacyCluster')), conversion, ...(claim.plural ? { plural: claim.plural } : {}) });
  }
  return out;
}
