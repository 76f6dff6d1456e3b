// Values of the rollout parameters the API server's validation rejects (ValidateDeploymentStrategy,
// ValidateRollingUpdateDaemonSet, validateRollingUpdateStatefulSet in pkg/apis/apps/validation).
import { keyRange, valueRange, isRecord, type ManifestDocument, type ManifestFile, type ObjectPath } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding, Fix } from '../findings';
import { defineRule } from './define-rule';
import { intOrPercentValue, isPercent } from '../k8s/intstr';
import { regexError } from '../k8s/validation';
import { pairBlock } from './edits/line-blocks';
import { valueAt } from '../manifest/pod-template';
import { setMapEntries } from './edits/map-edit';
import { yamlScalar } from '../text-edits';
import { code } from './markdown';
import { apiValue, daemonSetZeroBudgetError, deploymentZeroBudgetError } from '../k8s/rolling-update-validation';

export const rollingUpdateParams: Rule = defineRule({
  id: 'rolling-update-params',
  title: 'Rollout parameters the API server rejects',
  severity: 'error',
  kinds: ['apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet'],
  description: [
    'The API server validates the rollout parameters and refuses the whole object when they cannot work:',
    '`rollingUpdate` together with `type: Recreate` (Deployment) or `type: OnDelete` (StatefulSet);',
    'a Deployment whose `maxSurge` and `maxUnavailable` are both 0 (the rollout could never make progress);',
    'a DaemonSet whose `maxSurge` and `maxUnavailable` are both 0, or both non-zero (remember the defaults: maxUnavailable 1, maxSurge 0, so `maxSurge: 1` alone is rejected);',
    '`maxUnavailable` over 100% (and a DaemonSet\'s `maxSurge` over 100%; a Deployment may surge by more than 100%);',
    'negative numbers, and strings that are not percentages (`"25"` instead of `25` or `"25%"`).',
    'The messages quote the API server\'s own validation errors.',
  ].join(' '),
  remediation:
    'Remove `rollingUpdate` from a Recreate/OnDelete strategy (or switch to RollingUpdate); give the rollout room to progress (maxSurge or maxUnavailable above 0; for a DaemonSet exactly one of them); keep percentages between 0% and 100%.',
  check,
});

interface Ctx {
  /** Its text is read only when a fix is built. */
  file: ManifestFile;
  doc: ManifestDocument;
  findings: Finding[];
}

function check({ file, doc }: RuleContext): Finding[] {
  const c: Ctx = { file, doc, findings: [] };
  if (doc.kind === 'Deployment') deployment(c);
  else if (doc.kind === 'DaemonSet') daemonSet(c);
  else if (doc.kind === 'StatefulSet') statefulSet(c);
  return c.findings;
}

function deployment(c: Ctx): void {
  const strategy = ['spec', 'strategy'];
  const s = valueAt(c.doc.value, strategy);
  if (!isRecord(s)) return;
  const rolling = [...strategy, 'rollingUpdate'];
  if (s.type === 'Recreate' && s.rollingUpdate != null) {
    report(c, rolling, `${path(rolling)}: Forbidden: may not be specified when strategy \`type\` is 'Recreate'`, 'A Recreate rollout deletes all old pods before creating new ones, so it has no rolling parameters.', () => [
      removeFix(c, rolling),
      { title: 'Change type to RollingUpdate', edits: [{ range: valueRange(c.doc, [...strategy, 'type'])!, newText: 'RollingUpdate' }] },
    ]);
    return;
  }
  if (s.type !== undefined && s.type !== 'RollingUpdate') return;
  const ru = s.rollingUpdate;
  if (!isRecord(ru)) return;
  const surgeOk = intOrPercent(c, [...rolling, 'maxSurge'], ru.maxSurge);
  const unavailableOk = intOrPercent(c, [...rolling, 'maxUnavailable'], ru.maxUnavailable);
  if (unavailableOk) notOver100(c, [...rolling, 'maxUnavailable'], ru.maxUnavailable);
  // the API server defaults an absent parameter to 25% first, so only two explicit zeros collide
  const zeroBudget = deploymentZeroBudgetError(ru, path(rolling));
  if (surgeOk && unavailableOk && zeroBudget !== undefined) {
    report(
      c,
      [...rolling, 'maxUnavailable'],
      zeroBudget,
      'With no extra pod allowed and no pod allowed to be unavailable, the rollout could never replace a single pod.',
      () => [setFix(c, rolling, 'maxSurge', 1)],
    );
  }
}

