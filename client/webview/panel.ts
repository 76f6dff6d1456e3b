// The Dry-run panel: header controls (workload, faults, rollout), step controls (slider, play/pause)
// and the step view (chart, steps, pods, nodes, traffic, status). Controls persist across renders so
// keyboard focus survives; only the step view is rebuilt when the step changes.
import type { FromViewMessage, ResultMessage, ToViewMessage, ViewFaults } from './messages';
import { el, section } from './dom';
import { revisionOrder, type RevisionOrder } from './revisions';
import { renderPodsTable } from './pods-table';
import { renderNodePlacement } from './node-placement';
import { renderTimelineChart, rolloutSeries, type SeriesPoint } from './timeline-chart';
import { renderStepsList } from './steps-list';
import { renderTraffic } from './traffic';
import { renderStatus } from './status-table';
import { renderSummary } from './summary';
import { renderCronRuns } from './cron-runs';
import { podsAtStep, type SimulationResult } from '../../server/src/protocol/wire';

export const PLAY_INTERVAL_MS = 700;

export interface Panel {
  receive(message: ToViewMessage): void;
  /** For tests: the selected step index. */
  readonly step: number;
}

export function createPanel(root: HTMLElement, post: (message: FromViewMessage) => void): Panel {
  let current: ResultMessage | undefined;
  let result: SimulationResult | undefined;
  let revisions: RevisionOrder | undefined;
  let series: SeriesPoint[] = [];
  let step = 0;
  let podPage = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let faults: ViewFaults = { neverReady: false, nodeNotReady: '' };

  const status = el('div', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  const workloadSelect = el('select', { id: 'workload', 'aria-label': 'Workload' });
  const neverReady = el('input', { type: 'checkbox', id: 'fault-never-ready' });
  const nodeDown = el('select', { id: 'fault-node', 'aria-label': 'Node that goes NotReady' });
  const rolloutButton = el('button', { type: 'button', id: 'simulate-rollout' }, 'Simulate rollout…');
  const slider = el('input', { type: 'range', id: 'step-slider', min: 0, max: 0, value: 0, 'aria-label': 'Step' });
  const playButton = el('button', { type: 'button', id: 'play', 'aria-pressed': 'false' }, 'Play');
  const stepLabel = el('span', { class: 'step-label', 'aria-live': 'polite' });
  const summary = el('div', { id: 'summary' });
  const stepView = el('div', { id: 'step-view' });
  const messages = el('div', { id: 'messages' });

  const header = el('header', {},
    el('div', { class: 'row' }, el('label', { for: 'workload' }, 'Workload'), workloadSelect),
    el('div', { class: 'row' }, el('label', { class: 'inline' }, neverReady, ' New revision never ready')),
    el('div', { class: 'row' }, el('label', { for: 'fault-node' }, 'Node goes NotReady'), nodeDown),
    el('div', { class: 'row' }, rolloutButton),
    status,
  );
  const controls = el('div', { class: 'step-controls', role: 'group', 'aria-label': 'Timeline steps' }, playButton, slider, stepLabel);
  root.replaceChildren(header, messages, summary, controls, stepView);

  workloadSelect.addEventListener('change', () => {
    const [kind, ...name] = workloadSelect.value.split('/');
    post({ type: 'selectWorkload', kind, name: name.join('/') });
  });
  const sendFaults = () => {
    faults = { neverReady: neverReady.checked, nodeNotReady: nodeDown.value || '' };
    post({ type: 'setFaults', faults });
  };
  neverReady.addEventListener('change', sendFaults);
  nodeDown.addEventListener('change', sendFaults);
  rolloutButton.addEventListener('click', () => post({ type: 'simulateRollout' }));
  slider.addEventListener('input', () => selectStep(Number(slider.value)));
  playButton.addEventListener('click', () => (timer ? stopPlaying() : startPlaying()));

  function startPlaying(): void {
    if (!result || result.steps.length < 2) return;
    if (step >= result.steps.length - 1) selectStep(0);
    playButton.textContent = 'Pause';
    playButton.setAttribute('aria-pressed', 'true');
    timer = setInterval(() => {
      if (!result || step >= result.steps.length - 1) stopPlaying();
      else selectStep(step + 1);
    }, PLAY_INTERVAL_MS);
  }

  function stopPlaying(): void {
    if (timer) clearInterval(timer);
    timer = undefined;
    playButton.textContent = 'Play';
    playButton.setAttribute('aria-pressed', 'false');
  }

  function selectStep(index: number, focusStep = false): void {
    if (!result) return;
    step = Math.min(Math.max(0, Math.trunc(index) || 0), Math.max(0, result.steps.length - 1));
    podPage = 0;
    renderStep();
    if (focusStep) stepView.querySelector<HTMLElement>(`[data-step="${step}"]`)?.focus();
  }

  function renderStep(): void {
    if (!result || !revisions) return;
    slider.value = String(step);
    const at = result.steps[step];
    stepLabel.textContent = at ? `Step ${step + 1} of ${result.steps.length} · ${at.time}s` : 'No steps';
    if (!at) {
      stepView.replaceChildren(el('p', { class: 'muted' }, 'The simulation produced no steps.'));
      return;
    }
    const pods = podsAtStep(result, step);
    const sections: (HTMLElement | null)[] = [
      section('Rollout', renderTimelineChart(series, step, current?.bounds, (i) => selectStep(i)), renderLegend(), renderStepsList(result.steps, step, (i) => selectStep(i, true))),
      renderPodsTable({ pods, revisions, page: podPage, onPage: (page) => { podPage = page; renderStep(); } }),
      renderNodePlacement(result, pods, revisions, step),
      renderTraffic(at.traffic, revisions),
      renderStatus(at.status),
    ];
    stepView.replaceChildren(...sections.filter((s): s is HTMLElement => s !== null));
  }

  function renderLegend(): HTMLElement {
    return el('ul', { class: 'legend chart-legend' },
      el('li', {}, el('span', { class: 'swatch old total' }), 'old pods'),
      el('li', {}, el('span', { class: 'swatch old available' }), 'old available'),
      el('li', {}, el('span', { class: 'swatch new total' }), 'new pods'),
      el('li', {}, el('span', { class: 'swatch new ready' }), 'new ready'),
      el('li', {}, el('span', { class: 'swatch new available' }), 'new available'),
    );
  }

  function renderHeader(message: ResultMessage): void {
    const { response } = message;
    const selected = response.result?.workload;
    workloadSelect.replaceChildren(...response.workloads.map((w) => el('option', {
      value: `${w.kind}/${w.name}`,
      selected: selected?.kind === w.kind && selected?.name === w.name,
    }, `${w.kind}/${w.name}`)));
    workloadSelect.disabled = response.workloads.length === 0;
    const nodes = response.result?.cluster.nodes ?? [];
    nodeDown.replaceChildren(el('option', { value: '' }, 'none'), ...nodes.map((n) => el('option', { value: n, selected: n === message.faults.nodeNotReady }, n)));
    faults = message.faults;
    neverReady.checked = faults.neverReady;
    const cluster = response.result ? ` on ${response.result.cluster.source}` : '';
    status.textContent = `${message.mode === 'rollout' ? 'Rollout' : 'Dry-run'} of ${message.file}${cluster} · ${Math.round(message.requestMs)} ms`;
  }

  function renderMessages(message: ResultMessage): void {
    const items: HTMLElement[] = [];
    if (message.response.error) items.push(el('p', { class: 'error' }, message.response.error));
    for (const problem of message.response.result?.problems ?? []) {
      items.push(el('p', { class: 'warning' }, problem.path ? `${problem.path}: ${problem.message}` : problem.message));
    }
    const notes = message.response.result?.notes ?? [];
    if (notes.length > 0) items.push(el('details', {}, el('summary', {}, 'Simplifications'), el('ul', {}, ...notes.map((n) => el('li', {}, n)))));
    messages.replaceChildren(...items);
  }

  function receive(message: ToViewMessage): void {
    if (message.type === 'busy') {
      root.setAttribute('aria-busy', 'true');
      return;
    }
    root.removeAttribute('aria-busy');
    if (message.type === 'idle') {
      stopPlaying();
      current = result = revisions = undefined;
      series = [];
      status.textContent = message.message;
      messages.replaceChildren();
      summary.replaceChildren();
      stepView.replaceChildren();
      controls.hidden = true;
      return;
    }
    if (current && message.seq < current.seq) return; // a late answer to an older edit
    const started = performance.now();
    stopPlaying();
    current = message;
    result = message.response.result;
    renderHeader(message);
    renderMessages(message);
    if (!result) {
      revisions = undefined;
      summary.replaceChildren();
      stepView.replaceChildren(el('p', { class: 'muted' }, 'Nothing to simulate here.'));
      controls.hidden = true;
    } else {
      revisions = revisionOrder(result, podsAtStep(result, result.steps.length - 1));
      series = rolloutSeries(result, revisions.newest);
      summary.replaceChildren(renderSummary(result.summary), renderCronRuns(result.cronRuns) ?? '');
      controls.hidden = false;
      slider.max = String(Math.max(0, result.steps.length - 1));
      step = Math.max(0, result.steps.length - 1); // the settled outcome first; the slider goes back in time
      podPage = 0;
      renderStep();
    }
    post({ type: 'rendered', seq: message.seq, renderMs: performance.now() - started, renderedAt: Date.now() });
  }

  return {
    receive,
    get step() {
      return step;
    },
  };
}
