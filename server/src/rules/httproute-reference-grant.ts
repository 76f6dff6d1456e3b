// A Gateway API HTTPRoute backend in another namespace needs a ReferenceGrant in that namespace
// that trusts HTTPRoutes of the route's namespace with that Service (gateway-api
// apis/v1beta1/referencegrant_types.go; HTTPBackendRef: "If a ReferenceGrant is not present in the
// referent namespace, the route's ResolvedRefs condition is False with reason RefNotPermitted";
// an invalid backend gets a 500). Parent references need none: a Gateway's allowedRoutes decide
// those. A grant may be created outside the repository, so its absence is a warning.
import type { Finding } from '../findings';
import { isRecord, valueRange } from '../manifest';
import { referencesOf } from '../scope/references';
import { placementOf } from '../scope/scope';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import type { Rule, RuleContext } from './types';
import { defineRule } from './define-rule';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export const httpRouteReferenceGrant: Rule = defineRule({
  id: 'httproute-reference-grant',
  title: 'HTTPRoute backend in another namespace without a ReferenceGrant',
  severity: 'warning',
  kinds: ['gateway.networking.k8s.io/v1/HTTPRoute', 'gateway.networking.k8s.io/v1beta1/HTTPRoute'],
  crossDocument: true,
  description: [
    'A `backendRefs[]` (or `requestMirror.backendRef`) with a `namespace` other than the route\'s names a Service the route may use only if a ReferenceGrant in that namespace allows it:',
    '`spec.from` lists `{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: <the route\'s>}` and `spec.to` lists `{group: "", kind: Service}` with that Service\'s `name` or none (every Service).',
    'Without one the Gateway sets `ResolvedRefs=False` with reason `RefNotPermitted` on the route and answers 500 for the requests that backend would get.',
    'kdry looks for grants in the whole workspace, by the namespace each will live in (docs/scope.md); one may be created outside the repository, so this is a warning. A route whose namespace kdry does not know (`kubectl apply -n` decides) is not judged.',
  ].join(' '),
  remediation: 'Add a ReferenceGrant in the Service\'s namespace that allows HTTPRoutes from the route\'s namespace to refer to the Service, or move the backend into the route\'s namespace.',
  check,
});

function check({ file, doc, workspace }: RuleContext): Finding[] {
  const routeNamespace = placementOf(workspace, file.uri, doc).namespace;
  if (routeNamespace === undefined) return [];
  const findings: Finding[] = [];
  for (const ref of referencesOf(doc)) {
    if (ref.via !== 'route backend' || !ref.namespace || ref.namespace.name === routeNamespace) continue;
    const target = ref.namespace.name;
    const grants = grantsIn(workspace, target);
    if (grants.some((g) => allows(g.doc.value, routeNamespace, ref.name))) continue;
    const range = valueRange(doc, ref.namespace.path);
    if (!range) continue;
    const seen = grants.length === 0 ? `no ReferenceGrant in namespace \`${target}\` is in the workspace` : `the ReferenceGrant${grants.length > 1 ? 's' : ''} ${grants.map((g) => `"${g.doc.name ?? ''}"`).join(', ')} in namespace \`${target}\` do${grants.length > 1 ? '' : 'es'} not allow it`;
    findings.push({
      ruleId: httpRouteReferenceGrant.id,
      range,
      message: `Service "${ref.name}" is in namespace \`${target}\`, not the route's \`${routeNamespace}\`: a ReferenceGrant in \`${target}\` must allow HTTPRoutes from \`${routeNamespace}\` to refer to it, and ${seen}. Without one the Gateway sets ResolvedRefs=False (RefNotPermitted) and answers 500 for the requests this backend would get.`,
    });
  }
  return findings;
}

/** The ReferenceGrants that will live in `namespace`. */
function grantsIn(workspace: WorkspaceIndex, namespace: string): IndexedDocument[] {
  return [...workspace.documents('ReferenceGrant')].filter((g) => g.doc.apiVersion?.startsWith(`${GATEWAY_GROUP}/`) && placementOf(workspace, g.uri, g.doc).namespace === namespace);
}

/** The grant trusts HTTPRoutes of `from` with the Service `name` (ReferenceGrantFrom, ReferenceGrantTo: an empty `to.name` is every Service). */
function allows(grant: unknown, from: string, name: string): boolean {
  const spec = isRecord(grant) && isRecord(grant.spec) ? grant.spec : {};
  const list = (v: unknown) => (Array.isArray(v) ? v.filter(isRecord) : []);
  const fromOk = list(spec.from).some((f) => f.group === GATEWAY_GROUP && f.kind === 'HTTPRoute' && f.namespace === from);
  const toOk = list(spec.to).some((t) => (t.group ?? '') === '' && t.kind === 'Service' && (t.name === undefined || t.name === '' || t.name === name));
  return fromOk && toOk;
}
