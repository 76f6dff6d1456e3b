// The run in one line: duration, peak pods, minimum available, downtime, and the conditions.
import type { SimulationSummary } from '../../server/src/protocol/wire';
import { el } from './dom';

export function renderSummary(summary: SimulationSummary): HTMLElement {
  const facts: [string, string][] = [
    ['Duration', `${summary.durationSeconds}s`],
    ['Peak pods', String(summary.peakPods)],
    ['Min available', String(summary.minAvailable)],
    ['Downtime', `${summary.downtimeSeconds}s`],
    ['Outcome', summary.completed ? 'completed' : 'not completed'],
  ];
  return el('div', { class: 'summary' },
    el('dl', {}, ...facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', { class: term === 'Downtime' && summary.downtimeSeconds > 0 ? 'bad' : '' }, value)])),
    summary.conditions.length > 0 ? el('ul', { class: 'conditions' }, ...summary.conditions.map((c) => el('li', {}, c))) : null,
  );
}
