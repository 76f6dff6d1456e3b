// A CronJob's next activations and the Job each one creates, from the start of the simulation.
import type { CronRun } from '../../server/src/protocol/wire';
import { el, section } from './dom';

export function renderCronRuns(runs: CronRun[] | undefined): HTMLElement | null {
  if (!runs || runs.length === 0) return null;
  const head = el('tr', {}, el('th', { scope: 'col' }, 'Due (UTC)'), el('th', { scope: 'col' }, 'At'), el('th', { scope: 'col' }, 'Job'));
  const rows = runs.map((r) => el('tr', {}, el('td', {}, r.time.replace('.000Z', 'Z')), el('td', { class: 'num' }, `${r.seconds}s`), el('td', {}, r.job)));
  return el('div', { class: 'cron-runs' }, section('Upcoming runs', el('div', { class: 'table-scroll' }, el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)))));
}
