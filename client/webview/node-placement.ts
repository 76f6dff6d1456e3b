// Where the scheduler put the pods: one column per node (capacity bars at the selected step when the
// result carries node resources), pods as chips coloured by revision, and a Pending lane with the
// scheduler's reason.
import { nodesAtStep, type NodeDetail, type NodeUsage, type PodSnapshot, type SimulationResult } from '../../server/src/protocol/wire';
import { el, section } from './dom';
import { formatBytes, formatMillicores } from '../../server/src/protocol/quantity-text';
import type { RevisionOrder } from './revisions';

/** Chips drawn per node before the rest is summarised as "+N more". */
export const CHIPS_PER_NODE = 48;

export function nodeDetails(result: SimulationResult): Map<string, NodeDetail> {
  return new Map((result.cluster.nodeDetails ?? []).map((detail) => [detail.name, detail]));
}

/** The node lifecycle controller's events, `Node <name> status is now: NodeNotReady|NodeReady`. */
const NODE_STATUS_EVENT = /^Node (\S+) status is now: (NodeNotReady|NodeReady)$/;
/** The DaemonSet controller's word for a node it leaves out, and why. */
const DAEMON_SKIP_EVENT = /^No daemon pod on node (\S+): (.+)$/;

export interface NodeStates {
  notReady: Set<string>;
  /** DaemonSet: nodes that get no daemon pod, with the reason. */
  skipped: Map<string, string>;
}

/** Node states at step `index`, from the events up to it. */
export function nodeStatesAt(result: SimulationResult, index: number): NodeStates {
  const states: NodeStates = { notReady: new Set(), skipped: new Map() };
  for (const step of result.steps.slice(0, index + 1)) {
    for (const event of step.events) {
      const status = NODE_STATUS_EVENT.exec(event.message);
      if (status?.[2] === 'NodeNotReady') states.notReady.add(status[1]);
      else if (status) states.notReady.delete(status[1]);
      const skip = DAEMON_SKIP_EVENT.exec(event.message);
      if (skip) states.skipped.set(skip[1], skip[2]);
    }
  }
  return states;
}

/** Past this many nodes only the node columns in view are built: 20,000 nodes drawn whole are about 260,000 elements a step. */
export const VIRTUAL_NODES_FROM = 120;
/** A virtualised column's cell, gap included, in px: media/dryrun.css `.nodes.virtual` draws it so. */
export const NODE_CELL = { width: 116, height: 132 };
/** What is drawn before the view has a size (not yet attached, or a DOM without layout): 6 columns, 480 px. */
const DEFAULT_VIEWPORT = { width: 6 * NODE_CELL.width, height: 480 };
/** Rows built above and below the ones in view, so a short scroll shows columns already built. */
const OVERSCAN_ROWS = 2;

/** Where the node columns are scrolled to: kept by the panel, as the step view is rebuilt on every step. */
export interface NodeScroll {
  top: number;
}

/**
 * A paged run's pods per node and Pending lanes (the steps list only the first pods created):
 * counts from the server, the chips of a node opened from the page asked for (`onOpen`).
 */
export interface PagedNodes {
  counts: ReadonlyMap<string, number>;
  pending: readonly { reason: string; count: number; names: string[] }[];
  opened: ReadonlyMap<string, readonly PodSnapshot[]>;
  onOpen(node: string): void;
}

