// The Dry-run panel: header controls (workload, faults, edits while it runs, rollout), step controls
// (slider, play/pause), the step view (chart, per-pod timeline, steps, pods, nodes, traffic, status)
// and the Capacity part (the file's scope placed together, asked for while it is open). Controls
// persist across renders so keyboard focus survives; only the step view is rebuilt when the step changes.
import { ANALYSIS_ENDS, MAX_ANALYSIS_STEP, NO_FAULTS, type FromViewMessage, type PodsRequest, type ResultMessage, type ToViewMessage, type ViewFaults, type ViewThen } from './messages';
import type { CapacityExtent, PodPaging, SimulatePodsResponse } from '../../server/src/protocol/requests';
import { el, section } from './dom';
import { pagedRevisionOrder, revisionOrder, type RevisionOrder } from './revisions';
import { POD_PAGE_SIZE, renderPodsTable } from './pods-table';
import { CHIPS_PER_NODE, renderNodePlacement, type NodeScroll, type PagedNodes } from './node-placement';
import { countedSeries, renderTimelineChart, rolloutSeries, type SeriesPoint } from './timeline-chart';
import { renderStepsList } from './steps-list';
import { renderTraffic } from './traffic';
import { renderStatus } from './status-table';
import { renderSummary } from './summary';
import { renderCronRuns } from './cron-runs';
import { renderPodTimeline } from './pod-timeline';
import { renderCapacity } from './capacity-view';
import { podsAtStep, type SimulationResult } from '../../server/src/protocol/wire';

export const PLAY_INTERVAL_MS = 700;

export interface Panel {
  receive(message: ToViewMessage): void;
  /** For tests: the selected step index. */
  readonly step: number;
}

/**
 * `afterPaint`: calls back once the browser painted what was just drawn (main.ts: the next animation
 * frame, then a task after it); the panel then says `painted`. Left out (a DOM without frames), it never does.
 */
