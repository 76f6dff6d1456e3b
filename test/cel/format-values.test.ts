// Formatted strings as CEL values: k8s.io/apiserver/pkg/cel/common/values.go UnstructuredToVal
// (format byte -> bytes, duration -> google.protobuf.Duration, date and date-time -> timestamp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, CostMeter, type Evaluation } from '../../server/src/cel/environment';
import { PER_CALL_LIMIT } from '../../server/src/cel/cost';
import { toCel } from '../../server/src/cel/values';
import { parseStrfmtDuration } from '../../server/src/cel/format-values';
import type { StructuralSchema } from '../../server/src/k8s/structural-schema';

const schema: StructuralSchema = {
  type: 'object',
  properties: {
    data: { type: 'string', format: 'byte' },
    timeout: { type: 'string', format: 'duration' },
    created: { type: 'string', format: 'date-time' },
    day: { type: 'string', format: 'date' },
    name: { type: 'string' },
  },
};

function run(expr: string, self: Record<string, unknown>): Evaluation {
  const program = compileExpression(expr);
  assert.ok(!('unsupported' in program), `${expr} compiles`);
  return program.evaluate({ self: toCel(self, schema) }, new CostMeter(PER_CALL_LIMIT));
}

const holds = (expr: string, self: Record<string, unknown>) => assert.deepEqual(run(expr, self), { kind: 'value', value: true }, expr);

test('format byte is base64-decoded bytes', () => {
  holds("self.data == b'hi' && self.data.size() == 2", { data: 'aGk=' });
  holds('self.data.size() == 10', { data: 'MDEyMzQ1Njc4OQ==' });
  holds("self.name == 'aGk='", { name: 'aGk=' }); // no format: a string
});

test('format duration is a duration, Go or Scala syntax (strfmt.ParseDuration)', () => {
  holds("self.timeout > duration('10s') && self.timeout == duration('30s')", { timeout: '30s' });
  holds("self.timeout == duration('72h')", { timeout: '3 days' });
  assert.equal(parseStrfmtDuration('1h30m'), 5_400_000_000_000n);
  assert.equal(parseStrfmtDuration('2 weeks'), 1_209_600_000_000_000n);
  assert.equal(parseStrfmtDuration('15 ms'), 15_000_000n);
  assert.equal(parseStrfmtDuration('10 parsecs'), undefined);
  assert.equal(parseStrfmtDuration(''), undefined);
});

test('format date and date-time are timestamps', () => {
  holds("self.created > timestamp('2020-01-01T00:00:00Z') && self.created == timestamp('2024-05-01T08:00:00Z')", { created: '2024-05-01T10:00:00+02:00' });
  holds("self.created == timestamp('2024-05-01T10:00:00.5Z')", { created: '2024-05-01T10:00:00.500Z' });
  holds('self.day.getFullYear() == 2024 && self.day.getMonth() == 4', { day: '2024-05-01' });
});

test('a value its format does not parse is an error for the rules that read it only', () => {
  const bad = run("self.timeout > duration('1s')", { timeout: '30 parsecs' });
  assert.equal(bad.kind, 'error');
  assert.match((bad as { message: string }).message, /Invalid duration 30 parsecs/);
  assert.equal(run("self.day.getFullYear() == 2023", { day: '2023-02-29' }).kind, 'error'); // day out of range
  assert.equal(run("self.data.size() == 0", { data: 'a' }).kind, 'error');
  holds("self.name == 'x'", { name: 'x', timeout: 'nonsense' });
});