export function renderNodePlacement(result: SimulationResult, pods: readonly PodSnapshot[], revisions: RevisionOrder, step: number, scroll: NodeScroll = { top: 0 }, paged?: PagedNodes): HTMLElement {
  const details = nodeDetails(result);
  const states = nodeStatesAt(result, step);
  const usage = new Map(nodesAtStep(result, step).map((u) => [u.name, u]));
  const nodeNames = [...new Set([...result.cluster.nodes, ...details.keys(), ...pods.flatMap((p) => (p.node ? [p.node] : []))])];
  const byNode = new Map<string, PodSnapshot[]>(nodeNames.map((n) => [n, []]));
  const pending: PodSnapshot[] = [];
  for (const pod of pods) {
    if (pod.node) byNode.get(pod.node)!.push(pod);
    else if (!pod.terminating) pending.push(pod);
  }
  const column = (name: string) => {
    const listed = paged?.opened.get(name) ?? byNode.get(name)!;
    const count = paged ? (paged.counts.get(name) ?? 0) : listed.length;
    const open = paged && count > Math.min(listed.length, CHIPS_PER_NODE) && !paged.opened.has(name) ? () => paged.onOpen(name) : undefined;
    return renderNodeColumn(name, listed, count, details.get(name), usage.get(name), states.notReady.has(name), states.skipped.get(name), revisions, open);
  };
  const lanes = paged ? paged.pending : pendingLanes(pending);
  return section('Nodes',
    el('p', { class: 'muted' }, `Cluster: ${result.cluster.source}`),
    nodeNames.length < VIRTUAL_NODES_FROM ? el('div', { class: 'nodes' }, ...nodeNames.map(column)) : virtualColumns(nodeNames, column, scroll),
    lanes.length > 0 ? renderPendingLane(lanes) : null,
  );
}

/**
 * The node columns in a scrolled box that builds only the rows in view (and OVERSCAN_ROWS around
 * them); padding above and below stands for the rest, so the scroll bar is the whole cluster's.
 * Worked example: 20,000 nodes, a 700 x 480 px box, scrolled to 13,200 px: 6 columns a row,
 * rows 100 to 103 in view, rows 98 to 105 built: 48 columns, not 20,000.
 */
export function virtualColumns(names: readonly string[], column: (name: string) => HTMLElement, scroll: NodeScroll): HTMLElement {
  const grid = el('div', { class: 'nodes virtual' });
  const viewport = el('div', { class: 'nodes-viewport', tabindex: 0, role: 'group', 'aria-label': `${names.length} nodes, drawn as they scroll into view` }, grid);
  let drawn = '';
  const draw = () => {
    const top = viewport.scrollTop || scroll.top;
    const perRow = Math.max(1, Math.floor((viewport.clientWidth || DEFAULT_VIEWPORT.width) / NODE_CELL.width));
    const height = viewport.clientHeight || DEFAULT_VIEWPORT.height;
    const rows = Math.ceil(names.length / perRow);
    const first = Math.min(rows, Math.max(0, Math.floor(top / NODE_CELL.height) - OVERSCAN_ROWS));
    const last = Math.min(rows, Math.ceil((top + height) / NODE_CELL.height) + OVERSCAN_ROWS);
    const key = `${perRow}:${first}:${last}`;
    if (key === drawn) return;
    drawn = key;
    // CSSOM, allowed by the CSP (no inline style attributes).
    grid.style.paddingTop = `${first * NODE_CELL.height}px`;
    grid.style.paddingBottom = `${(rows - last) * NODE_CELL.height}px`;
    grid.replaceChildren(...names.slice(first * perRow, last * perRow).map(column));
  };
  viewport.addEventListener('scroll', () => {
    scroll.top = viewport.scrollTop;
    draw();
  });
  // Once attached the box has its real width; a resize changes the columns a row.
  if (typeof ResizeObserver === 'function') new ResizeObserver(draw).observe(viewport);
  draw();
  return viewport;
}

/**
 * `usage` is the node at the selected step; a result without per-step usage falls back to the
 * end-of-run requests and to the node lifecycle events (`notReadyByEvents`).
 */
