// Which rollout to preview: the manifest's own strategy, Recreate, or one of the release patterns
// from the seed notes, with the parameters each one needs.
import * as vscode from 'vscode';
import type { StrategyChoice, StrategyParams } from '../../server/src/protocol/wire';
import { parseWeights } from './canary-weights';

export interface StrategySelection {
  strategy: StrategyChoice;
  strategyParams?: StrategyParams;
}

const STRATEGIES: (vscode.QuickPickItem & { strategy: StrategyChoice })[] = [
  { label: "The manifest's own strategy", description: 'RollingUpdate with its maxSurge/maxUnavailable, or Recreate', strategy: 'manifest' },
  { label: 'Recreate', description: 'stop every old pod, then start the new ones', strategy: 'recreate' },
  { label: 'Canary', description: 'shift traffic to the new revision by a weight plan', strategy: 'canary' },
  { label: 'Blue/Green', description: 'start the new revision beside the old, then switch the Service', strategy: 'bluegreen' },
  { label: 'A/B testing', description: 'route requests that match a rule to the new revision', strategy: 'ab' },
  { label: 'Shadow', description: 'mirror a share of requests to the new revision, discard its answers', strategy: 'shadow' },
];

export const CANARY_PLANS = ['10,25,50,100', '20,50,100', '5,10,20,40,60,80,100'];

export async function pickStrategy(): Promise<StrategySelection | undefined> {
  const picked = await vscode.window.showQuickPick(STRATEGIES, { title: 'kdry: rollout strategy to preview' });
  if (!picked) return undefined;
  switch (picked.strategy) {
    case 'canary': {
      const plan = await vscode.window.showQuickPick([...CANARY_PLANS.map((p) => ({ label: p, description: 'percent of traffic per step' })), { label: 'Custom…', description: '' }], { title: 'Canary weight plan' });
      if (!plan) return undefined;
      const text = plan.label === 'Custom…'
        ? await vscode.window.showInputBox({ title: 'Canary weights, in percent, ascending, ending at 100', value: '10,50,100', validateInput: (v) => (parseWeights(v) ? undefined : 'Ascending percentages 1-100, comma separated, ending at 100') })
        : plan.label;
      const weights = text === undefined ? undefined : parseWeights(text);
      return weights ? { strategy: 'canary', strategyParams: { canaryWeights: weights } } : undefined;
    }
    case 'ab': {
      const rule = await vscode.window.showInputBox({ title: 'A/B rule: which requests go to the new revision', value: 'header X-Group=beta', validateInput: (v) => (v.trim() ? undefined : 'A rule') });
      if (rule === undefined) return undefined;
      const share = await pickPercent('Share of requests that match the rule', [10, 25, 50]);
      return share === undefined ? undefined : { strategy: 'ab', strategyParams: { abRule: rule.trim(), abShare: share } };
    }
    case 'shadow': {
      const percent = await pickPercent('Percent of requests mirrored to the new revision', [10, 50, 100]);
      return percent === undefined ? undefined : { strategy: 'shadow', strategyParams: { shadowPercent: percent } };
    }
    default:
      return { strategy: picked.strategy };
  }
}

async function pickPercent(title: string, choices: number[]): Promise<number | undefined> {
  const picked = await vscode.window.showQuickPick(choices.map((c) => ({ label: `${c}%`, value: c })), { title });
  return picked?.value;
}
