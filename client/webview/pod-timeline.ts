// One row per pod over the run: Pending, Running, Ready, Terminating (and Succeeded/Failed for a
// Job's pods) as coloured segments, so a rollout reads at a glance: new pods appear Pending, turn
// Ready, and old ones go Terminating and vanish. A row is focusable and says its segments in words;
// the arrow keys move between rows, Enter selects the step under the row's first change.
import { applyStep, VIEW_POD_WINDOW, type PodSnapshot, type SimulationResult } from '../../server/src/protocol/wire';
import { svg } from './dom';

export type PodState = 'Pending' | 'Running' | 'Ready' | 'Terminating' | 'Succeeded' | 'Failed';

export interface PodSegment {
  state: PodState;
  /** Step indexes: the segment holds from step `from` up to (not including) step `to`. */
  from: number;
  to: number;
}

export interface PodRow {
  name: string;
  revision: string;
  segments: PodSegment[];
}

/** Rows drawn before the rest is counted (a 1,000-replica rollout would be unreadable anyway): the pods the view asks for whole. */
export const MAX_TIMELINE_ROWS = VIEW_POD_WINDOW;

export function podState(pod: PodSnapshot): PodState {
  if (pod.terminating) return 'Terminating';
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') return pod.phase;
  if (pod.phase === 'Pending' || !pod.node) return 'Pending';
  return pod.ready ? 'Ready' : 'Running';
}

/** Every pod's states step by step, in order of first appearance (one pass over the steps). */
export function podRows(result: Pick<SimulationResult, 'steps'>): PodRow[] {
  const rows = new Map<string, PodRow>();
  const pods = new Map<string, PodSnapshot>();
  result.steps.forEach((step, index) => {
    applyStep(pods, step);
    for (const pod of pods.values()) {
      const state = podState(pod);
      let row = rows.get(pod.name);
      if (!row) rows.set(pod.name, (row = { name: pod.name, revision: pod.revision, segments: [] }));
      const last = row.segments.at(-1);
      if (last && last.state === state && last.to === index) last.to = index + 1;
      else row.segments.push({ state, from: index, to: index + 1 });
    }
  });
  return [...rows.values()];
}

const WIDTH = 320;
const LABEL = 96;
const ROW = 12;
const TOP = 4;
const AXIS = 14;

/**
 * `times[i]`: the step's virtual second; the x axis is time unless every step shares one.
 * `podCount`: pods in the whole run when its steps list only the first created (a paged run).
 */
export function renderPodTimeline(result: SimulationResult, selected: number, onSelect: (step: number) => void, podCount?: number): SVGElement {
  const all = podRows(result);
  const total = Math.max(podCount ?? 0, all.length);
  const rows = all.slice(0, MAX_TIMELINE_ROWS);
  const steps = result.steps;
  const last = Math.max(0, steps.length - 1);
  const end = steps[last]?.time ?? 0;
  const byTime = end > (steps[0]?.time ?? 0);
  // A segment ends where the next step begins; the last step is drawn one step-width wide.
  const span = byTime ? end - steps[0].time : last;
  const tail = span / Math.max(1, steps.length);
  const plot = WIDTH - LABEL - 4;
  const xAt = (index: number) => {
    const at = index > last ? (byTime ? end - steps[0].time + tail : last + 1) : byTime ? steps[index].time - steps[0].time : index;
    return LABEL + (at / (span + tail || 1)) * plot;
  };
  const height = TOP + rows.length * ROW + AXIS + (total > rows.length ? ROW : 0);
  const children: SVGElement[] = [];
  const rowGroups: SVGElement[] = [];
  rows.forEach((row, i) => {
    const y = TOP + i * ROW;
    const said = row.segments.map((s) => `${s.state} ${describeAt(steps, s.from, byTime)}–${describeAt(steps, s.to, byTime)}`).join(', ');
    const group = svg('g', { class: 'pod-row', tabindex: i === 0 ? 0 : -1, role: 'listitem', 'aria-label': `${row.name} (${row.revision}): ${said}`, 'data-step': row.segments[0]?.from ?? 0 },
      svg('rect', { class: 'row-bg', x: 0, y, width: WIDTH, height: ROW }),
      svg('text', { class: 'tick pod-label', x: LABEL - 4, y: y + ROW / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, shorten(row.name, 18)),
      ...row.segments.map((s) => svg('rect', { class: `pod-seg ${s.state.toLowerCase()}`, x: xAt(s.from), y: y + 2, width: Math.max(1, xAt(s.to) - xAt(s.from)), height: ROW - 4 },
        svg('title', {}, `${row.name}: ${s.state} ${describeAt(steps, s.from, byTime)}–${describeAt(steps, s.to, byTime)}`))),
    );
    rowGroups.push(group);
  });
  const axisY = TOP + rows.length * ROW;
  children.push(svg('g', { role: 'list', 'aria-label': 'Pods' }, ...rowGroups));
  children.push(
    svg('line', { class: 'axis', x1: LABEL, y1: axisY, x2: WIDTH - 4, y2: axisY }),
    svg('text', { class: 'tick', x: LABEL, y: axisY + 11 }, byTime ? `${steps[0]?.time ?? 0}s` : 'step 1'),
    svg('text', { class: 'tick', x: WIDTH - 4, y: axisY + 11, 'text-anchor': 'end' }, byTime ? `${end}s` : `step ${steps.length}`),
  );
  if (total > rows.length) children.push(svg('text', { class: 'tick', x: LABEL, y: axisY + AXIS + ROW - 2 }, `+${total - rows.length} more pods`));
  if (steps.length > 0) {
    const x = xAt(Math.min(selected, last));
    children.push(svg('line', { class: 'cursor', x1: x, y1: TOP, x2: x, y2: axisY }));
  }
  const chart = svg('svg', { class: 'pod-timeline', viewBox: `0 0 ${WIDTH} ${height}`, role: 'group', 'aria-label': `Pods over time: ${total} pods, one row each (arrow keys move between rows, Enter selects the row's first step)` }, ...children);
  chart.addEventListener('keydown', (event) => {
    const at = rowGroups.indexOf(event.target as SVGElement);
    if (at < 0) return;
    const move = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : event.key === 'Home' ? -at : event.key === 'End' ? rowGroups.length - 1 - at : 0;
    if (move !== 0) {
      event.preventDefault();
      focusRow(rowGroups, at + move);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(Number(rowGroups[at].getAttribute('data-step')) || 0);
    }
  });
  chart.addEventListener('click', (event) => {
    const box = chart.getBoundingClientRect();
    if (box.width === 0 || steps.length === 0) return;
    const x = ((event.clientX - box.left) / box.width) * WIDTH;
    let best = 0;
    for (let i = 1; i <= last; i++) if (Math.abs(xAt(i) - x) < Math.abs(xAt(best) - x)) best = i;
    onSelect(best);
  });
  return chart;
}

/** Roving tabindex: one row in the tab order, the arrow keys move it. */
export function focusRow(rows: readonly SVGElement[], index: number): void {
  if (rows.length === 0) return;
  const target = Math.min(Math.max(0, index), rows.length - 1);
  rows.forEach((row, i) => row.setAttribute('tabindex', i === target ? '0' : '-1'));
  (rows[target] as unknown as HTMLElement).focus();
}

function describeAt(steps: SimulationResult['steps'], index: number, byTime: boolean): string {
  if (index >= steps.length) return 'end';
  return byTime ? `${steps[index].time}s` : `step ${index + 1}`;
}

function shorten(name: string, max: number): string {
  return name.length <= max ? name : `…${name.slice(name.length - max + 1)}`;
}
