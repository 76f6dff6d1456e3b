// A Gateway API HTTPRoute names more than an object: a backend's `port` must be one the Service
// serves, a parent's `sectionName` (and `port`) a listener of the Gateway or a port of the parent
// Service, and a Gateway listener must admit the route (`allowedRoutes`). The object itself missing
// is missing-reference's finding.
import { isRecord, valueRange, type Offsets } from '../manifest';
import { fixesFor, type Finding } from '../findings';
import { valueAt } from '../manifest/pod-template';
import { suggestNames } from '../schema/did-you-mean';
import { referencesOf, type ObjectReference } from '../scope/references';
import { resolveReference } from '../scope/resolve';
import { Ring, placementOf, whereFrom } from '../scope/scope';
import { namespaceObjectOf } from '../scope/namespace-object';
import { namespaceLabels } from '../admission/namespace-object';
import { labelSelectorMatches, type LabelSelector } from '../k8s/labels';
import { describeServed, servicePorts } from '../scope/service-ports';
import type { IndexedDocument } from '../workspace';
import type { Rule, RuleContext } from './types';
import { defineRule } from './define-rule';
import { yamlScalar } from '../text-edits';

export const httpRoutePort: Rule = defineRule({
  id: 'httproute-port',
  title: 'HTTPRoute port or section its Service or Gateway does not have',
  severity: 'error',
  kinds: ['gateway.networking.k8s.io/v1/HTTPRoute', 'gateway.networking.k8s.io/v1beta1/HTTPRoute'],
  crossDocument: true,
  description: [
    'An HTTPRoute `backendRefs[].port` is the Service port number (`spec.ports[].port`), not the `targetPort` on the pods: a port the Service does not serve makes the backend invalid,',
    'and the Gateway answers 500 for the requests it would get (the Gateway API requires a 500 for an invalid backend).',
    'A `parentRefs[].sectionName` names a listener of the Gateway (for a Service parent, one of its port names) and `port` a listener port: with no such section the route is not accepted by that parent',
    '(`Accepted=False`, reason `NoMatchingParent`) and serves no traffic through it. Kinds and groups default as the Gateway API says: a parent is a `gateway.networking.k8s.io` Gateway, a backend a core Service,',
    'both in the route\'s namespace unless `namespace` is set.',
    'The Gateway listeners the route attaches to must admit it: `allowedRoutes.namespaces.from` is `Same` when omitted (only routes of the Gateway\'s namespace), `All`, or `Selector` (the labels of the route\'s Namespace, when the workspace holds it),',
    'and `allowedRoutes.kinds` (by default the listener protocol\'s: HTTPRoute for HTTP and HTTPS) must include HTTPRoute; otherwise the route is `Accepted=False`, reason `NotAllowedByListeners`.',
    'The objects are looked up in scope (docs/scope.md); found only in another folder, the finding is a warning.',
  ].join(' '),
  remediation: 'Name a port the Service serves (its `port`), or a listener the Gateway has.',
  check,
});

function check({ file, doc, workspace }: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const ref of referencesOf(doc)) {
    if (ref.via !== 'route backend' && ref.via !== 'route parent') continue;
    if (!ref.port && !ref.section && (ref.via === 'route backend' || ref.kind !== 'Gateway')) continue;
    const { matches, ring } = resolveReference(workspace, { uri: file.uri, doc }, ref);
    if (matches.length !== 1) continue; // missing: missing-reference; several: cannot tell which
    const target = matches[0];
    const about = { ref, target, where: whereFrom(workspace, file.uri, target, ring), severity: ring === Ring.Workspace ? ('warning' as const) : undefined };
    const at = (path: (string | number)[]) => valueRange(doc, path);
    if (ref.via === 'route backend') findings.push(...backendPort(about, at));
    else if (ref.kind === 'Gateway') {
      const wrongSection = gatewaySection(about, at);
      findings.push(...(wrongSection.length > 0 ? wrongSection : notAllowed(about, at, workspace, { uri: file.uri, doc })));
    }
    else findings.push(...serviceSection(about, at));
  }
  return findings;
}

interface About {
  ref: ObjectReference;
  target: IndexedDocument;
  where: string;
  severity?: 'warning';
}
type RangeAt = (path: (string | number)[]) => Offsets | undefined;
type Route = Pick<IndexedDocument, 'uri' | 'doc'>;

