// Kubernetes string syntaxes the schemas check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isQuantity, isPercent, isPortName, KUBERNETES_FORMATS } from '../../server/src/schema/formats';
import { suggestNames } from '../../server/src/schema/did-you-mean';

test('quantities: decimal SI, binary SI, exponents, signs, fractions', () => {
  for (const q of ['500m', '1', '0.5', '.5', '1.', '1Gi', '128Mi', '1e3', '1E-3', '+1k', '-2', '1.5Gi', '2P', '3Ei', '100n', '250u']) assert.ok(isQuantity(q), q);
  for (const q of ['', 'half', '1GB', '1gi', '1 Gi', 'Gi', '1e', '1..0', '1Kib', '--1', '1m2', '1N', '1U', '1nu']) assert.ok(!isQuantity(q), q);
});

test('percentages as IsValidPercent accepts them', () => {
  for (const p of ['0%', '25%', '100%', '150%']) assert.ok(isPercent(p), p);
  for (const p of ['25', '25 %', '%', '2.5%', '-1%', '25%%']) assert.ok(!isPercent(p), p);
});

test('port names as IsValidPortName accepts them', () => {
  for (const p of ['http', 'web-8080', 'a1', 'metrics-scrape1']) assert.ok(isPortName(p), p);
  for (const p of ['HTTP', '8080', 'web_1', '-web', 'web-', 'a--b', 'sixteen-chars-xx', '']) assert.ok(!isPortName(p), p);
});

test('int32 and date-time', () => {
  const int32 = KUBERNETES_FORMATS.int32.validate as (v: number) => boolean;
  assert.ok(int32(2147483647) && int32(-2147483648) && !int32(2147483648));
  const time = KUBERNETES_FORMATS['date-time'].validate as (v: string) => boolean;
  assert.ok(time('2025-01-31T12:00:00Z') && time('2025-01-31T12:00:00.5+02:00') && !time('2025-01-31'));
});

test('did-you-mean: transpositions, missing letters, case; nothing for unrelated words', () => {
  assert.deepEqual(suggestNames('contianers', ['containers', 'initContainers', 'volumes']), { names: ['containers'], clear: true });
  assert.deepEqual(suggestNames('replica', ['replicas', 'selector']).names, ['replicas']);
  assert.deepEqual(suggestNames('IMAGE', ['image', 'imagePullPolicy']).names, ['image']);
  assert.deepEqual(suggestNames('colour', ['replicas', 'selector', 'template']).names, []);
  assert.equal(suggestNames('volumeMount', ['volumeMounts', 'volumeDevices', 'volumes']).clear, true);
});
