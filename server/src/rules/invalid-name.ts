// Object, namespace, container and port names as the API server validates them.
import { isRecord, valueRange, type ManifestDocument, type ObjectPath } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding, Fix } from '../findings';
import { defineRule } from './define-rule';
import { yamlScalar } from '../text-edits';
import { fieldPath } from './lookup/field-path';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidPortName, maxLenError, sanitizeDnsName } from '../k8s/validation';
import { podTemplate, valueAt } from '../manifest/pod-template';

/** A CronJob's name plus the 11 characters of its Jobs' scheduled-time suffix must fit a label. */
const CRONJOB_NAME_MAX = 52;

export const invalidName: Rule = defineRule({
  id: 'invalid-name',
  title: 'Name the API server does not accept',
  severity: 'error',
  partialObjects: true,
  templates: true,
  kinds: ['apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob', 'v1/Pod', 'v1/Service'],
  description: [
    'Names end up in DNS and in labels, so the API server checks them with apimachinery\'s validators:',
    'most objects need a lowercase RFC 1123 subdomain (`[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`, at most 253 characters);',
    'a Service needs a DNS-1035 label (starts with a letter, at most 63 characters) because it becomes a DNS name;',
    'a StatefulSet needs an RFC 1123 label (no dots, at most 63 characters), because its pods use `<name>-<ordinal>` as their hostname;',
    'a CronJob name may have at most 52 characters (its Jobs append an 11-character suffix) and a Job name at most 63 (it becomes a label value on its pods); namespaces and container names are RFC 1123 labels;',
    'port names are IANA service names (at most 15 characters, a-z, 0-9 and single hyphens, at least one letter).',
    'The message is the API server\'s own, e.g. `metadata.name: Invalid value: "My_App": a lowercase RFC 1123 subdomain must consist of ...`.',
  ].join(' '),
  remediation: 'Use lower case letters, digits and hyphens (dots only in subdomain names), starting and ending with a letter or digit. The quick-fix proposes the nearest valid name.',
  check,
});

type Validator = (v: string) => string[];

function check({ doc }: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const name = valueAt(doc.value, ['metadata', 'name']);
  if (typeof name === 'string') {
    if (doc.kind === 'Service') report(findings, doc, ['metadata', 'name'], name, isDNS1035Label, 63, false);
    // its pods are named `<name>-<ordinal>` and use that as their hostname: a DNS label
    else if (doc.kind === 'StatefulSet') report(findings, doc, ['metadata', 'name'], name, isDNS1123Label, 63, false);
    else {
      report(findings, doc, ['metadata', 'name'], name, isDNS1123Subdomain, 253, true);
      if (doc.kind === 'CronJob' && name.length > CRONJOB_NAME_MAX && isDNS1123Subdomain(name).length === 0)
        report(findings, doc, ['metadata', 'name'], name, (v) => (v.length > CRONJOB_NAME_MAX ? [`must be no more than ${CRONJOB_NAME_MAX} characters`] : []), CRONJOB_NAME_MAX, true);
      // the Job's name becomes the value of its pods' job-name labels
      if (doc.kind === 'Job' && name.length > 63 && isDNS1123Subdomain(name).length === 0)
        report(findings, doc, ['metadata', 'name'], name, (v) => (v.length > 63 ? [`${maxLenError(63)} (it is the value of the pods' batch.kubernetes.io/job-name label)`] : []), 63, true);
    }
  }
  const ns = valueAt(doc.value, ['metadata', 'namespace']);
  if (typeof ns === 'string') report(findings, doc, ['metadata', 'namespace'], ns, isDNS1123Label, 63, false);
  for (const c of podTemplate(doc, true)?.containers ?? []) {
    if (typeof c.value.name === 'string') report(findings, doc, [...c.path, 'name'], c.value.name, isDNS1123Label, 63, false);
    if (!Array.isArray(c.value.ports)) continue;
    c.value.ports.forEach((p, i) => {
      if (isRecord(p) && typeof p.name === 'string') report(findings, doc, [...c.path, 'ports', i, 'name'], p.name, isValidPortName, 15, false);
    });
  }
  if (doc.kind === 'Service') {
    const ports = valueAt(doc.value, ['spec', 'ports']);
    if (Array.isArray(ports))
      ports.forEach((p, i) => {
        if (isRecord(p) && typeof p.name === 'string' && p.name !== '') report(findings, doc, ['spec', 'ports', i, 'name'], p.name, isDNS1123Label, 63, false);
      });
  }
  return findings;
}

function report(findings: Finding[], doc: ManifestDocument, path: ObjectPath, value: string, validate: Validator, max: number, dots: boolean): void {
  const errors = validate(value);
  if (errors.length === 0) return;
  const range = valueRange(doc, path)!;
  const suggestion = sanitizeDnsName(value, max, dots);
  const fix: Fix | undefined = suggestion && suggestion !== value && validate(suggestion).length === 0 ? { title: `Rename to ${suggestion}`, edits: [{ range, newText: yamlScalar(suggestion) }] } : undefined;
  findings.push({
    ruleId: invalidName.id,
    range,
    message: `The API server rejects this ${doc.kind}: ${errors.map((e) => `\`${fieldPath(path)}: Invalid value: ${JSON.stringify(value)}: ${e}\``).join('; ')}.`,
    fixes: fix && (() => [fix]),
  });
}
