// spec.selector must select the pod template's own labels, or the API server refuses the object.
import { keyRange, valueRange, isRecord, type ManifestDocument, type ManifestFile, type ObjectPath } from '../manifest';
import { labelSelectorMatches, requirementMatches, type LabelSelector, type LabelSelectorRequirement } from '../k8s/labels';
import type { Rule, RuleContext } from './types';
import { buildOnce, type Finding, type Fix, type TextEdit } from '../findings';
import { defineRule } from './define-rule';
import { podTemplatePath, stringMap, valueAt } from '../manifest/pod-template';
import { setMapEntries } from './edits/map-edit';
import { indentUnit, lineStart, pairBlock } from './edits/line-blocks';
import { mappingLines } from '../text-edits';
import { code } from './markdown';

const SELECTOR: ObjectPath = ['spec', 'selector'];
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
/** The noun in the API server's message (ReplicaSet validation reuses the Deployment wording). */
const EMPTY_SELECTOR_NOUN: Record<string, string> = { Deployment: 'deployment', ReplicaSet: 'deployment', StatefulSet: 'statefulset', DaemonSet: 'daemonset' };

export const selectorMismatch: Rule = defineRule({
  id: 'selector-mismatch',
  title: 'Selector does not match the pod template labels',
  severity: 'error',
  kinds: ['apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job'],
  description: [
    'A controller owns the pods its `spec.selector` selects, and creates pods from `spec.template`.',
    'If the template\'s labels are not selected by the selector, every pod it created would be invisible to it and it would create more forever,',
    'so the API server rejects the object: `` spec.template.metadata.labels: Invalid value: ...: `selector` does not match template `labels` ``.',
    'An empty selector (`selector: {}`) is rejected too (`empty selector is invalid for deployment`, also for a ReplicaSet; `... for statefulset`, `... for daemonset`), and so are malformed `matchExpressions`',
    '(an unknown operator, `In`/`NotIn` without values, `Exists`/`DoesNotExist` with values).',
    'A Job generates its own selector unless `spec.manualSelector: true`; a hand-written selector without it is rejected (`` `selector` not auto-generated ``), and with it a selector is required (`spec.selector: Required value`).',
  ].join(' '),
  remediation:
    'Make every `matchLabels` entry and every `matchExpressions` requirement hold for `spec.template.metadata.labels`: add the labels to the template, or derive the selector from the template labels. Note that the selector of an apps/v1 object cannot be changed after creation.',
  check,
});

function check({ file, doc }: RuleContext): Finding[] {
  const spec = valueAt(doc.value, ['spec']);
  if (!isRecord(spec)) return [];
  const selector = spec.selector;
  if (doc.kind === 'Job') {
    if ((selector === undefined || selector === null) && spec.manualSelector === true) return [jobSelectorRequired(file, doc)];
    if (selector === undefined || selector === null) return [];
    if (spec.manualSelector !== true) return [jobSelectorNotGenerated(doc)];
  }
  if (!isRecord(selector)) return [];
  const templatePath = podTemplatePath(doc)!;
  const labels = stringMap(valueAt(doc.value, [...templatePath, 'metadata', 'labels'])) ?? {};
  const matchLabels = stringMap(selector.matchLabels) ?? {};
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];

  const malformed = malformedRequirements(doc, expressions);
  if (malformed.length > 0) return malformed;

  const fixes = buildOnce(() => fixesFor(file.text, doc, labels, matchLabels, expressions as LabelSelectorRequirement[]));
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) {
    return [
      {
        ruleId: selectorMismatch.id,
        range: keyRange(doc, SELECTOR)!,
        message: EMPTY_SELECTOR_NOUN[doc.kind!]
          ? `An empty selector selects every pod in the namespace; the API server rejects it: \`spec.selector: Invalid value: {}: empty selector is invalid for ${EMPTY_SELECTOR_NOUN[doc.kind!]}\`.`
          : `An empty selector selects every pod in the namespace: with manualSelector the Job would count unrelated pods as its own.`,
        fixes,
      },
    ];
  }
  if (labelSelectorMatches({ matchLabels, matchExpressions: expressions } as LabelSelector, labels)) return [];

  const findings: Finding[] = [];
  const what = `${doc.kind} "${doc.name ?? ''}"`;
  const rejected = `The API server rejects the ${doc.kind}: ${code('spec.template.metadata.labels: Invalid value: ...: `selector` does not match template `labels`')}.`;
  for (const [k, v] of Object.entries(matchLabels)) {
    if (labels[k] === v) continue;
    const has = k in labels ? `has ${k}=${labels[k]}` : `has no label "${k}"`;
    findings.push({
      ruleId: selectorMismatch.id,
      range: keyRange(doc, [...SELECTOR, 'matchLabels', k])!,
      message: `The selector of ${what} requires ${k}=${v}, but its pod template ${has}. ${rejected}`,
      fixes,
    });
  }
  expressions.forEach((req, i) => {
    if (requirementMatches(req as LabelSelectorRequirement, labels)) return;
    const r = req as LabelSelectorRequirement;
    findings.push({
      ruleId: selectorMismatch.id,
      range: valueRange(doc, [...SELECTOR, 'matchExpressions', i, 'key']) ?? keyRange(doc, [...SELECTOR, 'matchExpressions', i])!,
      message: `The selector requirement \`${r.key} ${r.operator}${r.values ? ` (${r.values.join(', ')})` : ''}\` of ${what} does not hold for its pod template labels (${describe(labels)}). ${rejected}`,
      fixes,
    });
  });
  return findings;
}

