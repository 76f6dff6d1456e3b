// Share of requests per revision for each Service at the selected step, as a stacked bar.
import type { TrafficShare } from '../../server/src/protocol/wire';
import { el, section } from './dom';
import type { RevisionOrder } from './revisions';

export function renderTraffic(traffic: readonly TrafficShare[], revisions: RevisionOrder): HTMLElement | null {
  if (traffic.length === 0) return null;
  return section('Traffic', ...traffic.map((share) => {
    const entries = Object.entries(share.byRevision).filter(([, v]) => Number.isFinite(v) && v > 0);
    const segments = entries.map(([revision, value]) => {
      const segment = el('div', { class: `segment ${revisions.colourClass(revision)}`, title: `${revision}: ${percent(value)}` });
      segment.style.width = `${Math.min(100, value * 100)}%`;
      return segment;
    });
    return el('div', { class: 'traffic' },
      el('div', {}, el('span', { class: 'mono' }, share.service), el('span', { class: 'muted' }, ` · ${share.endpoints} ready endpoint${share.endpoints === 1 ? '' : 's'}`)),
      el('div', { class: 'stacked', role: 'img', 'aria-label': entries.map(([r, v]) => `${r} ${percent(v)}`).join(', ') || 'no endpoints' }, ...segments),
      el('ul', { class: 'legend' }, ...entries.map(([revision, value]) => el('li', {}, el('span', { class: `chip ${revisions.colourClass(revision)}` }, revision), ` ${percent(value)}`))),
      share.note ? el('p', { class: 'muted small' }, share.note) : null,
    );
  }));
}

function percent(value: number): string {
  return `${Math.round(value * 1000) / 10}%`;
}
