// The Dry-run view's pickers for the faults and edits kdry/simulate accepts: a drained node, pods
// whose containers exit (`--fail pods:exit=CODE[,share=P%]`), an Argo Rollout's AnalysisRuns that
// fail or are inconclusive (`--fail analysis[:step=N][,inconclusive]`), and an edit while the run
// goes on (`--then at=30s,replicas=N|image=IMAGE`). What the view posts is checked again by the host.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installDom } from './dom-shim';
import { createPanel, readThen } from '../../client/webview/panel';
import { analysisFault, NO_FAULTS, parseViewMessage, type FromViewMessage } from '../../client/webview/messages';
import type { SimulateResponse } from '../../server/src/protocol/requests';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'rolling-3.response.json'), 'utf8')) as SimulateResponse;
const domEvent = (type: string) => new (globalThis as unknown as { window: { Event: typeof Event } }).window.Event(type);

let root: HTMLElement;
let posted: FromViewMessage[];
beforeEach(() => {
  root = installDom().root;
  posted = [];
  createPanel(root, (m) => posted.push(m)).receive({ type: 'result', seq: 1, file: 'web.yaml', mode: 'dry-run', response: fixture, faults: NO_FAULTS, requestMs: 1 });
});

const $ = <T extends HTMLElement>(selector: string) => root.querySelector(selector) as T;
/** Picks an option the way linkedom lets a test (its select has no `value` setter). */
const pick = (select: HTMLSelectElement, value: string) => {
  for (const option of Array.from(select.querySelectorAll('option'))) option.toggleAttribute('selected', option.getAttribute('value') === value);
  select.dispatchEvent(domEvent('change'));
};
const lastFaults = () => (posted.filter((m) => m.type === 'setFaults').at(-1) as Extract<FromViewMessage, { type: 'setFaults' }>).faults;

test('the drain picker lists the cluster\'s nodes and posts the node chosen', () => {
  const drain = $<HTMLSelectElement>('#fault-drain');
  assert.deepEqual(Array.from(drain.querySelectorAll('option')).map((o) => o.textContent), ['none', 'kind-control-plane', 'kind-worker', 'kind-worker2']);
  pick(drain, 'kind-worker');
  assert.deepEqual(lastFaults(), { ...NO_FAULTS, drain: 'kind-worker' });
});

test('pods exit: a code and a share of the pods', () => {
  const code = $<HTMLInputElement>('#fault-exit');
  code.value = '137';
  code.dispatchEvent(domEvent('change'));
  pick($<HTMLSelectElement>('#fault-exit-share'), '25');
  assert.deepEqual(lastFaults(), { ...NO_FAULTS, exitCode: 137, exitShare: 25 });
});

test('then: a scale at 30 s is posted; a bad value is said beside the picker and not posted', () => {
  const kind = $<HTMLSelectElement>('#then-kind');
  pick(kind, 'replicas');
  $<HTMLInputElement>('#then-value').value = 'many';
  $<HTMLButtonElement>('#then-apply').dispatchEvent(domEvent('click'));
  assert.equal(posted.filter((m) => m.type === 'setFaults').length, 0);
  assert.equal(root.querySelector('[role=alert]')!.textContent, 'replicas takes a whole number');
  $<HTMLInputElement>('#then-value').value = '10';
  $<HTMLButtonElement>('#then-apply').dispatchEvent(domEvent('click'));
  assert.deepEqual(lastFaults().then, { at: 30, replicas: 10 });
  pick(kind, '');
  assert.equal(lastFaults().then, undefined, 'none clears the edit');
});

test('readThen: replicas and images as kubectl scale / set image take them', () => {
  assert.deepEqual(readThen('image', '45', ' nginx:1.27 '), { at: 45, image: 'nginx:1.27' });
  assert.equal(readThen('image', '45', 'two words'), 'image takes an image reference such as nginx:1.27');
  assert.equal(readThen('replicas', '-3', '2'), 'at takes whole seconds');
  assert.equal(readThen('', '3', '2'), 'pick what changes');
});

test('the host accepts only well-formed faults from the view', () => {
  const ok = { type: 'setFaults', faults: { ...NO_FAULTS, drain: 'n1', exitCode: 1, exitShare: 50, then: { at: 30, replicas: 20 } } };
  assert.deepEqual(parseViewMessage(ok), ok);
  for (const bad of [
    { ...NO_FAULTS, exitCode: 256 },
    { ...NO_FAULTS, exitShare: 0 },
    { ...NO_FAULTS, drain: 'x'.repeat(300) },
    { ...NO_FAULTS, then: { at: 30 } },
    { ...NO_FAULTS, then: { at: -1, replicas: 2 } },
    { ...NO_FAULTS, then: { at: 3, image: '   ' } },
    { neverReady: false, nodeNotReady: '' },
    { ...NO_FAULTS, analysis: 'Error' },
    { ...NO_FAULTS, analysis: 'Failed', analysisStep: -1 },
    { ...NO_FAULTS, analysis: 'Failed', analysisStep: 1.5 },
    { ...NO_FAULTS, analysisStep: undefined },
  ]) assert.equal(parseViewMessage({ type: 'setFaults', faults: bad }), undefined, JSON.stringify(bad));
  assert.deepEqual(parseViewMessage({ type: 'showCapacity', show: true }), { type: 'showCapacity', show: true });
  assert.equal(parseViewMessage({ type: 'showCapacity', show: 'yes' }), undefined);
  assert.deepEqual(parseViewMessage({ type: 'showCapacity', show: true, extent: 'workspace' }), { type: 'showCapacity', show: true, extent: 'workspace' });
  assert.equal(parseViewMessage({ type: 'showCapacity', show: true, extent: 'cluster' }), undefined);
});