function backendPort({ ref, target, where, severity }: About, at: RangeAt): Finding[] {
  const ports = servicePorts(target.doc);
  const range = ref.port && at(ref.port.path);
  if (!ref.port || !range || ports.length === 0 || ports.some((p) => p.port === ref.port!.value)) return [];
  const byTarget = ports.filter((p) => p.targetPort === ref.port!.value && typeof p.port === 'number');
  const why = byTarget.length ? ` ${ref.port.value} is the targetPort of its port ${byTarget[0].port}: a backendRef names the Service port, not the target port.` : '';
  return [
    {
      ruleId: httpRoutePort.id,
      severity,
      range,
      message: `Service "${ref.name}"${where} serves no port ${ref.port.value} (it serves ${describeServed(ports)}).${why} The backend is invalid: the Gateway answers 500 for the requests it would get.`,
      fixes: fixesFor(
        (byTarget.length ? byTarget : ports.length === 1 ? ports : []).filter((p) => typeof p.port === 'number').slice(0, 1),
        (p) => ({ title: `Change the port to ${p.port}`, edits: [{ range, newText: String(p.port) }], preferred: true }),
      ),
    },
  ];
}

const NOT_ACCEPTED = 'the route is not accepted by it (Accepted=False, NoMatchingParent) and serves no traffic through it.';

function gatewaySection({ ref, target, where, severity }: About, at: RangeAt): Finding[] {
  const listed = valueAt(target.doc.value, ['spec', 'listeners']);
  const listeners = (Array.isArray(listed) ? listed.filter(isRecord) : []).map((l) => ({ name: typeof l.name === 'string' ? l.name : undefined, port: l.port }));
  if (listeners.length === 0) return [];
  const names = listeners.map((l) => l.name).filter((n): n is string => n !== undefined);
  const has = listeners.map((l) => (l.name ? `${l.name} (${String(l.port)})` : String(l.port))).join(', ');
  const findings: Finding[] = [];
  const section = ref.section && at(ref.section.path);
  if (ref.section && section && !names.includes(ref.section.name)) {
    const suggestion = suggestNames(ref.section.name, names);
    findings.push({
      ruleId: httpRoutePort.id,
      severity,
      range: section,
      message: `Gateway "${ref.name}"${where} has no listener named "${ref.section.name}" (it has ${has}): ${NOT_ACCEPTED}`,
      fixes: fixesFor(suggestion.names.slice(0, 3), (name, i) => ({ title: `Change the section to "${name}"`, edits: [{ range: section, newText: yamlScalar(name) }], preferred: (suggestion.clear && i === 0) || undefined })),
    });
  }
  const port = ref.port && at(ref.port.path);
  // With both set, one listener must match both (ParentReference.port).
  const matching = listeners.filter((l) => l.port === ref.port?.value && (ref.section === undefined || l.name === ref.section.name));
  if (ref.port && port && matching.length === 0 && findings.length === 0) {
    findings.push({
      ruleId: httpRoutePort.id,
      severity,
      range: port,
      message: `Gateway "${ref.name}"${where} has no listener on port ${ref.port.value}${ref.section ? ` named "${ref.section.name}"` : ''} (it has ${has}): ${NOT_ACCEPTED}`,
    });
  }
  return findings;
}

