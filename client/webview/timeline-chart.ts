// The rollout over time as an SVG chart: old and new revision pods (total, ready, available), the
// RollingUpdate bounds (desired + maxSurge, desired - maxUnavailable) and a marker at the selected step.
import { applyStep, type PodSnapshot, type SimulationResult } from '../../server/src/protocol/wire';
import type { RolloutBounds } from './messages';
import type { StepPodCounts } from '../../server/src/protocol/requests';
import { svg } from './dom';

export interface SeriesPoint {
  time: number;
  oldTotal: number;
  oldReady: number;
  oldAvailable: number;
  newTotal: number;
  newReady: number;
  newAvailable: number;
}

/**
 * Per step counts of live (non-terminating) pods, split into the newest revision and the others.
 * One pass: delta steps (large runs list only changed pods) update a running pod map.
 */
export function rolloutSeries(result: SimulationResult, newest: string | undefined): SeriesPoint[] {
  const pods = new Map<string, PodSnapshot>();
  return result.steps.map((step) => {
    applyStep(pods, step);
    return countStep(step.time, pods.values(), newest);
  });
}

/** The same series from a paged run's counts (SimulateResponse.paging: its steps list only the first pods). */
export function countedSeries(result: SimulationResult, counts: readonly StepPodCounts[], newest: string | undefined): SeriesPoint[] {
  return result.steps.map((step, i) => {
    const point: SeriesPoint = { time: step.time, oldTotal: 0, oldReady: 0, oldAvailable: 0, newTotal: 0, newReady: 0, newAvailable: 0 };
    for (const [revision, c] of Object.entries(counts[i]?.byRevision ?? {})) {
      if (revision === newest) {
        point.newTotal += c.live;
        point.newReady += c.liveReady;
        point.newAvailable += c.liveAvailable;
      } else {
        point.oldTotal += c.live;
        point.oldReady += c.liveReady;
        point.oldAvailable += c.liveAvailable;
      }
    }
    return point;
  });
}

function countStep(time: number, pods: Iterable<PodSnapshot>, newest: string | undefined): SeriesPoint {
  const point: SeriesPoint = { time, oldTotal: 0, oldReady: 0, oldAvailable: 0, newTotal: 0, newReady: 0, newAvailable: 0 };
  for (const pod of pods) {
    if (pod.terminating) continue;
    const isNew = pod.revision === newest;
    if (isNew) point.newTotal++; else point.oldTotal++;
    if (pod.ready) { if (isNew) point.newReady++; else point.oldReady++; }
    if (pod.available) { if (isNew) point.newAvailable++; else point.oldAvailable++; }
  }
  return point;
}

const WIDTH = 320;
const HEIGHT = 150;
const PAD = { left: 30, right: 8, top: 10, bottom: 20 };

export function renderTimelineChart(series: SeriesPoint[], selected: number, bounds: RolloutBounds | undefined, onSelect: (index: number) => void): SVGElement {
  const maxTime = Math.max(1, ...series.map((p) => p.time));
  const useIndex = series.every((p) => p.time === series[0]?.time);
  const xOf = (i: number) => PAD.left + ((useIndex ? i / Math.max(1, series.length - 1) : series[i].time / maxTime) * (WIDTH - PAD.left - PAD.right));
  const upper = bounds ? bounds.desired + bounds.maxSurge : 0;
  const maxCount = Math.max(1, upper, ...series.map((p) => Math.max(p.oldTotal, p.newTotal, p.oldTotal + p.newTotal)));
  const yOf = (n: number) => HEIGHT - PAD.bottom - (n / maxCount) * (HEIGHT - PAD.top - PAD.bottom);

  const line = (pick: (p: SeriesPoint) => number, cls: string, label: string) => {
    // step-shaped: a value holds until the next step changes it
    const points: string[] = [];
    series.forEach((p, i) => {
      if (i > 0) points.push(`${xOf(i).toFixed(1)},${yOf(pick(series[i - 1])).toFixed(1)}`);
      points.push(`${xOf(i).toFixed(1)},${yOf(pick(p)).toFixed(1)}`);
    });
    return svg('polyline', { class: `series ${cls}`, points: points.join(' '), 'aria-label': label });
  };

  const children: SVGElement[] = [
    svg('line', { class: 'axis', x1: PAD.left, y1: yOf(0), x2: WIDTH - PAD.right, y2: yOf(0) }),
    svg('text', { class: 'tick', x: PAD.left - 4, y: yOf(0), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, '0'),
    svg('text', { class: 'tick', x: PAD.left - 4, y: yOf(maxCount), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, String(maxCount)),
    svg('text', { class: 'tick', x: WIDTH - PAD.right, y: HEIGHT - 4, 'text-anchor': 'end' }, useIndex ? `step ${series.length - 1}` : `${maxTime}s`),
  ];
  if (bounds) {
    const lower = Math.max(0, bounds.desired - bounds.maxUnavailable);
    children.push(
      svg('line', { class: 'bound', x1: PAD.left, y1: yOf(upper), x2: WIDTH - PAD.right, y2: yOf(upper), 'stroke-dasharray': '4 3' }),
      svg('text', { class: 'tick bound-label', x: PAD.left + 2, y: yOf(upper) - 2 }, `max ${upper} (surge ${bounds.maxSurge})`),
      svg('line', { class: 'bound', x1: PAD.left, y1: yOf(lower), x2: WIDTH - PAD.right, y2: yOf(lower), 'stroke-dasharray': '4 3' }),
      svg('text', { class: 'tick bound-label', x: PAD.left + 2, y: yOf(lower) + 9 }, `min available ${lower} (unavailable ${bounds.maxUnavailable})`),
    );
  }
  if (series.length > 0) {
    children.push(
      line((p) => p.oldTotal, 'old total', 'old revision pods'),
      line((p) => p.oldAvailable, 'old available', 'old revision available'),
      line((p) => p.newTotal, 'new total', 'new revision pods'),
      line((p) => p.newReady, 'new ready', 'new revision ready'),
      line((p) => p.newAvailable, 'new available', 'new revision available'),
    );
    const x = xOf(Math.min(selected, series.length - 1));
    children.push(svg('line', { class: 'cursor', x1: x, y1: PAD.top, x2: x, y2: yOf(0) }));
  }
  const chart = svg('svg', { class: 'timeline-chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': 'Pods over time, old and new revision' }, ...children);
  chart.addEventListener('click', (event) => {
    const box = chart.getBoundingClientRect();
    if (box.width === 0 || series.length === 0) return;
    const x = ((event.clientX - box.left) / box.width) * WIDTH;
    let best = 0;
    for (let i = 1; i < series.length; i++) if (Math.abs(xOf(i) - x) < Math.abs(xOf(best) - x)) best = i;
    onSelect(best);
  });
  return chart;
}
