// progressDeadlineSeconds must leave room for minReadySeconds, or no rollout could ever progress.
import { isRecord, valueRange } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding } from '../findings';
import { defineRule } from './define-rule';
import { setMapEntries } from './edits/map-edit';
import { valueAt } from '../manifest/pod-template';

const DEFAULT_PROGRESS_DEADLINE = 600;

export const minReadySecondsDeadline: Rule = defineRule({
  id: 'min-ready-seconds-deadline',
  title: 'minReadySeconds not below progressDeadlineSeconds',
  severity: 'error',
  kinds: ['apps/v1/Deployment'],
  description: [
    'A new pod counts as available only after it has been ready for `minReadySeconds`; the Deployment controller declares the rollout failed (`ProgressDeadlineExceeded`) when no progress happens for `progressDeadlineSeconds`.',
    'A deadline that is not longer than minReadySeconds could expire before any pod becomes available, so the API server rejects it: `spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds`.',
    'progressDeadlineSeconds defaults to 600 before validation, so `minReadySeconds: 600` or more without an explicit deadline is rejected as well.',
  ].join(' '),
  remediation: 'Lower `minReadySeconds` or raise `progressDeadlineSeconds` above it.',
  check,
});

function check({ file, doc }: RuleContext): Finding[] {
  const spec = valueAt(doc.value, ['spec']);
  if (!isRecord(spec) || typeof spec.minReadySeconds !== 'number') return [];
  const minReady = spec.minReadySeconds;
  const explicit = typeof spec.progressDeadlineSeconds === 'number';
  const deadline = explicit ? (spec.progressDeadlineSeconds as number) : spec.progressDeadlineSeconds === undefined ? DEFAULT_PROGRESS_DEADLINE : undefined;
  if (deadline === undefined || deadline > minReady) return [];
  const suggested = minReady + DEFAULT_PROGRESS_DEADLINE;
  return [
    {
      ruleId: minReadySecondsDeadline.id,
      range: explicit ? valueRange(doc, ['spec', 'progressDeadlineSeconds'])! : valueRange(doc, ['spec', 'minReadySeconds'])!,
      message:
        `The API server rejects this Deployment: \`spec.progressDeadlineSeconds: Invalid value: ${deadline}: must be greater than minReadySeconds\`` +
        `${explicit ? '' : ' (progressDeadlineSeconds defaults to 600)'}. A pod needs ${minReady}s of readiness to count as available, so the rollout could be declared failed before any pod is.`,
      fixes: () => {
        const edits = setMapEntries(file.text, doc, ['spec'], { progressDeadlineSeconds: suggested });
        return edits ? [{ title: `Set progressDeadlineSeconds to ${suggested}`, edits }] : [];
      },
    },
  ];
}

