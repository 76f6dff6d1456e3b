// An Ingress backend names a Service port: by number it must be one of the Service's `port`s, by
// name one of its port names. The Service itself missing is missing-reference's finding.
import { valueRange } from '../manifest';
import { fixesFor, type Finding } from '../findings';
import { suggestNames } from '../schema/did-you-mean';
import { referencesOf } from '../scope/references';
import { resolveReference } from '../scope/resolve';
import { Ring, whereFrom } from '../scope/scope';
import type { Rule, RuleContext } from './types';
import { defineRule } from './define-rule';
import { yamlScalar } from '../text-edits';
import { describeServed, servicePorts } from '../scope/service-ports';

export const ingressBackendPort: Rule = defineRule({
  id: 'ingress-backend-port',
  title: 'Ingress backend port not served by the Service',
  severity: 'error',
  kinds: ['networking.k8s.io/v1/Ingress'],
  crossDocument: true,
  description: [
    'An Ingress backend sends traffic to `service.port.number` or `service.port.name` of a Service. The number must be one of the Service\'s `spec.ports[].port`',
    '(not the `targetPort` on the pods) and the name one of its `spec.ports[].name`. Otherwise the ingress controller finds no such Service port and answers with an error',
    '(ingress-nginx: 503). A number equal to a `targetPort` only is accepted by some controllers and not others, so it is a warning.',
    'The Service is looked up in scope (docs/scope.md); found only in another folder, the finding is a warning.',
    'An AWS Load Balancer Controller Ingress (class `alb` or `alb.ingress.kubernetes.io/` annotations) whose port name is `use-annotation` names the action of its',
    '`alb.ingress.kubernetes.io/actions.<name>` annotation, not a Service, and is not judged.',
  ].join(' '),
  remediation: 'Name a port the Service serves: its `port` number or its port `name`.',
  check,
});

function check({ file, doc, workspace }: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const ref of referencesOf(doc)) {
    if (!ref.port || ref.via !== 'ingress backend') continue;
    const { matches, ring } = resolveReference(workspace, { uri: file.uri, doc }, ref);
    if (matches.length !== 1) continue; // missing: missing-reference; several: cannot tell which
    const svc = matches[0];
    const ports = servicePorts(svc.doc);
    const range = valueRange(doc, ref.port.path);
    if (!range || ports.length === 0) continue;
    const where = whereFrom(workspace, file.uri, svc, ring);
    const severity = ring === Ring.Workspace ? 'warning' : undefined;
    const served = describeServed(ports);
    const { value } = ref.port;
    if (typeof value === 'number') {
      if (ports.some((p) => p.port === value)) continue;
      const byTarget = ports.filter((p) => p.targetPort === value && typeof p.port === 'number');
      findings.push({
        ruleId: ingressBackendPort.id,
        severity: byTarget.length ? 'warning' : severity,
        range,
        message: byTarget.length
          ? `${value} is the targetPort of Service "${ref.name}"${where} port ${byTarget[0].port}, not a port it serves (${served}): only some ingress controllers accept the targetPort; use ${byTarget[0].port}.`
          : `Service "${ref.name}"${where} serves no port ${value} (it serves ${served}): the ingress controller has no backend for this path and answers with an error (ingress-nginx: 503).`,
        fixes: fixesFor(
          (byTarget.length ? byTarget : ports.length === 1 ? ports : []).filter((p) => typeof p.port === 'number').slice(0, 1),
          (p) => ({ title: `Change the port to ${p.port}`, edits: [{ range, newText: String(p.port) }], preferred: true }),
        ),
      });
    } else {
      const names = ports.map((p) => p.name).filter((n): n is string => typeof n === 'string');
      if (names.includes(value)) continue;
      const suggestion = suggestNames(value, names);
      findings.push({
        ruleId: ingressBackendPort.id,
        severity,
        range,
        message: `Service "${ref.name}"${where} has no port named "${value}" (it serves ${served}): the ingress controller has no backend for this path and answers with an error (ingress-nginx: 503).`,
        fixes: fixesFor(suggestion.names.slice(0, 3), (name, i) => ({ title: `Change the port name to "${name}"`, edits: [{ range, newText: yamlScalar(name) }], preferred: (suggestion.clear && i === 0) || undefined })),
      });
    }
  }
  return findings;
}