function daemonSet(c: Ctx): void {
  const strategy = ['spec', 'updateStrategy'];
  const s = valueAt(c.doc.value, strategy);
  if (!isRecord(s) || (s.type !== undefined && s.type !== 'RollingUpdate')) return;
  const ru = s.rollingUpdate;
  if (!isRecord(ru)) return;
  const rolling = [...strategy, 'rollingUpdate'];
  const surgeOk = intOrPercent(c, [...rolling, 'maxSurge'], ru.maxSurge) && notOver100(c, [...rolling, 'maxSurge'], ru.maxSurge);
  const unavailableOk = intOrPercent(c, [...rolling, 'maxUnavailable'], ru.maxUnavailable) && notOver100(c, [...rolling, 'maxUnavailable'], ru.maxUnavailable);
  if (!surgeOk || !unavailableOk) return;
  // defaults (SetDefaults_DaemonSet): maxUnavailable 1, maxSurge 0
  const unavailable = ru.maxUnavailable === undefined || ru.maxUnavailable === null ? 1 : intOrPercentValue(ru.maxUnavailable);
  const surge = ru.maxSurge === undefined || ru.maxSurge === null ? 0 : intOrPercentValue(ru.maxSurge);
  if (unavailable !== 0 && surge !== 0) {
    const implicit = ru.maxUnavailable === undefined || ru.maxUnavailable === null ? ' (maxUnavailable defaults to 1)' : '';
    report(
      c,
      [...rolling, 'maxSurge'],
      `${path([...rolling, 'maxSurge'])}: Invalid value: ${json(ru.maxSurge)}: may not be set when maxUnavailable is non-zero${implicit}`,
      'A DaemonSet either surges (starts the new pod next to the old one) or takes pods down, never both.',
      () => [setFix(c, rolling, 'maxUnavailable', 0)],
    );
  } else if (unavailable === 0 && surge === 0) {
    report(
      c,
      [...rolling, 'maxUnavailable'],
      daemonSetZeroBudgetError(ru, path(rolling)) as string,
      'The rollout could never replace a single pod.',
      () => [setFix(c, rolling, 'maxUnavailable', 1)],
    );
  }
}

function statefulSet(c: Ctx): void {
  const strategy = ['spec', 'updateStrategy'];
  const s = valueAt(c.doc.value, strategy);
  if (!isRecord(s)) return;
  const rolling = [...strategy, 'rollingUpdate'];
  if (s.type === 'OnDelete' && s.rollingUpdate != null) {
    report(c, rolling, `${path(rolling)}: Invalid value: ...: only allowed for updateStrategy 'RollingUpdate'`, 'With OnDelete the controller never replaces pods itself, so rolling parameters have no meaning.', () => [
      removeFix(c, rolling),
    ]);
    return;
  }
  const ru = s.rollingUpdate;
  if (!isRecord(ru)) return;
  if (typeof ru.partition === 'number' && ru.partition < 0)
    report(c, [...rolling, 'partition'], `${path([...rolling, 'partition'])}: Invalid value: ${ru.partition}: must be greater than or equal to 0`, '');
  if (ru.maxUnavailable !== undefined && intOrPercent(c, [...rolling, 'maxUnavailable'], ru.maxUnavailable) && notOver100(c, [...rolling, 'maxUnavailable'], ru.maxUnavailable)) {
    if (intOrPercentValue(ru.maxUnavailable) === 0)
      report(c, [...rolling, 'maxUnavailable'], `${path([...rolling, 'maxUnavailable'])}: Invalid value: ${json(ru.maxUnavailable)}: cannot be 0`, 'The rollout could never replace a single pod.', () => [
        setFix(c, rolling, 'maxUnavailable', 1),
      ]);
  }
}

/** ValidatePositiveIntOrPercent: a non-negative integer or a `N%` string. */
function intOrPercent(c: Ctx, at: ObjectPath, v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'number') {
    if (v >= 0) return true;
    report(c, at, `${path(at)}: Invalid value: ${v}: must be greater than or equal to 0`, '');
    return false;
  }
  if (isPercent(v) && !v.startsWith('-')) return true;
  const msg = regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%');
  report(c, at, `${path(at)}: Invalid value: ${json(v)}: ${msg}`, typeof v === 'string' && /^\d+$/.test(v) ? `Write ${v} without quotes for a number of pods, or "${v}%".` : '');
  return false;
}

/** IsNotMoreThan100Percent. */
function notOver100(c: Ctx, at: ObjectPath, v: unknown): boolean {
  if (!isPercent(v) || (intOrPercentValue(v) ?? 0) <= 100) return true;
  report(c, at, `${path(at)}: Invalid value: ${json(v)}: must not be greater than 100%`, '', () => [
    { title: 'Set to 100%', edits: [{ range: valueRange(c.doc, at)!, newText: '100%' }] },
  ]);
  return false;
}

function report(c: Ctx, at: ObjectPath, apiError: string, why: string, fixes?: () => (Fix | undefined)[]): void {
  c.findings.push({
    ruleId: rollingUpdateParams.id,
    range: (at[at.length - 1] === 'rollingUpdate' ? keyRange(c.doc, at) : valueRange(c.doc, at)) ?? keyRange(c.doc, at)!,
    message: `The API server rejects this ${c.doc.kind}: ${code(apiError)}.${why ? ' ' + why : ''}`,
    fixes: fixes && (() => fixes().filter((f): f is Fix => f !== undefined)),
  });
}

function removeFix(c: Ctx, at: ObjectPath): Fix | undefined {
  const block = pairBlock(c.file.text, c.doc, at);
  return block && { title: `Remove ${at[at.length - 1]}`, edits: [{ range: [block.start, block.end], newText: '' }] };
}

function setFix(c: Ctx, rolling: ObjectPath, field: string, value: number): Fix | undefined {
  const edits = setMapEntries(c.file.text, c.doc, rolling, { [field]: value });
  return edits && { title: `Set ${field} to ${yamlScalar(value)}`, edits };
}

const path = (p: ObjectPath) => p.join('.');
const json = apiValue;
