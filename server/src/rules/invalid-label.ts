// Label keys and values (and selector keys and values) in the syntax the API server accepts.
import { isRecord, keyRange, valueRange, type ManifestDocument, type ObjectPath } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding } from '../findings';
import { defineRule } from './define-rule';
import { fieldPath } from './lookup/field-path';
import { isQualifiedName, isValidLabelValue } from '../k8s/validation';
import { podTemplatePath, valueAt } from '../manifest/pod-template';

export const invalidLabel: Rule = defineRule({
  id: 'invalid-label',
  title: 'Label key or value the API server does not accept',
  severity: 'error',
  partialObjects: true,
  templates: true,
  description: [
    'Label keys are qualified names: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters of alphanumerics, `-`, `_` and `.`, starting and ending with an alphanumeric (`app.kubernetes.io/name`).',
    'Label values are empty or at most 63 such characters. The same syntax applies to selector keys and values (`matchLabels`, `matchExpressions`, a Service `selector`).',
    'The API server rejects the object with its own message, e.g. `metadata.labels: Invalid value: "app name": name part must consist of alphanumeric characters, ...`.',
  ].join(' '),
  remediation: 'Replace spaces and other characters by `-`, `_` or `.`, keep keys and values within 63 characters, and keep prefixes to lowercase DNS subdomains.',
  check,
});

function check({ doc }: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const template = podTemplatePath(doc);
  labelMap(findings, doc, METADATA_LABELS);
  if (template && template.length > 0) labelMap(findings, doc, [...template, 'metadata', 'labels']);
  labelMap(findings, doc, doc.kind === 'Service' ? SERVICE_SELECTOR : doc.kind === 'CronJob' ? CRONJOB_MATCH_LABELS : MATCH_LABELS);
  const expressions = valueAt(doc.value, MATCH_EXPRESSIONS);
  if (doc.kind !== 'Service' && Array.isArray(expressions))
    expressions.forEach((req, i) => {
      if (!isRecord(req)) return;
      const at: ObjectPath = [...MATCH_EXPRESSIONS, i];
      if (typeof req.key === 'string') keyErrors(findings, doc, [...at, 'key'], [...at, 'key'], req.key, true);
      if (Array.isArray(req.values)) req.values.forEach((v, j) => typeof v === 'string' && valueErrors(findings, doc, [...at, 'values', j], [...at, 'values', j], v));
    });
  return findings;
}

const METADATA_LABELS: ObjectPath = ['metadata', 'labels'];
const SERVICE_SELECTOR: ObjectPath = ['spec', 'selector'];
const CRONJOB_MATCH_LABELS: ObjectPath = ['spec', 'jobTemplate', 'spec', 'selector', 'matchLabels'];
const MATCH_LABELS: ObjectPath = ['spec', 'selector', 'matchLabels'];
const MATCH_EXPRESSIONS: ObjectPath = ['spec', 'selector', 'matchExpressions'];

/**
 * The keys and values of the label map at `path`. A label's path is built only for a finding: most
 * labels are valid, and a path per label (twice) was most of what this rule allocated (issue #11).
 */
function labelMap(findings: Finding[], doc: ManifestDocument, path: ObjectPath): void {
  const labels = valueAt(doc.value, path);
  if (!isRecord(labels)) return;
  const keys = Object.keys(labels);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = labels[k];
    if (isQualifiedName(k).length > 0) keyErrors(findings, doc, [...path, k], path, k);
    if (typeof v === 'string' && isValidLabelValue(v).length > 0) valueErrors(findings, doc, [...path, k], path, v);
  }
}

function keyErrors(findings: Finding[], doc: ManifestDocument, path: ObjectPath, field: ObjectPath, key: string, onValue = false): void {
  const errors = isQualifiedName(key);
  if (errors.length === 0) return;
  findings.push({
    ruleId: invalidLabel.id,
    range: (onValue ? valueRange(doc, path) : keyRange(doc, path))!,
    message: `The API server rejects this ${doc.kind}: ${errors.map((e) => `\`${fieldPath(field)}: Invalid value: ${JSON.stringify(key)}: ${e}\``).join('; ')}.`,
  });
}

function valueErrors(findings: Finding[], doc: ManifestDocument, path: ObjectPath, field: ObjectPath, value: string): void {
  const errors = isValidLabelValue(value);
  if (errors.length === 0) return;
  findings.push({
    ruleId: invalidLabel.id,
    range: valueRange(doc, path)!,
    message: `The API server rejects this ${doc.kind}: ${errors.map((e) => `\`${fieldPath(field)}: Invalid value: ${JSON.stringify(value)}: ${e}\``).join('; ')}.`,
  });
}
