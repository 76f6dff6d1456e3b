// Pods at the selected step, as a table. Large workloads get a per-revision/phase summary and a
// paged table, so 10,000 pods never means 10,000 rows in the DOM.
import type { PodSnapshot } from '../../server/src/protocol/wire';
import type { RevisionPodCounts } from '../../server/src/protocol/requests';
import { el, section } from './dom';
import type { RevisionOrder } from './revisions';

export const POD_PAGE_SIZE = 100;

export interface PodsTableOptions {
  pods: readonly PodSnapshot[];
  revisions: RevisionOrder;
  page: number;
  onPage(page: number): void;
  /**
   * A paged run: `pods` are only the first created, so the count and the summary come from the
   * server's counts and the rows from the page asked for (undefined while it is on its way).
   */
  paged?: { total: number; byRevision: Record<string, RevisionPodCounts>; rows: readonly PodSnapshot[] | undefined; error?: string };
}

export function renderPodsTable({ pods: listed, revisions, page, onPage, paged }: PodsTableOptions): HTMLElement {
  const total = paged ? paged.total : listed.length;
  const pages = Math.max(1, Math.ceil(total / POD_PAGE_SIZE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const shown = paged ? (paged.rows ?? []) : listed.slice(current * POD_PAGE_SIZE, (current + 1) * POD_PAGE_SIZE);
  const pods = paged ? shown : listed;
  const hasOrdinal = pods.some((p) => p.ordinal !== undefined);
  const hasClaims = pods.some((p) => p.claims && p.claims.length > 0);
  const hasIndex = pods.some((p) => p.completionIndex !== undefined);

  const header = el('tr', {},
    el('th', { scope: 'col' }, 'Name'),
    hasOrdinal && el('th', { scope: 'col' }, 'Ordinal'),
    hasIndex && el('th', { scope: 'col' }, 'Index'),
    el('th', { scope: 'col' }, 'Node'),
    el('th', { scope: 'col' }, 'Phase'),
    el('th', { scope: 'col' }, 'Ready'),
    el('th', { scope: 'col' }, 'Revision'),
    el('th', { scope: 'col' }, 'Owner'),
    hasClaims && el('th', { scope: 'col' }, 'PVCs'),
  );
  const rows = shown.map((pod) => el('tr', { class: pod.terminating ? 'terminating' : '' },
    el('td', { class: 'mono', title: pod.reason ?? '' }, pod.name),
    hasOrdinal && el('td', { class: 'num' }, pod.ordinal ?? ''),
    hasIndex && el('td', { class: 'num' }, pod.completionIndex ?? ''),
    el('td', {}, pod.node ?? '<none>'),
    el('td', {}, pod.terminating ? 'Terminating' : pod.phase),
    el('td', {}, pod.ready ? (pod.available ? 'yes' : 'ready, not yet available') : 'no'),
    el('td', {}, el('span', { class: `chip ${revisions.colourClass(pod.revision)}` }, pod.revision)),
    el('td', {}, pod.owner ?? ''),
    hasClaims && el('td', { class: 'mono' }, (pod.claims ?? []).join(', ')),
  ));

  const pager = pages > 1 ? el('div', { class: 'pager' },
    pagerButton('Previous pods', '‹', current > 0, () => onPage(current - 1)),
    el('span', { 'aria-live': 'polite' }, `${current * POD_PAGE_SIZE + 1}–${current * POD_PAGE_SIZE + (paged && !paged.rows ? Math.min(POD_PAGE_SIZE, total - current * POD_PAGE_SIZE) : shown.length)} of ${total}`),
    pagerButton('Next pods', '›', current < pages - 1, () => onPage(current + 1)),
  ) : null;

  return section(`Pods (${total})`,
    paged ? renderCountsSummary(paged.byRevision, revisions) : total > POD_PAGE_SIZE ? renderPodSummary(pods, revisions) : null,
    paged?.error ? el('p', { class: 'error' }, paged.error) :
    paged && !paged.rows ? el('p', { class: 'muted', 'aria-busy': 'true' }, 'Loading pods…') :
    total === 0 ? el('p', { class: 'muted' }, 'No pods at this step.') :
      el('div', { class: 'table-scroll' }, el('table', { class: 'pods' }, el('thead', {}, header), el('tbody', {}, ...rows))),
    pager,
  );
}

function pagerButton(label: string, text: string, enabled: boolean, onClick: () => void): HTMLButtonElement {
  const button = el('button', { type: 'button', 'aria-label': label, disabled: !enabled }, text);
  button.addEventListener('click', onClick);
  return button;
}

const SUMMARY_COLUMNS = ['total', 'running', 'ready', 'available', 'pending', 'terminating'] as const;
type SummaryRow = Record<(typeof SUMMARY_COLUMNS)[number], number>;

/** Counts per revision: total, running, ready, available, pending, terminating. */
export function renderPodSummary(pods: readonly PodSnapshot[], revisions: RevisionOrder): HTMLElement {
  const byRevision = new Map<string, SummaryRow>();
  for (const pod of pods) {
    let row = byRevision.get(pod.revision);
    if (!row) byRevision.set(pod.revision, row = { total: 0, running: 0, ready: 0, available: 0, pending: 0, terminating: 0 });
    row.total++;
    if (pod.terminating) row.terminating++;
    else if (pod.phase === 'Pending') row.pending++;
    else if (pod.phase === 'Running') row.running++;
    if (pod.ready) row.ready++;
    if (pod.available) row.available++;
  }
  return renderCountsSummary(Object.fromEntries(byRevision), revisions);
}

/** The summary table from counts per revision (a paged run's come from the server). */
function renderCountsSummary(byRevision: Record<string, SummaryRow>, revisions: RevisionOrder): HTMLElement {
  return el('table', { class: 'pod-summary' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Revision'), ...SUMMARY_COLUMNS.map((c) => el('th', { scope: 'col' }, c)))),
    el('tbody', {}, ...Object.entries(byRevision).map(([revision, row]) => el('tr', {},
      el('td', {}, el('span', { class: `chip ${revisions.colourClass(revision)}` }, revision)),
      ...SUMMARY_COLUMNS.map((c) => el('td', { class: 'num' }, row[c])),
    ))),
  );
}
