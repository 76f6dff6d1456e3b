// kdry's runtime cost meter against cel-go's (interpreter/runtimecost.go) with Kubernetes'
// estimator (k8s.io/apiserver/pkg/cel/library/cost.go CostEstimator.CallCost). The figures in the
// first tests are upstream's own expectedRuntimeCost values from
// staging/src/k8s.io/apiserver/pkg/cel/library/cost_test.go, whose testCost plans the program
// without cel.OptOptimize: so these run with { optimize: false }. The API server plans with it
// (environment/base.go), which folds constant literals and conversions; the later tests show that.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, CostMeter, type CompileOptions } from '../../server/src/cel/environment';
import { PER_CALL_LIMIT } from '../../server/src/cel/cost';

function cost(source: string, options: CompileOptions = { optimize: false }, bindings: Record<string, unknown> = {}): number {
  const program = compileExpression(source, undefined, options);
  assert.ok(!('unsupported' in program), `${source}: ${'unsupported' in program ? program.unsupported : ''}`);
  const meter = new CostMeter(PER_CALL_LIMIT);
  const result = program.evaluate(bindings as never, meter);
  assert.equal(result.kind, 'value', `${source}: ${result.kind === 'value' ? '' : 'message' in result ? result.message : result.reason}`);
  return meter.spent;
}

const cases = (figures: [string, number][]) => {
  for (const [source, expected] of figures) assert.equal(cost(source), expected, source);
};

const INTS = '[1, 2, 3, 4, 5]';
const UINTS = '[uint(1), uint(2), uint(3), uint(4), uint(5)]';
const DOUBLES = '[1.0, 2.0, 3.0, 4.0, 5.0]';
const BOOLS = '[false, true, false, true, false]';
const STRINGS = "['012345678901', '012345678901', '012345678901', '012345678901', '012345678901']";
const BYTES = "[bytes('012345678901'), bytes('012345678901'), bytes('012345678901'), bytes('012345678901'), bytes('012345678901')]";
const DURATIONS = "[duration('1s'), duration('2s'), duration('3s'), duration('4s'), duration('5s')]";
const TIMESTAMPS = "[timestamp('2011-01-01T00:00:00.000+01:00'), timestamp('2011-01-02T00:00:00.000+01:00'), timestamp('2011-01-03T00:00:00.000+01:00'), timestamp('2011-01-04T00:00:00.000+01:00'), timestamp('2011-01-05T00:00:00.000+01:00')]";
const STRING = "'01234567890123456789012345678901234567890123456789'";

test('cost_test.go TestListsCost and TestIndexOfCost: the Kubernetes lists library', () => {
  for (const op of ['.sum()']) cases([[INTS + op, 15], [UINTS + op, 20], [DOUBLES + op, 15], [DURATIONS + op, 20]]);
  for (const op of ['.isSorted()', '.max()', '.min()']) {
    cases([[INTS + op, 15], [UINTS + op, 20], [DOUBLES + op, 15], [BOOLS + op, 15], [STRINGS + op, 15], [BYTES + op, 25], [DURATIONS + op, 20], [TIMESTAMPS + op, 20]]);
  }
  for (const op of ['indexOf', 'lastIndexOf']) {
    cases([
      [`${INTS}.${op}(3)`, 15],
      [`${UINTS}.${op}(uint(3))`, 21],
      [`${DOUBLES}.${op}(3.0)`, 15],
      [`${BOOLS}.${op}(true)`, 15],
      [`${STRINGS}.${op}('x')`, 15],
      [`${BYTES}.${op}(bytes('x'))`, 26],
      [`${DURATIONS}.${op}(duration('3s'))`, 21],
      [`${TIMESTAMPS}.${op}(timestamp('2011-01-03T00:00:00.000+01:00'))`, 21],
      [`${STRING}.${op}('123')`, 5],
    ]);
  }
});