function jobSelectorNotGenerated(doc: ManifestDocument): Finding {
  return {
    ruleId: selectorMismatch.id,
    range: keyRange(doc, SELECTOR)!,
    message:
      'A Job generates its own selector (batch.kubernetes.io/controller-uid) unless `spec.manualSelector: true`; the API server rejects a hand-written one: `` spec.selector: Invalid value: ...: `selector` not auto-generated ``.',
  };
}

/** manualSelector: true promises a hand-written selector; without one the Job is rejected. */
function jobSelectorRequired(file: ManifestFile, doc: ManifestDocument): Finding {
  const labels = stringMap(valueAt(doc.value, ['spec', 'template', 'metadata', 'labels'])) ?? {};
  return {
    ruleId: selectorMismatch.id,
    range: keyRange(doc, ['spec', 'manualSelector'])!,
    message: 'With `manualSelector: true` the API server does not generate the Job\'s selector and requires one: `spec.selector: Required value`.',
    fixes: () => {
      const edits = Object.keys(labels).length ? setMapEntries(file.text, doc, ['spec', 'selector', 'matchLabels'], labels) : undefined;
      return edits ? [{ title: `Set the selector to the template labels (${describe(labels)})`, edits }] : [];
    },
  };
}

function malformedRequirements(doc: ManifestDocument, expressions: unknown[]): Finding[] {
  const findings: Finding[] = [];
  expressions.forEach((req, i) => {
    if (!isRecord(req)) return;
    const at = (f: string) => valueRange(doc, [...SELECTOR, 'matchExpressions', i, f]) ?? keyRange(doc, [...SELECTOR, 'matchExpressions', i])!;
    const values = Array.isArray(req.values) ? req.values : [];
    const field = `spec.selector.matchExpressions[${i}]`;
    if (!OPERATORS.includes(String(req.operator))) {
      findings.push({
        ruleId: selectorMismatch.id,
        range: at('operator'),
        message: `The API server rejects this requirement: \`${field}.operator: Invalid value: "${req.operator}": not a valid selector operator\` (valid: ${OPERATORS.join(', ')}).`,
      });
    } else if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) {
      findings.push({
        ruleId: selectorMismatch.id,
        range: at('operator'),
        message: `The API server rejects this requirement: ${code(`${field}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`)}.`,
      });
    } else if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length > 0) {
      findings.push({
        ruleId: selectorMismatch.id,
        range: keyRange(doc, [...SELECTOR, 'matchExpressions', i, 'values']) ?? at('operator'),
        message: `The API server rejects this requirement: ${code(`${field}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`)}.`,
      });
    }
  });
  return findings;
}

function describe(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? pairs.join(', ') : 'none';
}

function fixesFor(text: string, doc: ManifestDocument, labels: Record<string, string>, matchLabels: Record<string, string>, expressions: LabelSelectorRequirement[]): Fix[] {
  const fixes: Fix[] = [];
  const templateLabels = [...podTemplatePath(doc)!, 'metadata', 'labels'];
  const wanted = labelsSatisfying(labels, matchLabels, expressions);
  if (wanted && Object.keys(wanted).length > 0) {
    const edits = setMapEntries(text, doc, templateLabels, wanted);
    if (edits) fixes.push({ title: `Add ${describe(wanted)} to the pod template labels`, edits });
  }
  const fromTemplate = selectorFromTemplate(text, doc, labels);
  if (fromTemplate) fixes.push(fromTemplate);
  return fixes;
}

/** Template labels to set so the selector holds, when that is unambiguous (matchLabels, In). */
function labelsSatisfying(labels: Record<string, string>, matchLabels: Record<string, string>, expressions: LabelSelectorRequirement[]): Record<string, string> | undefined {
  const wanted: Record<string, string> = {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) wanted[k] = v;
  for (const req of expressions) {
    const merged = { ...labels, ...wanted };
    if (requirementMatches(req, merged)) continue;
    if (req.operator !== 'In' || !req.values?.length) return undefined;
    wanted[req.key] = String(req.values[0]);
  }
  return wanted;
}

/** Replaces spec.selector with matchLabels equal to the template's labels. */
function selectorFromTemplate(text: string, doc: ManifestDocument, labels: Record<string, string>): Fix | undefined {
  if (Object.keys(labels).length === 0) return undefined;
  const block = pairBlock(text, doc, SELECTOR);
  if (!block) return undefined;
  const unit = indentUnit(text, doc);
  const pad = ' '.repeat(block.column);
  const newText = `${pad}selector:\n${pad}${' '.repeat(unit)}matchLabels:\n${mappingLines(labels, block.column + 2 * unit)}`;
  // keep the comments above `selector:`; replace the key line and its value
  const edit: TextEdit = { range: [lineStart(text, block.keyStart), block.end], newText };
  return { title: `Set the selector to the template labels (${describe(labels)})`, edits: [edit] };
}
