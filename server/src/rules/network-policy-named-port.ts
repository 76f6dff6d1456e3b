// A NetworkPolicy ingress rule's named port that none of the pods the policy selects declares.
import { closest } from 'fastest-levenshtein';
import { isRecord, keyRange, valueRange } from '../manifest';
import type { Finding } from '../findings';
import type { LabelSelector } from '../k8s/labels';
import { isValidPortName } from '../k8s/validation';
import type { Rule, RuleContext } from './types';
import { defineRule } from './define-rule';
import { valueAt } from '../manifest/pod-template';
import { yamlScalar } from '../text-edits';
import { describeWorkload, templatesMatching } from '../scope/workspace-lookup';
import { declaredPorts } from '../scope/container-ports';
import { whereFrom } from '../scope/scope';

export const networkPolicyNamedPort: Rule = defineRule({
  id: 'network-policy-named-port',
  title: 'NetworkPolicy named port not declared by the pods it selects',
  severity: 'warning',
  kinds: ['networking.k8s.io/v1/NetworkPolicy'],
  crossDocument: true,
  description: [
    'An ingress rule\'s `ports[].port` may be a port name: it is resolved on each destination pod, the pods the policy selects,',
    'against their containers\' `ports[].name` (k8s.io/api networking/v1 types.go NetworkPolicyPort: "a numerical or named port on a pod").',
    'A pod that declares no port of that name gets nothing from the rule on it, so when none of the selected pod templates declares the name,',
    'the rule allows no traffic there: usually a typo or a name the container never declared. The pods may be created outside the repository,',
    'so this is a warning, and only policies whose selector selects pod templates in the workspace are checked. Egress rules name ports of the',
    'destination peers, which kdry does not resolve.',
  ].join(' '),
  remediation: 'Use the name of a port the selected containers declare (`containers[].ports[].name`), its number, or declare the port in the container.',
  check,
});

function check({ file, doc, workspace }: RuleContext): Finding[] {
  const ingress = valueAt(doc.value, ['spec', 'ingress']);
  const selector = valueAt(doc.value, ['spec', 'podSelector']);
  if (!Array.isArray(ingress) || !isRecord(selector)) return [];
  const named = ingress.flatMap((rule, i) =>
    isRecord(rule) && Array.isArray(rule.ports)
      ? rule.ports.flatMap((p, j) => (isRecord(p) && typeof p.port === 'string' && isValidPortName(p.port).length === 0 ? [{ i, j, name: p.port, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP' }] : []))
      : [],
  );
  if (named.length === 0) return [];
  // A template without containers (still being typed) declares nothing yet.
  const { templates, ring } = templatesMatching(workspace, { uri: file.uri, doc }, selector as LabelSelector);
  const selected = templates.filter((t) => t.template.containers.length > 0);
  if (selected.length === 0) return [];
  const declared = selected.flatMap(declaredPorts);
  const owners = [...new Set(selected.map((t) => describeWorkload(t) + whereFrom(workspace, file.uri, t.entry, ring)))].join(', ');
  const findings: Finding[] = [];
  for (const { i, j, name, protocol } of named) {
    const names = [...new Set(declared.filter((d) => d.protocol === protocol).map((d) => d.name).filter((n): n is string => !!n))];
    if (names.includes(name)) continue;
    const at = valueRange(doc, ['spec', 'ingress', i, 'ports', j, 'port']) ?? keyRange(doc, ['spec', 'ingress', i, 'ports', j])!;
    const guess = names.length ? closest(name, names) : undefined;
    const otherProtocols = [...new Set(declared.filter((d) => d.name === name).map((d) => d.protocol))];
    const theyDeclare = otherProtocols.length
      ? `; they declare "${name}" as ${otherProtocols.join(', ')}, and the rule's protocol is ${protocol}${protocol === 'TCP' ? ' (the default)' : ''}`
      : names.length ? `; they declare ${names.map((n) => `"${n}"`).join(', ')}` : `; they declare no named ${protocol} ports`;
    findings.push({
      ruleId: networkPolicyNamedPort.id,
      range: at,
      message: `port "${name}" names no ${protocol} port of the pods this policy selects (${owners}${theyDeclare}): a named port is resolved on each selected pod, so this rule allows no traffic on it.`,
      fixes: guess ? () => [{ title: `Change port to ${guess}`, edits: [{ range: at, newText: yamlScalar(guess) }], preferred: names.length === 1 || undefined }] : undefined,
    });
  }
  return findings;
}