test('cost_test.go TestURLsCost, TestIPCost, TestIPIsCanonicalCost, TestCIDRCost', () => {
  for (const op of ['.getScheme()', '.getHostname()', '.getHost()', '.getPort()', '.getEscapedPath()', '.getQuery()']) cases([[`url('https:://kubernetes.io/')${op}`, 4]]);
  const ipv4 = "ip('192.168.0.1')";
  const ipv6 = "ip('2001:db8:3333:4444:5555:6666:7777:8888')";
  cases([[ipv4, 2], [ipv6, 4]]);
  for (const op of ['.family()', '.isUnspecified()', '.isLoopback()', '.isLinkLocalMulticast()', '.isLinkLocalUnicast()', '.isGlobalUnicast()']) cases([[ipv4 + op, 3], [ipv6 + op, 5]]);
  cases([["ip.isCanonical('192.168.0.1')", 3], ["ip.isCanonical('2001:db8:3333:4444:5555:6666:7777:8888')", 8], ["ip.isCanonical('2001:db8::abcd')", 3]]);
  const cidr4 = "cidr('192.168.0.0/16')";
  const cidr6 = "cidr('2001:db8::/32')";
  for (const c of [cidr4, cidr6]) cases([[c, 2], [`${c}.ip()`, 3], [`${c}.prefixLength()`, 3], [`${c}.masked()`, 3]]);
  cases([
    [`${cidr4}.containsCIDR(cidr('192.0.0.0/30'))`, 7],
    [`${cidr4}.containsCIDR(cidr('192.168.0.0/16'))`, 7],
    [`${cidr4}.containsCIDR('192.0.0.0/30')`, 7],
    [`${cidr4}.containsCIDR('192.168.0.0/16')`, 7],
    [`${cidr4}.containsIP(ip('192.0.0.1'))`, 4],
    [`${cidr4}.containsIP(ip('192.169.0.1'))`, 5],
    [`${cidr4}.containsIP(ip('192.169.169.250'))`, 5],
    [`${cidr4}.containsIP('192.0.0.1')`, 4],
    [`${cidr4}.containsIP('192.169.0.1')`, 5],
    [`${cidr6}.containsCIDR(cidr('2001:db8::/126'))`, 7],
    [`${cidr6}.containsCIDR(cidr('2001:db8::/32'))`, 7],
    [`${cidr6}.containsCIDR('2001:db8::/126')`, 7],
    [`${cidr6}.containsCIDR('2001:db8::/32')`, 7],
    [`${cidr6}.containsIP(ip('2001:db8:3333:4444:5555:6666:7777:8888'))`, 7],
    [`${cidr6}.containsIP(ip('2001:db8::1'))`, 5],
    [`${cidr6}.containsIP('2001:db8:3333:4444:5555:6666:7777:8888')`, 7],
    [`${cidr6}.containsIP('2001:db8::1')`, 5],
  ]);
});

test('cost_test.go TestStringLibrary: the strings extension and the regex library', () => {
  cases([
    ["'ABCDEFGHIJ abcdefghij'.lowerAscii()", 3],
    ["'ABCDEFGHIJ abcdefghij'.lowerAscii() == 'abcdefghij ABCDEFGHIJ'.lowerAscii()", 9],
    ["'ABCDEFGHIJ abcdefghij'.upperAscii()", 3],
    ["'ABCDEFGHIJ abcdefghij'.upperAscii() == 'abcdefghij ABCDEFGHIJ'.upperAscii()", 9],
    ["strings.quote('ABCDEFGHIJ abcdefghij')", 3],
    ["strings.quote('ABCDEFGHIJ abcdefghij') == strings.quote('ABCDEFGHIJ abcdefghij')", 9],
    ["'abc 123 def 123'.replace('123', '456')", 3],
    ["'abc 123 def 123'.replace('', 'x')", 3],
    ["'abc 123 def 123'.replace('123', '')", 3],
    ["'abc 123 def 123'.replace('123', '456', 1)", 3],
    ["'abc 123 def 123'.split(' ')", 3],
    ["'abc 123 def 123'.split(' ', 1)", 3],
    ["'abc 123 def 123'.substring(5)", 2],
    ["'abc 123 def 123'.substring(5, 8)", 2],
    ["'  abc 123 def 123  '.trim()", 2],
    ["['aa', 'bb', 'cc', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join(' ')", 15],
    ["['aa', 'bb', 'cc', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join()", 13],
    ["'abc 123 def 123'.find('123')", 2],
    ["'abc 123 def 123'.findAll('123')", 2],
    ["'abc 123 def 123'.findAll('123', 1)", 2],
  ]);
});

