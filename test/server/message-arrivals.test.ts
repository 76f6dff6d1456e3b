// The benches' server-side edit times: each message's first byte arrival, matched to the message
// the reader delivers, however the stream cuts the messages into chunks.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { StreamMessageReader, type Message } from 'vscode-jsonrpc/node';
import { MessageArrivals } from './message-arrivals';

function framed(body: object): Buffer {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${json.length}\r\n\r\n`, 'ascii'), json]);
}

test('each message gets the arrival of its first byte, with headers and bodies split across chunks', async () => {
  const stream = new PassThrough();
  const arrivals = new MessageArrivals(stream, new StreamMessageReader(stream));
  const delivered: Message[] = [];
  arrivals.listen((m) => delivered.push(m));
  const first = framed({ jsonrpc: '2.0', method: 'a', params: { n: 1, text: 'é'.repeat(300) } });
  const second = framed({ jsonrpc: '2.0', method: 'b', params: { n: 2 } });
  const third = framed({ jsonrpc: '2.0', id: 3, result: null });
  const all = Buffer.concat([first, second, third]);
  // Cuts: inside the first header, inside the first body, at the second message's header end, the third message's header in two.
  const cuts = [10, first.length - 5, first.length + second.indexOf('\r\n\r\n') + 2, first.length + second.length + 7, all.length];
  const times: number[] = [];
  let from = 0;
  for (const cut of cuts) {
    stream.write(all.subarray(from, cut));
    from = cut;
    await new Promise((resolve) => setTimeout(resolve, 5));
    times.push(performance.now());
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(delivered.map((m) => (m as { method?: string }).method ?? 'response'), ['a', 'b', 'response']);
  const [a, b, c] = delivered.map((m) => arrivals.arrivalOf(m)!);
  // a began with the first chunk; b in the third (its first bytes follow a's last ones there); c in the fourth.
  assert.ok(a <= times[0], `${a} ${times}`);
  assert.ok(b > times[1] && b <= times[2], `${b} ${times}`);
  assert.ok(c > times[2] && c <= times[3], `${c} ${times}`);
  assert.equal(arrivals.arrivalOf((delivered[1] as unknown as { params: object }).params), b);
});