export function createPanel(root: HTMLElement, post: (message: FromViewMessage) => void, afterPaint?: (painted: () => void) => void): Panel {
  let current: ResultMessage | undefined;
  let result: SimulationResult | undefined;
  let revisions: RevisionOrder | undefined;
  let series: SeriesPoint[] = [];
  let step = 0;
  let podPage = 0;
  /** The step view's pods table and node columns, built again alone when a page of pods comes (redraw). */
  let podsSection: HTMLElement | undefined;
  let nodesSection: HTMLElement | undefined;
  /** The node columns' scroll position, kept while steps and edits rebuild the step view. */
  const nodeScroll: NodeScroll = { top: 0 };
  /** The run's counts (every run the view asks for is paged), and the pages asked for (undefined: on the way). */
  let paging: PodPaging | undefined;
  const pages = new Map<string, SimulatePodsResponse | undefined>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let faults: ViewFaults = NO_FAULTS;

  const status = el('div', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  const workloadSelect = el('select', { id: 'workload', 'aria-label': 'Workload' });
  const neverReady = el('input', { type: 'checkbox', id: 'fault-never-ready' });
  const nodeDown = el('select', { id: 'fault-node', 'aria-label': 'Node that goes NotReady' });
  const drainNode = el('select', { id: 'fault-drain', 'aria-label': 'Node drained once the workload settled' });
  const exitCode = el('input', { type: 'number', id: 'fault-exit', min: 0, max: 255, step: 1, value: 0, 'aria-label': 'Containers exit with this code (0: none)' });
  const exitShare = el('select', { id: 'fault-exit-share', 'aria-label': 'Share of the pods whose containers exit' }, ...[100, 50, 25, 10].map((p) => el('option', { value: p }, `${p}% of pods`)));
  const analysis = el('select', { id: 'fault-analysis', 'aria-label': 'How the Rollout\'s AnalysisRuns end' },
    el('option', { value: '' }, 'succeed'), el('option', { value: 'Failed' }, 'fail'), el('option', { value: 'Inconclusive' }, 'are inconclusive'),
    // what a person does at the Inconclusive pause: kubectl argo rollouts promote / abort, a minute later
    el('option', { value: 'InconclusivePromote' }, 'are inconclusive, then promoted'), el('option', { value: 'InconclusiveAbort' }, 'are inconclusive, then aborted'));
  const analysisStep = el('input', { type: 'number', id: 'fault-analysis-step', min: 0, max: MAX_ANALYSIS_STEP, step: 1, value: 0, 'aria-label': 'Only the runs of this canary step (0: every run)' });
  /** Argo Rollouts only: the row shows for a Rollout. */
  const analysisRow = el('div', { class: 'row', id: 'fault-analysis-row' }, el('label', { for: 'fault-analysis' }, 'Analysis runs'), analysis,
    el('label', { for: 'fault-analysis-step', class: 'inline' }, 'at step'), analysisStep, el('span', { class: 'muted small' }, '0: every run'));
  const thenKind = el('select', { id: 'then-kind', 'aria-label': 'Edit while it runs' }, el('option', { value: '' }, 'none'), el('option', { value: 'replicas' }, 'scale to replicas'), el('option', { value: 'image' }, 'set image'));
  const thenAt = el('input', { type: 'number', id: 'then-at', min: 0, step: 1, value: 30, 'aria-label': 'At second' });
  const thenValue = el('input', { type: 'text', id: 'then-value', 'aria-label': 'Replicas or image', placeholder: 'replicas or image' });
  const thenApply = el('button', { type: 'button', id: 'then-apply' }, 'Apply');
  const thenError = el('span', { class: 'error small', role: 'alert' });
  const extentScope = el('input', { type: 'radio', name: 'capacity-extent', id: 'capacity-extent-scope', value: 'scope', checked: true });
  const extentWorkspace = el('input', { type: 'radio', name: 'capacity-extent', id: 'capacity-extent-workspace', value: 'workspace' });
  const capacityExtent = el('div', { class: 'capacity-extent', role: 'radiogroup', 'aria-label': 'Place together' },
    el('span', {}, 'Place'),
    el('label', { class: 'inline' }, extentScope, ' this file\'s scope'),
    el('label', { class: 'inline' }, extentWorkspace, ' the whole workspace'),
  );
  const capacityBody = el('div', { class: 'capacity-body' });
  const capacityView = el('details', { id: 'capacity' }, el('summary', {}, 'Capacity: the scope placed together'), capacityExtent, capacityBody);
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
    el('div', { class: 'row' }, el('label', { for: 'fault-drain' }, 'Drain node'), drainNode),
    el('div', { class: 'row' }, el('label', { for: 'fault-exit' }, 'Pods exit with'), exitCode, exitShare),
    analysisRow,
    el('div', { class: 'row' }, el('label', { for: 'then-kind' }, 'Then'), thenKind, el('label', { for: 'then-at', class: 'inline' }, 'at'), thenAt, el('span', {}, 's'), thenValue, thenApply, thenError),
    el('div', { class: 'row' }, rolloutButton),
    status,
  );
  const controls = el('div', { class: 'step-controls', role: 'group', 'aria-label': 'Timeline steps' }, playButton, slider, stepLabel);
  root.replaceChildren(header, messages, summary, controls, stepView, capacityView);

  workloadSelect.addEventListener('change', () => {
    const [kind, ...name] = workloadSelect.value.split('/');
    post({ type: 'selectWorkload', kind, name: name.join('/') });
  });
  /** `then`: the edit while it runs; left out, the one in force stays. */
  const sendFaults = (...edit: [ViewThen | undefined] | []) => {
    const then = edit.length > 0 ? edit[0] : faults.then;
    const code = Number(exitCode.value);
    const stepNumber = Number(analysisStep.value);
    const analysisEnd = ANALYSIS_ENDS.find((end) => end === analysis.value) ?? '';
    faults = {
      neverReady: neverReady.checked,
      nodeNotReady: nodeDown.value || '',
      drain: drainNode.value || '',
      exitCode: Number.isInteger(code) && code >= 0 && code <= 255 ? code : 0,
      exitShare: Number(exitShare.value) || 100,
      analysis: analysisEnd,
      analysisStep: Number.isInteger(stepNumber) && stepNumber >= 0 && stepNumber <= MAX_ANALYSIS_STEP ? stepNumber : 0,
      ...(then ? { then } : {}),
    };
    post({ type: 'setFaults', faults });
  };
  neverReady.addEventListener('change', () => sendFaults());
  nodeDown.addEventListener('change', () => sendFaults());
  drainNode.addEventListener('change', () => sendFaults());
  exitCode.addEventListener('change', () => sendFaults());
  exitShare.addEventListener('change', () => sendFaults());
  analysis.addEventListener('change', () => {
    analysisStep.disabled = analysis.value === '';
    sendFaults();
  });
  analysisStep.addEventListener('change', () => sendFaults());
  thenKind.addEventListener('change', () => {
    thenValue.disabled = thenAt.disabled = thenApply.disabled = thenKind.value === '';
    if (thenKind.value === '') {
      thenError.textContent = '';
      sendFaults(undefined);
    }
  });
  thenApply.addEventListener('click', () => {
    const then = readThen(thenKind.value, thenAt.value, thenValue.value);
    thenError.textContent = typeof then === 'string' ? then : '';
    if (typeof then !== 'string') sendFaults(then);
  });
  const chosenExtent = (): CapacityExtent => (extentWorkspace.checked ? 'workspace' : 'scope');
  capacityView.addEventListener('toggle', () => post({ type: 'showCapacity', show: capacityView.open, extent: chosenExtent() }));
  for (const radio of [extentScope, extentWorkspace]) radio.addEventListener('change', () => post({ type: 'showCapacity', show: capacityView.open, extent: chosenExtent() }));
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
    podsSection = podsTable(pods);
    nodesSection = nodePlacement(pods);
    const sections: (HTMLElement | null)[] = [
      section('Rollout', renderTimelineChart(series, step, current?.bounds, (i) => selectStep(i)), renderLegend(), renderStepsList(result.steps, step, (i) => selectStep(i, true))),
      section('Pods over time', renderPodTimeline(result, step, (i) => selectStep(i), paging?.pods), renderPodLegend()),
      podsSection,
      nodesSection,
      renderTraffic(at.traffic, revisions),
      renderStatus(at.status),
    ];
    stepView.replaceChildren(...sections.filter((s): s is HTMLElement => s !== null));
    restoreNodeScroll();
  }

  /** The steps list only some of the run's pods: the pods table and the node columns show pages of the rest. */
  function podsLeftOut(): boolean {
    return paging !== undefined && paging.pods > paging.window && paging.counts[step] !== undefined;
  }

  function podsTable(pods: ReturnType<typeof podsAtStep>): HTMLElement {
    const counts = paging?.counts[step];
    return renderPodsTable({ pods, revisions: revisions!, page: podPage, onPage: (page) => { podPage = page; redraw('pods'); }, paged: podsLeftOut() && counts ? pagedTable(counts.total, counts.byRevision) : undefined });
  }

  function nodePlacement(pods: ReturnType<typeof podsAtStep>): HTMLElement {
    return renderNodePlacement(result!, pods, revisions!, step, nodeScroll, podsLeftOut() ? pagedNodes() : undefined);
  }

  function restoreNodeScroll(): void {
    const nodes = nodesSection?.querySelector<HTMLElement>('.nodes-viewport');
    if (nodes) nodes.scrollTop = nodeScroll.top;
  }

  /**
   * A page of pods came (or the table's page changed): only the part that shows it is built again,
   * not the step view (the per-pod timeline alone is a thousand SVG elements to style and lay out).
   */
  function redraw(part: 'pods' | 'nodes'): void {
    if (!result || !revisions || !result.steps[step]) return;
    const pods = podsAtStep(result, step);
    const [old, fresh] = part === 'pods' ? [podsSection, (podsSection = podsTable(pods))] : [nodesSection, (nodesSection = nodePlacement(pods))];
    if (old?.isConnected) old.replaceWith(fresh);
    else renderStep();
    if (part === 'nodes') restoreNodeScroll();
  }

  /** The page of the pods table on show, asked for once. */
  function pagedTable(total: number, byRevision: NonNullable<typeof paging>['counts'][number]['byRevision']) {
    const page = Math.min(podPage, Math.max(0, Math.ceil(total / POD_PAGE_SIZE) - 1));
    const answer = pageOf({ step, offset: page * POD_PAGE_SIZE, limit: POD_PAGE_SIZE });
    return { total, byRevision, rows: answer?.pods, error: answer?.error };
  }

  function pagedNodes(): PagedNodes {
    const counts = new Map<string, number>();
    for (const at of paging!.counts.slice(0, step + 1)) for (const [node, n] of Object.entries(at.nodes)) counts.set(node, n);
    const opened = new Map<string, NonNullable<SimulatePodsResponse['pods']>>();
    for (const [key, answer] of pages) {
      const request = JSON.parse(key) as PodsRequest;
      if (request.step === step && request.node !== undefined && answer?.pods) opened.set(request.node, answer.pods);
    }
    return {
      counts,
      pending: paging!.counts[step].pending,
      opened,
      onOpen: (node) => {
        pageOf({ step, node, offset: 0, limit: CHIPS_PER_NODE });
      },
    };
  }

  /** A page of the run's pods: the answer when it came, else asked for (once) and undefined. */
  function pageOf(request: PodsRequest): SimulatePodsResponse | undefined {
    const key = JSON.stringify(request);
    if (!pages.has(key) && current) {
      pages.set(key, undefined);
      post({ type: 'pods', seq: current.seq, ...request });
    }
    return pages.get(key);
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

  function renderPodLegend(): HTMLElement {
    return el('ul', { class: 'legend' }, ...['Pending', 'Running', 'Ready', 'Terminating', 'Succeeded', 'Failed'].map((state) => el('li', {}, el('span', { class: `swatch-box ${state.toLowerCase()}` }), state)));
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
    drainNode.replaceChildren(el('option', { value: '' }, 'none'), ...nodes.map((n) => el('option', { value: n, selected: n === message.faults.drain }, n)));
    faults = message.faults;
    neverReady.checked = faults.neverReady;
    exitCode.value = String(faults.exitCode);
    choose(exitShare, String(faults.exitShare));
    choose(analysis, faults.analysis);
    analysisStep.value = String(faults.analysisStep);
    analysisStep.disabled = faults.analysis === '';
    analysisRow.hidden = selected?.kind !== 'Rollout';
    if (faults.then) {
      choose(thenKind, faults.then.replicas !== undefined ? 'replicas' : 'image');
      thenAt.value = String(faults.then.at);
      thenValue.value = String(faults.then.replicas ?? faults.then.image ?? '');
    }
    thenValue.disabled = thenAt.disabled = thenApply.disabled = thenKind.value === '';
    const cluster = response.result ? ` on ${response.result.cluster.source}` : '';
    // The release decides behaviour (sidecars, StatefulSet maxUnavailable, terminatingReplicas): say which, and why.
    const release = response.result?.kubernetes;
    const version = release ? ` · Kubernetes ${release.version}` : '';
    status.textContent = `${message.mode === 'rollout' ? 'Rollout' : 'Dry-run'} of ${message.file}${cluster}${version} · ${Math.round(message.requestMs)} ms`;
    if (release?.reason) status.title = `Simulated as Kubernetes ${release.version}: ${release.reason}`;
    else status.removeAttribute('title');
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
    if (message.type === 'pods') {
      if (message.seq !== current?.seq) return; // a page of a run no longer shown
      const { step: at, node, offset, limit } = message.request;
      pages.set(JSON.stringify({ step: at, ...(node !== undefined ? { node } : {}), offset, limit }), message.response);
      if (at === step) redraw(node !== undefined ? 'nodes' : 'pods');
      return;
    }
    if (message.type === 'capacity') {
      // a webview opened later gets the host's last answer: show the extent it was asked for
      if (message.response.extent) (message.response.extent === 'workspace' ? extentWorkspace : extentScope).checked = true;
      capacityBody.replaceChildren(renderCapacity(message.response));
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
    paging = message.response.paging;
    pages.clear();
    renderHeader(message);
    renderMessages(message);
    if (!result) {
      revisions = undefined;
      summary.replaceChildren();
      stepView.replaceChildren(el('p', { class: 'muted' }, 'Nothing to simulate here.'));
      controls.hidden = true;
    } else {
      revisions = paging ? pagedRevisionOrder(paging) : revisionOrder(result, podsAtStep(result, result.steps.length - 1));
      series = paging ? countedSeries(result, paging.counts, revisions.newest) : rolloutSeries(result, revisions.newest);
      summary.replaceChildren(renderSummary(result.summary), renderCronRuns(result.cronRuns) ?? '');
      controls.hidden = false;
      slider.max = String(Math.max(0, result.steps.length - 1));
      step = Math.max(0, result.steps.length - 1); // the settled outcome first; the slider goes back in time
      podPage = 0;
      renderStep();
    }
    post({ type: 'rendered', seq: message.seq, renderMs: performance.now() - started, renderedAt: Date.now() });
    const seq = message.seq;
    afterPaint?.(() => post({ type: 'painted', seq, paintedAt: Date.now() }));
  }

  return {
    receive,
    get step() {
      return step;
    },
  };
}

/** Selects the option with `value` (the property in a browser; the attribute too, for a DOM without the setter). */
function choose(select: HTMLSelectElement, value: string): void {
  for (const option of Array.from(select.querySelectorAll('option'))) {
    option.toggleAttribute('selected', option.value === value);
    try {
      option.selected = option.value === value;
    } catch {
      // linkedom's option has no `selected` setter; the attribute said it
    }
  }
}

/** The "Then" picker's edit, or why it cannot be applied (in words, shown beside it). */
export function readThen(kind: string, at: string, value: string): ViewThen | string {
  const seconds = Number(at);
  if (!/^\d{1,8}$/.test(at.trim()) || !Number.isSafeInteger(seconds)) return 'at takes whole seconds';
  if (kind === 'replicas') {
    if (!/^\d{1,7}$/.test(value.trim())) return 'replicas takes a whole number';
    return { at: seconds, replicas: Number(value) };
  }
  if (kind === 'image') {
    const image = value.trim();
    if (image === '' || /\s/.test(image)) return 'image takes an image reference such as nginx:1.27';
    return { at: seconds, image };
  }
  return 'pick what changes';
}