test('cost_test.go TestQuantityCost', () => {
  cases([
    ['quantity("12Mi")', 1],
    ['isQuantity("20")', 1],
    ['isQuantity("20M")', 1],
    ['quantity("200M") == quantity("200M")', 3],
    ['quantity("200M") == quantity("0.2G") && quantity("0.2G") == quantity("200M")', 6],
    ['quantity("2M") == quantity("0.002G") && quantity("2000k") == quantity("2M") && quantity("0.002G") == quantity("2000k")', 9],
    ['quantity("50M").isLessThan(quantity("50Mi"))', 3],
    ['quantity("50Mi").isGreaterThan(quantity("50M"))', 3],
    ['quantity("200M").compareTo(quantity("0.2G")) > 0', 4],
    ['quantity("50k").add(quantity("20")) == quantity("50.02k")', 5],
    ['quantity("50k").sub(quantity("20")) == quantity("49.98k")', 5],
    ['quantity("50k").sub(20) == quantity("49980")', 4],
    ['quantity("50k").add(20).sub(quantity("100k")).asInteger() > 0', 6],
    ['quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger() > 0', 7],
    ['quantity("50k").asInteger() > 0', 3],
    ['quantity("50").isInteger()', 2],
    ['quantity("50.703k").asApproximateFloat() > 0.0', 3],
  ]);
});

test('cost_test.go TestSetsCost: the sets extension (ext/sets.go trackSetsCost)', () => {
  cases([
    ['sets.contains([], [])', 21],
    ['sets.contains([1], [])', 21],
    ['sets.contains([1], [1])', 22],
    ['sets.contains([1], [1, 1])', 23],
    ['sets.contains([1, 1], [1])', 23],
    ['sets.contains([2, 1], [1])', 23],
    ['sets.contains([1, 2, 3, 4], [2, 3])', 29],
    ['sets.contains([1], [1.0, 1])', 23],
    ['sets.contains([1, 2], [2u, 2.0])', 25],
    ['sets.contains([1, 2u], [2, 2.0])', 25],
    ['sets.contains([1, 2.0, 3u], [1.0, 2u, 3])', 30],
    ['sets.contains([[1], [2, 3]], [[2, 3.0]])', 53],
    ['!sets.contains([1], [2])', 23],
    ['!sets.contains([1], [1, 2])', 24],
    ['!sets.contains([1], ["1", 1])', 24],
    ['!sets.contains([1], [1.1, 1u])', 24],
    ['sets.equivalent([], [])', 21],
    ['sets.equivalent([1], [1])', 23],
    ['sets.equivalent([1], [1, 1])', 25],
    ['sets.equivalent([1, 1], [1])', 25],
    ['sets.equivalent([1], [1u, 1.0])', 25],
    ['sets.equivalent([1, 2, 3], [3u, 2.0, 1])', 39],
    ['sets.equivalent([[1.0], [2, 3]], [[1], [2, 3.0]])', 69],
    ['!sets.equivalent([2, 1], [1])', 26],
    ['!sets.equivalent([1], [1, 2])', 26],
    ['!sets.equivalent([1, 2], [2u, 2, 2.0])', 34],
    ['!sets.equivalent([1, 2], [1u, 2, 2.3])', 34],
    ['sets.intersects([1], [1])', 22],
    ['sets.intersects([1], [1, 1])', 23],
    ['sets.intersects([1, 1], [1])', 23],
    ['sets.intersects([2, 1], [1])', 23],
    ['sets.intersects([1], [1, 2])', 23],
    ['sets.intersects([1], [1.0, 2])', 23],
    ['sets.intersects([1, 2], [2u, 2, 2.0])', 27],
    ['sets.intersects([1, 2], [1u, 2, 2.3])', 27],
    ['sets.intersects([[1], [2, 3]], [[1, 2], [2, 3.0]])', 65],
    ['!sets.intersects([], [])', 22],
    ['!sets.intersects([1], [])', 22],
    ['!sets.intersects([1], [2])', 23],
    ['!sets.intersects([1], ["1", 2])', 24],
    ['!sets.intersects([1], [1.1, 2u])', 24],
  ]);
});

