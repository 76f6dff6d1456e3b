// The CEL conformance vectors of google/cel-spec (v0.25.1, shipped by @bufbuild/cel-spec) run
// through kdry's own CEL environment (server/src/cel/environment.ts: the parser, the optional
// syntax rewrite, the Kubernetes libraries, cost instrumentation, error classification), for the
// suites whose features the Kubernetes base environment has
// (k8s.io/apiserver/pkg/cel/environment/base.go). Every vector runs; the counts are printed.
// A suite or vector is left out only for a reason written below; a known failure must still
// fail (when it passes, take it off the list).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getConformanceSuite, type IncrementalTest, type IncrementalTestSuite } from '@bufbuild/cel-spec/testdata/tests.js';
import { getTestRegistry } from '@bufbuild/cel-spec/testdata/registry.js';
import type { CelInput } from '@bufbuild/cel';
import { compileExpression, CostMeter } from '../../server/src/cel/environment';
import { PER_CALL_LIMIT } from '../../server/src/cel/cost';
import { matches, toInput } from './cel-spec-values';

/** Suites the Kubernetes CEL environment has no use for, and why. */
const SKIPPED_SUITES: Record<string, string> = {
  bindings_ext: 'cel.bind (ext.Bindings) is not in the Kubernetes base environment',
  block_ext: 'cel.block is an optimizer-internal form, not in the Kubernetes base environment',
  encoders_ext: 'base64 encoders (ext.Encoders) are not in the Kubernetes base environment',
  math_ext: 'math.* (ext.Math) is not in the Kubernetes base environment',
  enums: 'protobuf enums: validation rules see JSON values (UnstructuredToVal), never protobuf messages',
  proto2: 'protobuf messages: validation rules see JSON values (UnstructuredToVal)',
  proto3: 'protobuf messages: validation rules see JSON values (UnstructuredToVal)',
  proto2_ext: 'protobuf extensions: validation rules see JSON values (UnstructuredToVal)',
  wrappers: 'protobuf wrapper types: validation rules see JSON values (UnstructuredToVal)',
  dynamic: 'protobuf messages and google.protobuf.Value/Struct: validation rules see JSON values (UnstructuredToVal)',
  namespace: 'expression containers (qualified names resolved in a package): Kubernetes rules have none',
  type_deductions: 'static types deduced by the type checker: kdry evaluates without type-checking',
  unknowns: 'partial evaluation with unknown values: the API server evaluates complete objects',
};

/**
 * Vectors kdry's environment gets wrong, by `suite/section/name`, and why. Each must still fail:
 * the test below says when one starts to pass.
 */
const KNOWN_FAILURES: Record<string, string> = {
  'basic/functions/unbound': 'a function kdry does not know makes the rule "not evaluated" (information), by design never the user\'s error; the API server rejects such a rule when the CRD is created',
  'fields/qualified_identifier_resolution/map_value_repeat_key_heterogeneous': '@bufbuild/cel keeps 0 and 0u apart as keys of a map literal; cel-go reports the repeated key',
  'optionals/optionals/type': 'kdry carries an optional as a tagged map, so type() says map and optional_type is no type name',
};

type Outcome = { kind: 'pass' } | { kind: 'fail'; detail: string } | { kind: 'skip'; reason: string };

/** Why a single vector is not run, or undefined when it is. */
function skipReason(t: IncrementalTest): string | undefined {
  const o = t.original;
  if (o.checkOnly) return 'type-check only';
  if (o.disableMacros) return 'macros disabled: the API server always parses with them';
  if (o.container) return 'an expression container: Kubernetes rules have none';
  if (/\bTestAllTypes\b|\bgoogle\.protobuf\./.test(o.expr)) return 'a protobuf message: validation rules see JSON values (UnstructuredToVal)';
  const matcher = o.resultMatcher.case;
  if (matcher === 'unknown' || matcher === 'anyUnknowns') return 'unknown values (partial evaluation)';
  return undefined;
}

const registry = getTestRegistry();

