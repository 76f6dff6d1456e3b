// A Gateway API HTTPRoute names more than an object: a backend's `port` must be one the Service
// serves, a parent's `sectionName` (and `port`) a listener of the Gateway or a port of the parent
// Service. The object itself missing is missing-reference's finding.
import { isRecord, valueRange, type Offsets } from '../manifest';
import { fixesFor, type Finding } from '../findings';
import { valueAt } from '../manifest/pod-template';
import { suggestNames } from '../schema/did-you-mean';
import { referencesOf, type ObjectReference } from '../scope/references';
import { resolveReference } from '../scope/resolve';
import { Ring, whereFrom } from '../scope/scope';
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
    'both in the route\'s namespace unless `namespace` is set. The objects are looked up in scope (docs/scope.md); found only in another folder, the finding is a warning.',
  ].join(' '),
  remediation: 'Name a port the Service serves (its `port`), or a listener the Gateway has.',
  check,
});

function check({ file, doc, workspace }: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const ref of referencesOf(doc)) {
    if ((ref.via !== 'route backend' && ref.via !== 'route parent') || (!ref.port && !ref.section)) continue;
    const { matches, ring } = resolveReference(workspace, { uri: file.uri, doc }, ref);
    if (matches.length !== 1) continue; // missing: missing-reference; several: cannot tell which
    const target = matches[0];
    const about = { ref, target, where: whereFrom(workspace, file.uri, target, ring), severity: ring === Ring.Workspace ? ('warning' as const) : undefined };
    const at = (path: (string | number)[]) => valueRange(doc, path);
    if (ref.via === 'route backend') findings.push(...backendPort(about, at));
    else if (ref.kind === 'Gateway') findings.push(...gatewaySection(about, at));
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