// The API server plans with cel.OptOptimize (environment/base.go): interpreter/decorators.go
// decOptimize folds a list or map literal of constants and a conversion of a constant into a
// constant (no step), and `x in [constants]` into a set lookup (no step either).
test('with OptOptimize, as the API server plans: constant literals, conversions and `in` a constant list are free', () => {
  const optimized = (source: string, bindings: Record<string, unknown> = {}) => cost(source, {}, bindings);
  assert.equal(optimized('[1, 2, 3, 4, 5].sum()'), 5, 'the list is a constant: the sum alone');
  assert.equal(optimized(`${UINTS}.sum()`), 5, 'uint(1)... are folded first, then the list');
  assert.equal(optimized("{'a': 1}.size()"), 1);
  assert.equal(optimized("'a' in ['a', 'b']"), 0);
  // A literal with a variable is built at run time: 10 (ListCreateBaseCost) + 1 (x) + 1 (size).
  assert.equal(optimized('[x].size()', { x: 1n }), 12);
  assert.equal(optimized("x in ['a', 'b']", { x: 'a' }), 1);
  assert.equal(optimized('x in [y]', { x: 'a', y: 'b' }), 10 + 1 + 1 + 1, 'a list built at run time, then `in` over its 1 item');
});

// runtimecost.go Observe: identifiers and selections 1 each, a presence test its qualifiers only
// (PresenceTestHasCost(false)), && || ?: and the fold nothing; calls by costCall.
test('steps: selections, presence tests, indexes, logic and comprehensions as cel-go observes them', () => {
  const self = { items: [{ name: 'a' }, { name: 'bb' }], xs: Array.from({ length: 300 }, (_, i) => BigInt(i)), name: 'web' };
  const steps = (source: string) => cost(source, {}, { self });
  assert.equal(steps('self.name'), 2);
  assert.equal(steps('has(self.name)'), 1, 'the tested field is the one qualifier charged');
  assert.equal(steps("self.name == 'web'"), 2 + 1, 'ceil(min(3, 3) x 0.1) = 1');
  assert.equal(steps("self.name != ''"), 2, 'against an empty string: ceil(0 x 0.1) = 0');
  assert.equal(steps('self.items[0].name'), 4);
  assert.equal(steps('has(self.name) && self.name.startsWith("w")'), 1 + 2 + 1);
  // all(): 2 (range) + per item 2 (@not_strictly_false(__result__)) + 1 (__result__) + 2 (i.name) + 0 (!= ''), + 1 (result).
  assert.equal(steps("self.items.all(i, i.name != '')"), 2 + 2 * 5 + 1);
  assert.equal(steps('self.xs.all(a, self.xs.all(b, b >= 0))'), 2 + 300 * (2 + 1 + (2 + 300 * 5 + 1)) + 1);
  // map(): per item 1 (__result__) + 10 + 1 ([x]... here [x * 2]: x 1, * 1) + 1 (list +): the init [] is a folded constant.
  assert.equal(steps('self.xs.map(x, x * 2).size()'), 2 + 300 * (1 + 10 + 2 + 1) + 1 + 1);
});

