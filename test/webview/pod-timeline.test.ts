// The per-pod timeline: one row per pod, its states step by step, drawn as SVG segments that a
// keyboard can walk (roving tabindex, arrow keys) and that say themselves in words.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installDom } from './dom-shim';
import { podRows, podState, renderPodTimeline, MAX_TIMELINE_ROWS } from '../../client/webview/pod-timeline';
import type { SimulateResponse } from '../../server/src/protocol/requests';
import { simulate, type SimulationResult } from '../../server/src/engine';
import { parse } from 'yaml';

const rolling = (JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'rolling-3.response.json'), 'utf8')) as SimulateResponse).result!;

let root: HTMLElement;
beforeEach(() => {
  root = installDom().root;
});

test('a 3-replica RollingUpdate (maxSurge 1, maxUnavailable 0): each old pod goes Terminating only once a new one is Ready', () => {
  const rows = podRows(rolling);
  assert.equal(rows.length, 6);
  const old = rows.filter((r) => r.revision === '5d8f7c9b4');
  const fresh = rows.filter((r) => r.revision === '7c9d8b6f5d');
  assert.deepEqual(old.map((r) => r.segments.map((s) => s.state)), [['Ready', 'Terminating'], ['Ready', 'Terminating'], ['Ready', 'Terminating']]);
  assert.deepEqual(fresh[0].segments, [{ state: 'Pending', from: 1, to: 2 }, { state: 'Running', from: 2, to: 3 }, { state: 'Ready', from: 3, to: 7 }]);
  // maxUnavailable 0: the k-th old pod starts terminating at the step the k-th new pod is Ready.
  for (let k = 0; k < 3; k++) {
    const terminating = old[k].segments.find((s) => s.state === 'Terminating')!;
    const ready = fresh[k].segments.find((s) => s.state === 'Ready')!;
    assert.equal(terminating.from, ready.from, `old pod ${k} leaves when new pod ${k} is ready`);
  }
});

test('podState reads the snapshot as kubectl would say it', () => {
  const base = { name: 'p', revision: 'r', available: false, ready: false, terminating: false } as const;
  assert.equal(podState({ ...base, phase: 'Pending' }), 'Pending');
  assert.equal(podState({ ...base, phase: 'Running', node: 'n' }), 'Running');
  assert.equal(podState({ ...base, phase: 'Running', node: 'n', ready: true }), 'Ready');
  assert.equal(podState({ ...base, phase: 'Running', node: 'n', ready: true, terminating: true }), 'Terminating');
  assert.equal(podState({ ...base, phase: 'Succeeded', node: 'n' }), 'Succeeded');
  assert.equal(podState({ ...base, phase: 'Failed', node: 'n' }), 'Failed');
});

test('a row per pod, segments in state colours, rows focusable one at a time and said in words; Enter selects the row\'s first step', () => {
  const selected: number[] = [];
  const chart = renderPodTimeline(rolling, 6, (i) => selected.push(i));
  root.appendChild(chart);
  const rows = Array.from(root.querySelectorAll('g.pod-row'));
  assert.equal(rows.length, 6);
  assert.deepEqual(rows.map((r) => r.getAttribute('tabindex')), ['0', '-1', '-1', '-1', '-1', '-1']);
  assert.match(rows[3].getAttribute('aria-label')!, /^web-7c9d8b6f5d-q8r5n \(7c9d8b6f5d\): Pending 0s–1s, Running 1s–6s, Ready 6s–end$/);
  assert.equal(root.querySelectorAll('rect.pod-seg.terminating').length, 3);
  const key = (target: Element, k: string) => {
    const event = new (globalThis as unknown as { window: { Event: typeof Event } }).window.Event('keydown', { bubbles: true }) as KeyboardEvent;
    Object.defineProperty(event, 'key', { value: k });
    target.dispatchEvent(event);
  };
  key(rows[0], 'ArrowDown');
  assert.deepEqual(rows.map((r) => r.getAttribute('tabindex')), ['-1', '0', '-1', '-1', '-1', '-1']);
  key(rows[1], 'End');
  assert.equal(rows[5].getAttribute('tabindex'), '0');
  key(rows[3], 'Enter');
  assert.deepEqual(selected, [1], 'the new pod appears at step 2 (index 1)');
});

test('a 1,000-replica Deployment draws at most MAX_TIMELINE_ROWS rows and counts the rest', () => {
  const deployment = parse(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: big\nspec:\n  replicas: 1000\n  selector:\n    matchLabels:\n      app: big\n  template:\n    metadata:\n      labels:\n        app: big\n    spec:\n      containers:\n      - name: app\n        image: app:1\n`);
  const result: SimulationResult = simulate({ objects: [deployment], nodes: Array.from({ length: 20 }, (_, i) => ({ name: `n${i}`, labels: {}, taints: [], unschedulable: false, ready: true, allocatable: { cpu: 64000, memory: 256 * 1024 ** 3, pods: 110 } })) });
  root.appendChild(renderPodTimeline(result, result.steps.length - 1, () => undefined));
  assert.equal(root.querySelectorAll('g.pod-row').length, MAX_TIMELINE_ROWS);
  assert.ok(Array.from(root.querySelectorAll('text')).some((t) => t.textContent === `+${1000 - MAX_TIMELINE_ROWS} more pods`));
});
