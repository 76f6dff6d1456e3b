// A Service's targetPort must be a port the selected containers actually have.
import { closest } from 'fastest-levenshtein';
import { isRecord, keyRange, valueRange, type ManifestDocument } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding, Fix } from '../findings';
import { defineRule } from './define-rule';
import { valueAt } from '../manifest/pod-template';
import { yamlScalar } from '../text-edits';
import { isValidPortName } from '../k8s/validation';
import { describeWorkload, templatesSelectedBy } from '../scope/workspace-lookup';
import { declaredPorts } from '../scope/container-ports';
import { Ring, whereFrom } from '../scope/scope';

export const serviceTargetPort: Rule = defineRule({
  id: 'service-target-port',
  title: 'Service targetPort not declared by the selected containers',
  severity: 'error',
  kinds: ['v1/Service'],
  crossDocument: true,
  description: [
    'A Service forwards each port to `targetPort` on the selected pods (by default the same number as `port`).',
    'A named targetPort is looked up in each pod\'s `containers[].ports[].name`: a pod that has no port of that name gets no endpoint for it,',
    'so when none of the selected pod templates declares the name, the Service port has no endpoints at all (error).',
    'A numeric targetPort that no selected container declares as `containerPort` still works if the process listens there (declaring is informational),',
    'but usually means a wrong number, so it is a warning. Only Services whose selector selects pod templates in the workspace are checked for this.',
    'A quoted number (`targetPort: "8080"`) is a port *name* to the API server, and it rejects it (`must contain at least one letter (a-z)`).',
  ].join(' '),
  remediation: 'Use the name or number of a port the containers declare (`containers[].ports[].name` / `containerPort`), or declare the port in the container.',
  check,
});

function check({ file, doc, workspace }: RuleContext): Finding[] {
  const ports = valueAt(doc.value, ['spec', 'ports']);
  if (!Array.isArray(ports)) return [];
  const findings: Finding[] = invalidTargetPortNames(doc, ports);
  // A template without containers (a misspelt `containers:`, or still being typed) declares
  // nothing yet, so it cannot show that a port is missing.
  const { templates, ring } = templatesSelectedBy(workspace, { uri: file.uri, doc });
  const selected = templates.filter((t) => t.template.containers.length > 0);
  if (selected.length === 0) return findings;
  const declared = selected.flatMap(declaredPorts);
  // The same workload in several files (kustomize base and overlays) is named once; pods found
  // only in another folder may not be the ones this Service is applied with: say where, and warn.
  const owners = [...new Set(selected.map((t) => describeWorkload(t) + whereFrom(workspace, file.uri, t.entry, ring)))].join(', ');
  const elsewhere = ring === Ring.Workspace ? 'warning' : undefined;
  ports.forEach((p, i) => {
    if (!isRecord(p)) return;
    const protocol = typeof p.protocol === 'string' ? p.protocol : 'TCP';
    const target = p.targetPort ?? p.port;
    if (typeof target === 'string' && isValidPortName(target).length > 0) return; // reported above
    // Located only for a finding: a range costs a read of the document.
    const located = () => (p.targetPort !== undefined ? valueRange(doc, ['spec', 'ports', i, 'targetPort'])! : (valueRange(doc, ['spec', 'ports', i, 'port']) ?? keyRange(doc, ['spec', 'ports', i])!));
    const sameProtocol = declared.filter((d) => d.protocol === protocol);
    if (typeof target === 'string') {
      if (sameProtocol.some((d) => d.name === target)) return;
      const at = located();
      const names = [...new Set(sameProtocol.map((d) => d.name).filter((n): n is string => !!n))];
      const guess = names.length ? closest(target, names) : undefined;
      findings.push({
        ruleId: serviceTargetPort.id,
        severity: elsewhere,
        range: at,
        message: `targetPort "${target}" names no ${protocol} port of the selected containers (${owners}${names.length ? `; they declare ${names.map((n) => `"${n}"`).join(', ')}` : '; they declare no named ports'}): this Service port gets no endpoints.`,
        fixes: guess ? () => [replaceFix(at, guess, guess, names.length === 1)] : undefined,
      });
      return;
    }
    if (typeof target !== 'number') return;
    if (sameProtocol.some((d) => d.number === target)) return;
    const at = located();
    const numbers = [...new Set(sameProtocol.map((d) => d.number))];
    findings.push({
      ruleId: serviceTargetPort.id,
      severity: 'warning',
      range: at,
      message: `${p.targetPort === undefined ? `targetPort defaults to port ${target}, which` : `targetPort ${target}`} no selected container declares as a ${protocol} containerPort (${owners}${numbers.length ? `; declared: ${numbers.join(', ')}` : ''}): traffic reaches the pods only if something listens there anyway.`,
      fixes: numbers.length === 1 && p.targetPort !== undefined ? () => [replaceFix(at, String(numbers[0]), String(numbers[0]), true)] : undefined,
    });
  });
  return findings;
}

/** A string targetPort is a port name, validated as one: `"8080"` is rejected (no letter). */
function invalidTargetPortNames(doc: ManifestDocument, ports: unknown[]): Finding[] {
  const findings: Finding[] = [];
  ports.forEach((p, i) => {
    if (!isRecord(p) || typeof p.targetPort !== 'string') return;
    const errors = isValidPortName(p.targetPort);
    if (errors.length === 0) return;
    const at = valueRange(doc, ['spec', 'ports', i, 'targetPort'])!;
    const target = p.targetPort;
    const numeric = /^\d+$/.test(target);
    findings.push({
      ruleId: serviceTargetPort.id,
      range: at,
      message:
        `The API server rejects this Service: ${errors.map((e) => `\`spec.ports[${i}].targetPort: Invalid value: ${JSON.stringify(p.targetPort)}: ${e}\``).join('; ')}.` +
        (numeric ? ' A quoted number is a port name; write the number without quotes.' : ''),
      fixes: numeric ? () => [replaceFix(at, target, target, true)] : undefined,
    });
  });
  return findings;
}

function replaceFix(range: [number, number], value: string, label: string, preferred: boolean): Fix {
  return { title: `Change targetPort to ${label}`, edits: [{ range, newText: /^\d+$/.test(value) ? value : yamlScalar(value) }], preferred: preferred || undefined };
}