// What kdry cannot do step for step, it counts more, never less: an arm of && || ?: that is not
// taken is still counted when it costs under 10, and a loop that stops early pays its last step.
test('never fewer than cel-go: a skipped arm and a loop that stops early count a few units more', () => {
  const self = { xs: Array.from({ length: 300 }, (_, i) => BigInt(i)) };
  const steps = (source: string) => cost(source, {}, { self });
  // cel-go: 0 (the constant false, and && stops); kdry also counts the skipped arm's self.xs (2); its calls are not made.
  assert.equal(steps('false && size(self.xs) > 0'), 2);
  // exists() stopping at the 4th item: cel-go 2 + 4 x (3 + 3) + 3 + 1 = 30; kdry charges the last step's 2 too.
  assert.equal(steps('self.xs.exists(x, x == 3)'), 32);
});

test('?: charges only the arm it takes when either arm costs 10 or more: filter() as cel-go counts it', () => {
  const self = { xs: Array.from({ length: 300 }, (_, i) => BigInt(i)) };
  const steps = (source: string) => cost(source, {}, { self });
  // `p ? __result__ + [x] : __result__`: cel-go 2 + 300 x 2 (x > 100) + 199 x 13 + 101 x 1 + 1 (result) + 1 (size)
  // = 3,292 (the init [] is a folded constant). kdry counted the cheap arm on every item too: 3,491.
  assert.equal(steps('self.xs.filter(x, x > 100).size()'), 3292);
  assert.equal(steps('self.xs.filter(x, x > 1000).size()'), 2 + 300 * 2 + 300 * 1 + 1 + 1);
  // The condition `self.xs.size() > 0`: 2 (self.xs) + 1 (size) + 1 (>).
  const condition = 4;
  // Both arms cheap: counted with the expression (the constant arm costs nothing).
  assert.equal(steps('self.xs.size() > 0 ? self.xs.size() : 0'), condition + 3);
  // A list literal in one arm: each arm is charged only when taken.
  assert.equal(steps('self.xs.size() > 0 ? self.xs.size() : [self.xs.size()].size()'), condition + 3);
  assert.equal(steps('self.xs.size() < 0 ? self.xs.size() : [self.xs.size()].size()'), condition + (10 + 3 + 1));
});

test('the per-call limit stops an evaluation as cel-go does: "operation cancelled: actual cost limit exceeded"', () => {
  const program = compileExpression('self.xs.all(a, self.xs.all(b, self.xs.all(c, c >= 0)))');
  assert.ok(!('unsupported' in program));
  const xs = Array.from({ length: 300 }, (_, i) => BigInt(i));
  assert.deepEqual({ ...program.evaluate({ self: { xs } } as never, new CostMeter(PER_CALL_LIMIT)) }, { kind: 'cost', message: 'operation cancelled: actual cost limit exceeded' });
  // A string operation is priced by its size: 40,000 characters matched against a 4-character pattern cost ceil(40,001 x 0.1) x 1.
  assert.equal(cost("s.matches('^a+$')", {}, { s: 'a'.repeat(40_000) }), 1 + 4001);
});

test("format.<name>().validate(s): cost.go prices it as a regex match of the format's MaxRegexSize (format.go), the CRD formats by their libraries' pattern lengths", () => {
  // 1 for format.<name>(), then ceil((1 + |s|) x 0.1) x ceil(MaxRegexSize x 0.25): |s| = 8 -> 1 x ...
  const sizes: [string, number][] = [
    ['dns1123Label', 30],
    ['dns1123Subdomain', 60],
    ['qualifiedName', 60],
    ['labelValue', 40],
    // len(govalidator.URL) at the pinned f61b66f89f4a: 1,103 bytes (kdry charged 512 before, fewer than the API server).
    ['uri', 1103],
    // len(strfmt.UUIDPattern), len(govalidator.Base64), len(strfmt.DateTimePattern).
    ['uuid', 70],
    ['byte', 84],
    ['date', 71],
    ['datetime', 71],
  ];
  for (const [name, size] of sizes) assert.equal(cost(`format.${name}().validate('abcdefgh')`), 1 + Math.ceil(size * 0.25), name);
  // A longer string: ceil((1 + 30) x 0.1) = 4 times the pattern's share.
  assert.equal(cost(`format.uri().validate('${'a'.repeat(30)}')`), 1 + 4 * 276);
});