function run(t: IncrementalTest): Outcome {
  const o = t.original;
  const program = compileExpression(o.expr);
  const expectsError = o.resultMatcher.case === 'evalError' || o.resultMatcher.case === 'anyEvalErrors';
  if ('unsupported' in program) return expectsError ? { kind: 'pass' } : { kind: 'fail', detail: program.unsupported };
  const bindings: Record<string, CelInput> = {};
  for (const [name, value] of Object.entries(o.bindings)) {
    if (value.kind.case !== 'value') return { kind: 'skip', reason: `a binding of kind ${value.kind.case}` };
    bindings[name] = toInput(value.kind.value, registry);
  }
  const result = program.evaluate(bindings, new CostMeter(PER_CALL_LIMIT));
  if (expectsError) {
    // kdry's own gaps (a function it lacks) are not the error the vector expects.
    if (result.kind === 'unsupported' && /^kdry does not implement/.test(result.reason)) return { kind: 'fail', detail: result.reason };
    return result.kind === 'value' ? { kind: 'fail', detail: `expected an error, got ${show(result.value)}` } : { kind: 'pass' };
  }
  if (result.kind !== 'value') return { kind: 'fail', detail: `${result.kind}: ${'message' in result ? result.message : result.reason}` };
  // simple.proto: with no result matcher, the expected result is true.
  if (o.resultMatcher.case === undefined) return result.value === true ? { kind: 'pass' } : { kind: 'fail', detail: `expected true, got ${show(result.value)}` };
  const expected = o.resultMatcher.case === 'typedResult' ? o.resultMatcher.value.result : o.resultMatcher.case === 'value' ? o.resultMatcher.value : undefined;
  if (!expected) return { kind: 'skip', reason: 'no expected value' };
  return matches(result.value, expected, registry) ? { kind: 'pass' } : { kind: 'fail', detail: `got ${show(result.value)}` };
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? Object.fromEntries(v) : v));
  } catch {
    return String(value);
  }
}

function* vectors(suite: IncrementalTestSuite, prefix: string): Generator<[string, IncrementalTest]> {
  for (const t of suite.tests) yield [`${prefix}/${t.name}`, t];
  for (const child of suite.suites) yield* vectors(child, `${prefix}/${child.name}`);
}

const root = getConformanceSuite();

test('the skip list names suites the conformance data has', () => {
  const names = new Set(root.suites.map((s) => s.name));
  for (const name of Object.keys(SKIPPED_SUITES)) assert.ok(names.has(name), `${name} is no suite of the conformance data`);
});

test('CEL conformance vectors through kdry\'s environment: the suites the Kubernetes environment has pass, but for the known failures', (t) => {
  const counts = { pass: 0, fail: 0, skip: 0, known: 0 };
  const perSuite: string[] = [];
  const unexpected: string[] = [];
  const nowPassing: string[] = [];
  for (const suite of root.suites) {
    if (Object.hasOwn(SKIPPED_SUITES, suite.name)) {
      const n = [...vectors(suite, suite.name)].length;
      counts.skip += n;
      perSuite.push(`${suite.name}: ${n} skipped (${SKIPPED_SUITES[suite.name]})`);
      continue;
    }
    const local = { pass: 0, fail: 0, skip: 0 };
    const reasons = new Map<string, number>();
    for (const [id, vector] of vectors(suite, suite.name)) {
      const reason = skipReason(vector);
      const outcome: Outcome = reason ? { kind: 'skip', reason } : run(vector);
      local[outcome.kind]++;
      if (outcome.kind === 'skip') reasons.set(outcome.reason, (reasons.get(outcome.reason) ?? 0) + 1);
      counts[outcome.kind]++;
      const known = Object.hasOwn(KNOWN_FAILURES, id);
      if (outcome.kind === 'fail' && known) counts.known++;
      else if (outcome.kind === 'fail') unexpected.push(`${id}: ${vector.original.expr} -> ${outcome.detail}`);
      else if (outcome.kind === 'pass' && known) nowPassing.push(id);
    }
    const why = [...reasons].map(([reason, n]) => `${n}: ${reason}`).join('; ');
    perSuite.push(`${suite.name}: ${local.pass} passed, ${local.fail} failed, ${local.skip} skipped${why ? ` (${why})` : ''}`);
  }
  for (const line of perSuite) t.diagnostic(line);
  t.diagnostic(`total: ${counts.pass} passed, ${counts.fail} failed (${counts.known} known), ${counts.skip} skipped`);
  assert.deepEqual(nowPassing, [], 'known failures that pass now: take them off KNOWN_FAILURES');
  assert.deepEqual(unexpected, [], `${unexpected.length} vectors fail`);
});