/** A Service parent (the mesh profile): `sectionName` is one of its port names, `port` one of its ports. */
function serviceSection({ ref, target, where, severity }: About, at: RangeAt): Finding[] {
  const ports = servicePorts(target.doc);
  if (ports.length === 0) return [];
  const findings: Finding[] = [];
  const section = ref.section && at(ref.section.path);
  if (ref.section && section && !ports.some((p) => p.name === ref.section!.name)) {
    findings.push({ ruleId: httpRoutePort.id, severity, range: section, message: `Service "${ref.name}"${where} has no port named "${ref.section.name}" (it serves ${describeServed(ports)}): ${NOT_ACCEPTED}` });
  }
  const port = ref.port && at(ref.port.path);
  if (ref.port && port && findings.length === 0 && !ports.some((p) => p.port === ref.port!.value)) {
    findings.push({ ruleId: httpRoutePort.id, severity, range: port, message: `Service "${ref.name}"${where} serves no port ${ref.port.value} (it serves ${describeServed(ports)}): ${NOT_ACCEPTED}` });
  }
  return findings;
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** Listener protocols whose default route kinds do not include HTTPRoute (TLS passthrough: TLSRoute; TCPRoute; UDPRoute). */
const NON_HTTP_PROTOCOLS = new Set(['TLS', 'TCP', 'UDP']);

/**
 * The listeners the route attaches to (by sectionName and port, else all) must admit it, or the
 * route is `Accepted=False`, reason `NotAllowedByListeners` (gateway-api apis/v1/shared_types.go
 * RouteReasonNotAllowedByListeners). apis/v1/gateway_types.go `Listener.AllowedRoutes`: default
 * `{namespaces: {from: Same}}`; `RouteNamespaces.From` Same, All or Selector; `AllowedRoutes.Kinds`,
 * when empty, the kinds the listener's protocol supports. Unknowns (the route's namespace, the
 * Namespace object for a Selector) admit.
 */
function notAllowed({ ref, target, where, severity }: About, at: RangeAt, workspace: RuleContext['workspace'], route: Route): Finding[] {
  const listed = valueAt(target.doc.value, ['spec', 'listeners']);
  const listeners = (Array.isArray(listed) ? listed.filter(isRecord) : []).filter(
    (l) => (ref.section === undefined || l.name === ref.section.name) && (ref.port === undefined || l.port === ref.port.value),
  );
  const range = at(ref.path);
  if (listeners.length === 0 || !range) return [];
  const routeNamespace = placementOf(workspace, route.uri, route.doc).namespace;
  const gatewayNamespace = placementOf(workspace, target.uri, target.doc).namespace ?? ref.namespace?.name ?? routeNamespace;
  const reasons: string[] = [];
  for (const listener of listeners) {
    const reason = refusal(listener, routeNamespace, gatewayNamespace, () => namespaceObjectOf(workspace, route).matches);
    if (reason === undefined) return [];
    reasons.push(`${typeof listener.name === 'string' ? `listener "${listener.name}"` : 'its listener'} ${reason}`);
  }
  return [
    {
      ruleId: httpRoutePort.id,
      severity,
      range,
      message: `Gateway "${ref.name}"${where} does not admit this route: ${reasons.join('; ')}. The route is not accepted by it (Accepted=False, NotAllowedByListeners) and serves no traffic through it.`,
    },
  ];
}

/** Why the listener refuses an HTTPRoute of that namespace; undefined when it admits it or cannot tell. */
function refusal(listener: Record<string, unknown>, routeNamespace: string | undefined, gatewayNamespace: string | undefined, namespaceObjects: () => IndexedDocument[]): string | undefined {
  const allowed = isRecord(listener.allowedRoutes) ? listener.allowedRoutes : {};
  const kinds = Array.isArray(allowed.kinds) ? allowed.kinds.filter(isRecord) : [];
  if (kinds.length > 0 && !kinds.some((k) => k.kind === 'HTTPRoute' && (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP)) {
    return `admits only ${kinds.map((k) => String(k.kind)).join(', ')} (allowedRoutes.kinds), not HTTPRoute`;
  }
  if (kinds.length === 0 && typeof listener.protocol === 'string' && NON_HTTP_PROTOCOLS.has(listener.protocol)) {
    return `has protocol ${listener.protocol}, whose routes are not HTTPRoutes`;
  }
  const namespaces = isRecord(allowed.namespaces) ? allowed.namespaces : {};
  const from = namespaces.from ?? 'Same';
  if (routeNamespace === undefined) return undefined; // kubectl apply -n decides
  if (from === 'Same') {
    if (gatewayNamespace === undefined || gatewayNamespace === routeNamespace) return undefined;
    return `admits routes of its own namespace \`${gatewayNamespace}\` only (allowedRoutes.namespaces.from: Same${namespaces.from === undefined ? ', the default' : ''}), not of \`${routeNamespace}\``;
  }
  if (from === 'Selector' && isRecord(namespaces.selector)) {
    const found = namespaceObjects();
    if (found.length !== 1) return undefined;
    if (labelSelectorMatches(namespaces.selector as LabelSelector, namespaceLabels(found[0].doc))) return undefined;
    return `admits routes of the namespaces its allowedRoutes.namespaces.selector selects, and the Namespace \`${routeNamespace}\` does not carry those labels`;
  }
  return undefined;
}