// interpreter/interpretable.go: evalBinary and evalEq evaluate both operands before they look for an
// error, evalUnary its one, and CostObserver then charges the failed call (costCall) with the error
// among its arguments (actualSize of an error: 1); evalVarArgs stops at the first failed operand and
// its call is charged only when the failed one is the last (dropArgs finds every operand). cel-es
// returns at the first failed operand without calling the function: before, kdry charged neither.
test('a call whose operand fails costs what cel-go charges: the operands after it, and the call on the error', () => {
  const self = { pattern: 'a'.repeat(40), xs: Array.from({ length: 50 }, (_, i) => BigInt(i)) };
  const steps = (source: string) => cost(source, {}, { self });
  // Steps 2 (self.missing) + 2 (self.pattern); lowerAscii ceil(40 x 0.1) = 4; matches(error, 40 chars):
  // ceil((1 + 1) x 0.1) x ceil(40 x 0.25) = 10. Before: 4 (the second operand was not evaluated).
  assert.equal(steps('self.missing.matches(self.pattern.lowerAscii()) || true'), 4 + 4 + 10);
  // `in` with a failed first operand still evaluates and traverses the list: 4 steps + 50 (InList: the list's size).
  assert.equal(steps('self.missing in self.xs || true'), 4 + 50);
  // The second operand fails: matches(40 chars, error) = ceil(41 x 0.1) x ceil(1 x 0.25) = 5.
  assert.equal(steps('self.pattern.matches(self.missing) || true'), 4 + 5);
  // A comprehension in the operand after the failed one runs: 2 (self.xs) + 50 x (2 + 1 + 1 + 1) + 1.
  assert.equal(steps('self.missing == self.xs.all(x, x >= 0) || true'), 2 + (2 + 50 * 5 + 1) + 1);
  // Unary: lowerAscii(error) = ceil(1 x 0.1) = 1, then == (error, 'a') = ceil(min(1, 1) x 0.1) = 1.
  assert.equal(steps("self.missing.lowerAscii() == 'a' || true"), 2 + 1 + 1);
  // Three operands: the last fails, replace is charged ceil(40 x 2 x 0.1) = 8 (cost.go: its receiver's
  // size); the middle fails: not charged, the last not evaluated. `== ''` on the error: ceil(0 x 0.1) = 0.
  assert.equal(steps("self.pattern.replace('a', self.missing) == '' || true"), 4 + 8);
  assert.equal(steps("self.pattern.replace(self.missing, self.pattern.lowerAscii()) == '' || true"), 6);
  // Both operands fail: == on (error, error) = ceil(min(1, 1) x 0.1) = 1; the error is the first one's.
  assert.equal(steps('self.missing == self.other || true'), 4 + 1);
  const program = compileExpression('self.missing == self.other');
  assert.ok(!('unsupported' in program));
  const failed = program.evaluate({ self } as never, new CostMeter(PER_CALL_LIMIT));
  assert.ok(failed.kind !== 'value' && 'message' in failed && /missing/.test(failed.message), JSON.stringify(failed));
  // Only a rule where something failed is evaluated a second time, by the program that charges failed calls.
  const seen = (source: string) => {
    const meter = new CostMeter(PER_CALL_LIMIT);
    (compileExpression(source) as Exclude<ReturnType<typeof compileExpression>, { unsupported: string }>).evaluate({ self } as never, meter);
    return meter.failureSeen;
  };
  assert.equal(seen("self.pattern.matches('^a+$') && self.xs.all(x, x >= 0)"), false);
  assert.equal(seen('self.xs.all(x, x == self.missing || true)'), true);
});
