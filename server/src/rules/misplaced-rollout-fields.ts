// Rollout settings written at the wrong level (the seed notes' own example puts `type`,
// `rollingUpdate`, `maxSurge` and `maxUnavailable` directly under `spec`).
import { isMap, isScalar, type Node } from 'yaml';
import { isRecord, keyRange, nodeAt, type ManifestDocument, type ObjectPath } from '../manifest';
import type { Rule, RuleContext } from './types';
import { buildOnce, type Finding } from '../findings';
import { defineRule } from './define-rule';
import { valueAt } from '../manifest/pod-template';
import { ROLLOUT_LAYOUTS, type RolloutLayout } from './lookup/rollout-layout';
import { rebuildStrategyFix, type MisplacedField } from './edits/strategy-block';

export const misplacedRolloutFields: Rule = defineRule({
  id: 'misplaced-rollout-fields',
  title: 'Rollout field at the wrong level',
  severity: 'error',
  partialObjects: true,
  templates: true,
  kinds: ['apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet'],
  description: [
    'A Deployment reads its rollout settings only from `spec.strategy.type` and `spec.strategy.rollingUpdate.{maxSurge,maxUnavailable}`;',
    'a StatefulSet from `spec.updateStrategy.rollingUpdate.{partition,maxUnavailable}` and a DaemonSet from `spec.updateStrategy.rollingUpdate.{maxSurge,maxUnavailable}`.',
    'The same keys one level too high (for example `maxSurge` directly under `spec`, or under `strategy` without `rollingUpdate`) are unknown fields:',
    '`kubectl apply` rejects them (`strict decoding error: unknown field "spec.maxSurge"`), and clients that drop unknown fields create the workload with the default strategy instead',
    '(a Deployment then rolls out with maxSurge 25% and maxUnavailable 25%, whatever the manifest seemed to say).',
    'An empty `strategy:` followed by its fields at the same indentation is the typical way this happens.',
  ].join(' '),
  remediation:
    'Indent the fields under the strategy block: `spec.strategy.type`, `spec.strategy.rollingUpdate.maxSurge`, `spec.strategy.rollingUpdate.maxUnavailable` (or `spec.updateStrategy...` for StatefulSets and DaemonSets). The quick-fix moves the whole block into place, keeping comments.',
  check,
});

function check({ file, doc }: RuleContext): Finding[] {
  const layout = ROLLOUT_LAYOUTS[doc.kind ?? ''];
  if (!layout) return [];
  const misplaced = findMisplaced(doc, layout);
  const findings: Finding[] = [];
  if (misplaced.length > 0) {
    const fixes = buildOnce(() => {
      const fix = rebuildStrategyFix(file, doc, layout, misplaced);
      return fix ? [fix] : [];
    });
    for (const m of misplaced) {
      findings.push({
        ruleId: misplacedRolloutFields.id,
        range: keyRange(doc, m.path)!,
        message: messageFor(doc, layout, m),
        fixes,
      });
    }
  }
  const wrongName = wrongStrategyName(doc, layout);
  if (wrongName) findings.push(wrongName);
  return findings;
}

/** Rollout keys found where the kind has no such field, with the path Kubernetes reads them from. */
export function findMisplaced(doc: ManifestDocument, layout: RolloutLayout): MisplacedField[] {
  const S = layout.strategyField;
  const out: MisplacedField[] = [];
  const strategy = ['spec', S];
  const rolling = [...strategy, 'rollingUpdate'];
  const targetOf = (k: string): ObjectPath | undefined =>
    k === 'type' ? [...strategy, 'type'] : k === 'rollingUpdate' ? rolling : layout.params.includes(k) ? [...rolling, k] : undefined;
  for (const k of keysAt(doc, ['spec'])) {
    const target = targetOf(k);
    if (target) out.push({ path: ['spec', k], target });
  }
  for (const k of keysAt(doc, ['spec', 'rollingUpdate'])) {
    if (k === 'type') out.push({ path: ['spec', 'rollingUpdate', k], target: [...strategy, 'type'] });
    else if (layout.specFields.includes(k)) out.push({ path: ['spec', 'rollingUpdate', k], target: ['spec', k] });
  }
  for (const k of keysAt(doc, strategy)) {
    if (layout.params.includes(k)) out.push({ path: [...strategy, k], target: [...rolling, k] });
    else if (layout.specFields.includes(k)) out.push({ path: [...strategy, k], target: ['spec', k] });
  }
  for (const k of keysAt(doc, rolling)) {
    if (k === 'type') out.push({ path: [...rolling, k], target: [...strategy, 'type'] });
    else if (layout.specFields.includes(k)) out.push({ path: [...rolling, k], target: ['spec', k] });
  }
  return out.sort((a, b) => keyRange(doc, a.path)![0] - keyRange(doc, b.path)![0]);
}

/** Keys of the mapping at `path`: from the value, or from the tree when parsing had problems (duplicate keys, broken YAML). */
function keysAt(doc: ManifestDocument, path: ObjectPath): string[] {
  if (doc.problems.length === 0 && doc.value !== undefined) {
    const map = valueAt(doc.value, path);
    return isRecord(map) ? Object.keys(map) : [];
  }
  const node = nodeAt(doc, path);
  if (!isMap(node)) return [];
  return node.items.filter((p) => isScalar(p.key)).map((p) => String((p.key as Node & { value: unknown }).value));
}

function messageFor(doc: ManifestDocument, layout: RolloutLayout, m: MisplacedField): string {
  const field = String(m.path[m.path.length - 1]);
  const parent = m.path.slice(0, -1).join('.');
  const where = m.path.length === 2 ? 'directly under `spec`' : `under \`${parent}\``;
  const dropped =
    m.target.length === 2
      ? `a client that drops unknown fields ignores it, so spec.${field} keeps its default`
      : `a client that drops unknown fields creates the ${doc.kind} with the default strategy (${layout.defaults}) instead`;
  return (
    `\`${field}\` is ${where}, where a ${doc.kind} has no such field: it belongs at \`${m.target.join('.')}\`. ` +
    `kubectl apply rejects it (\`strict decoding error: unknown field "${m.path.join('.')}"\`); ${dropped}.`
  );
}

/** `strategy` on a StatefulSet/DaemonSet or `updateStrategy` on a Deployment. */
function wrongStrategyName(doc: ManifestDocument, layout: RolloutLayout): Finding | undefined {
  const wrong = layout.strategyField === 'strategy' ? 'updateStrategy' : 'strategy';
  if (keysAt(doc, ['spec']).indexOf(wrong) < 0) return undefined;
  const range = keyRange(doc, ['spec', wrong]);
  if (!range) return undefined;
  const canRename = keyRange(doc, ['spec', layout.strategyField]) === undefined;
  return {
    ruleId: misplacedRolloutFields.id,
    range,
    message: `A ${doc.kind} has no \`spec.${wrong}\`; it reads its rollout settings from \`spec.${layout.strategyField}\`. kubectl apply rejects the unknown field; otherwise it is dropped and the default strategy (${layout.defaults}) applies.`,
    fixes: canRename ? () => [{ title: `Rename to ${layout.strategyField}`, edits: [{ range, newText: layout.strategyField }], preferred: true }] : undefined,
  };
}