/** `pods`: those drawn as chips (a paged run: the first created, or the node's page once opened); `count`: all bound here. */
function renderNodeColumn(name: string, pods: readonly PodSnapshot[], count: number, detail: NodeDetail | undefined, usage: NodeUsage | undefined, notReadyByEvents: boolean, skipped: string | undefined, revisions: RevisionOrder, open?: () => void): HTMLElement {
  const notReady = usage ? !usage.ready : notReadyByEvents;
  const unschedulable = usage?.unschedulable ?? detail?.unschedulable;
  const requested = usage?.requested ?? detail?.requested ?? {};
  const state = notReady ? 'NotReady' : unschedulable ? 'SchedulingDisabled' : '';
  const taints = (detail?.taints ?? []).map((t) => `${t.key}:${t.effect}`).join(', ');
  const chips = pods.slice(0, CHIPS_PER_NODE).map((pod) => el('span', {
    class: `chip pod ${revisions.colourClass(pod.revision)}${pod.terminating ? ' terminating' : ''}${pod.ready ? '' : ' not-ready'}`,
    title: `${pod.name} (${pod.revision}, ${pod.terminating ? 'Terminating' : pod.phase}${pod.ready ? ', ready' : ''})`,
  }, pod.ordinal !== undefined ? String(pod.ordinal) : ''));
  return el('div', { class: `node${state ? ' node-down' : ''}`, role: 'group', 'aria-label': `node ${name}` },
    el('div', { class: 'node-name mono', title: taints ? `taints: ${taints}` : name }, name, state ? el('span', { class: 'badge' }, state) : null),
    detail ? renderBar('cpu', detail.allocatable.cpu, requested.cpu, formatMillicores) : null,
    detail ? renderBar('memory', detail.allocatable.memory, requested.memory, formatBytes) : null,
    taints ? el('div', { class: 'muted small' }, taints) : null,
    skipped && count === 0 ? el('div', { class: 'skipped small' }, `No daemon pod: ${skipped}`) : null,
    el('div', { class: 'chips' }, ...chips, count > chips.length ? moreChips(name, count - chips.length, open) : null),
    el('div', { class: 'muted small' }, `${count} pod${count === 1 ? '' : 's'}`),
  );
}

/** "+N more"; in a paged run a button that asks the server for the node's pods. */
function moreChips(node: string, more: number, open: (() => void) | undefined): HTMLElement {
  if (!open) return el('span', { class: 'more' }, `+${more} more`);
  const button = el('button', { type: 'button', class: 'more', 'aria-label': `Show the pods on node ${node}` }, `+${more} more`);
  button.addEventListener('click', open);
  return button;
}

function renderBar(label: string, allocatable: number | undefined, requested: number | undefined, format: (n: number) => string): HTMLElement | null {
  if (!allocatable) return null;
  const used = requested ?? 0;
  const percent = Math.round((used / allocatable) * 100);
  const fill = el('div', { class: `bar-fill${percent > 100 ? ' over' : ''}` });
  fill.style.width = `${Math.min(100, percent)}%`; // CSSOM, allowed by the CSP (no inline style attributes)
  const bar = el('div', { class: 'bar', role: 'meter', 'aria-label': `${label} requested`, 'aria-valuemin': 0, 'aria-valuemax': allocatable, 'aria-valuenow': used }, fill);
  return el('div', { class: 'resource', title: `${label}: requested by the pods bound here at this step / allocatable` }, el('span', { class: 'small' }, `${label} ${format(used)} / ${format(allocatable)}`), bar);
}

/** Names listed per Pending reason (a paged run's lanes list as many: server/src/lsp/pod-paging.ts). */
const PENDING_NAMES = 5;

function pendingLanes(pending: readonly PodSnapshot[]): PagedNodes['pending'] {
  const lanes = new Map<string, { count: number; names: string[] }>();
  for (const pod of pending) {
    const reason = pod.reason ?? 'waiting for the scheduler';
    const lane = lanes.get(reason) ?? { count: 0, names: [] };
    lane.count++;
    if (lane.names.length < PENDING_NAMES) lane.names.push(pod.name);
    lanes.set(reason, lane);
  }
  return [...lanes].map(([reason, lane]) => ({ reason, ...lane }));
}

function renderPendingLane(lanes: PagedNodes['pending']): HTMLElement {
  return el('div', { class: 'pending-lane', role: 'group', 'aria-label': 'Pending pods' },
    el('div', { class: 'node-name' }, `Pending (${lanes.reduce((n, l) => n + l.count, 0)})`),
    ...lanes.map(({ reason, count, names }) => el('div', { class: 'pending-reason' },
      el('div', { class: 'reason' }, reason),
      el('div', { class: 'mono small' }, count > names.length ? `${names.join(', ')} and ${count - names.length} more` : names.join(', ')),
    )),
  );
}