/** The fixture's run, as if its workload were an Argo Rollout (the picker shows for Rollouts only). */
function showRollout(): void {
  const rolloutResponse: SimulateResponse = { ...fixture, workloads: [{ ...fixture.workloads[0], kind: 'Rollout', name: 'demo' }], result: { ...fixture.result!, workload: { kind: 'Rollout', name: 'demo' } } };
  root = installDom().root;
  posted = [];
  createPanel(root, (m) => posted.push(m)).receive({ type: 'result', seq: 1, file: 'demo.yaml', mode: 'dry-run', response: rolloutResponse, faults: NO_FAULTS, requestMs: 1 });
}

test('the analysis picker shows for an Argo Rollout only', () => {
  assert.equal($<HTMLElement>('#fault-analysis-row').hidden, true, 'a Deployment has no AnalysisRuns');
  showRollout();
  assert.equal($<HTMLElement>('#fault-analysis-row').hidden, false);
  assert.deepEqual(Array.from($<HTMLSelectElement>('#fault-analysis').querySelectorAll('option')).map((o) => o.textContent), ['succeed', 'fail', 'are inconclusive', 'are inconclusive, then promoted', 'are inconclusive, then aborted']);
  assert.equal($<HTMLInputElement>('#fault-analysis-step').disabled, true, 'no step to choose while the runs succeed');
});

test('analysis runs: fail at one canary step, or end inconclusive, posted as the host maps them to kdry/simulate', () => {
  showRollout();
  pick($<HTMLSelectElement>('#fault-analysis'), 'Failed');
  assert.equal($<HTMLInputElement>('#fault-analysis-step').disabled, false);
  assert.deepEqual(lastFaults(), { ...NO_FAULTS, analysis: 'Failed' });
  assert.deepEqual(analysisFault(lastFaults(), 'Rollout'), {}, 'every run fails: --fail analysis');
  const step = $<HTMLInputElement>('#fault-analysis-step');
  step.value = '2';
  step.dispatchEvent(domEvent('change'));
  assert.deepEqual(lastFaults(), { ...NO_FAULTS, analysis: 'Failed', analysisStep: 2 });
  assert.deepEqual(analysisFault(lastFaults(), 'Rollout'), { step: 2 }, '--fail analysis:step=2');
  pick($<HTMLSelectElement>('#fault-analysis'), 'Inconclusive');
  assert.deepEqual(analysisFault(lastFaults(), 'Rollout'), { step: 2, phase: 'Inconclusive' }, '--fail analysis:step=2,inconclusive');
  // what the person does at the pause (kubectl argo rollouts promote / abort)
  pick($<HTMLSelectElement>('#fault-analysis'), 'InconclusivePromote');
  assert.deepEqual(analysisFault(lastFaults(), 'Rollout'), { step: 2, phase: 'Inconclusive', then: 'promote' }, '--fail analysis:step=2,inconclusive,promote');
  pick($<HTMLSelectElement>('#fault-analysis'), 'InconclusiveAbort');
  assert.deepEqual(analysisFault(lastFaults(), 'Rollout'), { step: 2, phase: 'Inconclusive', then: 'abort' }, '--fail analysis:step=2,inconclusive,abort');
  assert.equal(parseViewMessage({ type: 'setFaults', faults: lastFaults() })?.type, 'setFaults', 'the host takes it');
  pick($<HTMLSelectElement>('#fault-analysis'), 'Inconclusive');
  step.value = 'x';
  step.dispatchEvent(domEvent('change'));
  assert.equal(lastFaults().analysisStep, 0, 'a step that is no whole number reads as every run');
  pick($<HTMLSelectElement>('#fault-analysis'), '');
  assert.equal(analysisFault(lastFaults(), 'Rollout'), undefined, 'succeed: no fault');
  // the row is hidden for any other kind, and what it still holds is not sent (dry-run-view.ts resolvedFaults)
  assert.equal(analysisFault({ ...NO_FAULTS, analysis: 'Failed', analysisStep: 2 }, 'Deployment'), undefined);
  assert.equal(analysisFault({ ...NO_FAULTS, analysis: 'Inconclusive' }, undefined), undefined);
  assert.ok(parseViewMessage(posted.at(-1)), 'what the view posts passes the host\'s check');
});
