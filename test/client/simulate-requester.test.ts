// The Dry-run view's requests: each edit's refresh goes out on the view's lane, and a newer one
// cancels the one in flight ($/cancelRequest, which makes the server stop the simulation: see
// test/server/simulation-runner.test.ts and features.test.ts); requests off the lane (commands)
// are never cancelled by it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CancellationToken } from 'vscode-languageserver-protocol';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SimulateRequester } from '../../client/src/simulate-requester';
import type { SimulateParams, SimulateResponse } from '../../server/src/protocol/requests';

/** A language client whose requests stay open until answered, or until cancelled (then answered as the server answers a cancelled run). */
function fakeClient() {
  const sent: { params: SimulateParams; token?: CancellationToken; answer(response: SimulateResponse): void }[] = [];
  const client = {
    sendRequest: (_type: unknown, params: SimulateParams, token?: CancellationToken) =>
      new Promise<SimulateResponse>((resolve) => {
        sent.push({ params, token, answer: resolve });
        token?.onCancellationRequested(() => resolve({ workloads: [], error: 'Cancelled.' }));
      }),
  };
  return { sent, requester: new SimulateRequester(async () => client as unknown as LanguageClient) };
}

const params = (text: string): SimulateParams => ({ uri: 'file:///w/web.yaml', text });
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('a newer refresh on the view lane cancels the simulation in flight; the newest answer is the one kept', async () => {
  const { sent, requester } = fakeClient();
  const first = requester.simulate(params('replicas: 1'), 'view');
  await tick();
  const second = requester.simulate(params('replicas: 2'), 'view');
  await tick();
  assert.equal(sent.length, 2);
  assert.equal(sent[0].token?.isCancellationRequested, true, 'the edit before is cancelled');
  assert.equal(sent[1].token?.isCancellationRequested, false);
  sent[1].answer({ workloads: [{ kind: 'Deployment', name: 'web', offset: 0 }] });
  const [a, b] = await Promise.all([first, second]);
  assert.equal(a.response.error, 'Cancelled.');
  assert.ok(b.seq > a.seq && requester.latest === b.seq, 'the cancelled answer is older than the latest');
  assert.equal(b.response.error, undefined);
});

test('commands (no lane) and other lanes are never cancelled by the view lane, nor cancel it', async () => {
  const { sent, requester } = fakeClient();
  const command = requester.simulate(params('a'));
  const other = requester.simulate(params('b'), 'other');
  await tick();
  const view = requester.simulate(params('c'), 'view');
  await tick();
  const command2 = requester.simulate(params('d'));
  await tick();
  assert.deepEqual(
    sent.map((s) => s.token?.isCancellationRequested ?? 'no token'),
    ['no token', false, false, 'no token'],
  );
  for (const s of sent) s.answer({ workloads: [] });
  await Promise.all([command, other, view, command2]);
});
