// Evaluates x-kubernetes-validations at every node that has them, as the API server's CEL
// validator does for a create (apiextensions-apiserver pkg/apiserver/schema/cel/validation.go,
// validateExpressions): `self` is the node's value, a failed rule reports `message`,
// `messageExpression` or "failed rule: <rule>" at `fieldPath` with its `reason`. Transition rules
// (they read oldSelf) only run on updates, so a new object does not run them, unless the rule
// sets optionalOldSelf: then it runs with oldSelf = optional.none() (validationActivationWithOldSelf),
// when CRD validation ratcheting is on in the release in force (CRDValidationRatcheting: alpha and
// off by default in 1.28 and 1.29, on from 1.30). With it off, the API server drops optionalOldSelf
// from the CRD (the field is gated), so the rule is an ordinary transition rule.
import type { CelInput } from '@bufbuild/cel';
import type { CompiledExpression, Evaluation } from '../cel/environment';
import { celLibrary } from '../cel/on-demand';
import { celEnvironment, type CelEnvironment } from '../cel/release-environment';
import { declTypeOf } from '../cel/decl-type';
import type { ObjectPath } from '../manifest';
import type { Violation } from './field-error';
import type { StructuralSchema, ValidationRule } from '../k8s/structural-schema';
import type { RuleSite } from './validate';

/** A rule kdry did not evaluate, and why (reported once per rule as information). */
export interface SkippedRule {
  path: ObjectPath;
  rule: string;
  reason: string;
}

export interface RulesResult {
  violations: Violation[];
  skipped: SkippedRule[];
}

/** apiextensions-apiserver celconfig.MaxEvaluatedMessageExpressionSizeBytes. */
const MAX_MESSAGE_BYTES = 5 * 1024;

export interface RuleOptions {
  /** CRDValidationRatcheting is on (the default: the newest releases). */
  ratcheting?: boolean;
  /** The release in force: a stored CRD's rules compile in its StoredExpressions environment (cel/release-environment.ts); every library kdry has when absent. */
  release?: string;
}

/** A site's outcome key not yet computed (outcomeKey's undefined is an answer: not remembered). */
const NOT_KEYED: unique symbol = Symbol('not keyed');

export function evaluateRules(sites: readonly RuleSite[], options: RuleOptions = {}): RulesResult {
  const ratcheting = options.ratcheting ?? true;
  const out: RulesResult = { violations: [], skipped: [] };
  if (!sites.some((site) => site.schema['x-kubernetes-validations']?.length)) return out;
  const { CostMeter, PER_CALL_LIMIT, RUNTIME_COST_BUDGET, optionalNone, toCel } = celLibrary();
  const env = options.release === undefined ? undefined : celEnvironment(options.release, 'stored');
  let budget = RUNTIME_COST_BUDGET;
  for (const site of sites) {
    let converted: CelInput | undefined;
    const self = () => (converted ??= toCel(site.value, site.schema));
    let key: string | undefined | typeof NOT_KEYED = NOT_KEYED;
    for (const prepared of preparedRules(site, env, ratcheting)) {
      const { rule } = prepared;
      if (prepared.kind === 'does-not-compile') {
        out.violations.push({ type: 'Invalid', path: site.path, value: type(site.schema), detail: `rule compile error: compilation failed: ${prepared.display}`, rule: rule.rule, ruleDoesNotCompile: true });
        continue;
      }
      if (prepared.kind === 'skipped') {
        out.skipped.push({ path: site.path, rule: rule.rule, reason: prepared.reason });
        continue;
      }
      const { program, optionalOldSelf } = prepared;
      const limit = Math.min(PER_CALL_LIMIT, budget);
      // A create has no old object: an optionalOldSelf rule sees oldSelf as optional.none().
      const run = () => {
        const meter = new CostMeter(limit);
        return { result: program.evaluate(optionalOldSelf ? { self: self(), oldSelf: optionalNone() } : { self: self() }, meter), spent: meter.spent };
      };
      const { result, spent } = outcomeOf(prepared.outcomes, site, limit, () => {
        if (key === NOT_KEYED) key = outcomeKey(site);
        return key === undefined ? run() : remembered(prepared.outcomes, key, limit, run);
      });
      budget -= spent;
      const where = type(site.schema);
      if (result.kind === 'unsupported') {
        out.skipped.push({ path: site.path, rule: rule.rule, reason: result.reason });
      } else if (result.kind === 'cost') {
        const detail = budget <= 0 ? 'validation failed due to running out of cost budget, no further validation rules will be run' : `'${result.message}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(rule)}`;
        out.violations.push({ type: 'Invalid', path: site.path, value: where, detail, rule: rule.rule });
        return out;
      } else if (result.kind === 'error') {
        out.violations.push({ type: 'Invalid', path: site.path, value: where, detail: `${result.message} evaluating rule: ${ruleErrorString(rule)}`, rule: rule.rule });
      } else if (result.value !== true) {
        out.violations.push(failure(site, rule, self(), where, budget, env));
      }
      if (budget <= 0) return out;
    }
  }
  return out;
}

/** What a schema node's rule is before any value: compiled to run, refused by the API server, or not run by kdry. */
type PreparedRule =
  | { kind: 'run'; rule: ValidationRule; program: CompiledExpression; optionalOldSelf: boolean; outcomes: Outcomes }
  | { kind: 'does-not-compile'; rule: ValidationRule; display: string }
  | { kind: 'skipped'; rule: ValidationRule; reason: string };

/**
 * The node's rules, prepared once per schema node, release and ratcheting setting (a CRD change
 * makes new nodes): typing in a custom resource reaches the same nodes on every keystroke, a
 * list's item node once per item.
 */
const preparedByNode = new WeakMap<StructuralSchema, Map<string, PreparedRule[]>>();

function preparedRules(site: RuleSite, env: CelEnvironment | undefined, ratcheting: boolean): PreparedRule[] {
  const isResourceRoot = site.path.length === 0 || site.schema['x-kubernetes-embedded-resource'] === true;
  const key = `${env?.key ?? ''}/${ratcheting ? 1 : 0}/${isResourceRoot ? 1 : 0}`;
  let byKey = preparedByNode.get(site.schema);
  if (!byKey) preparedByNode.set(site.schema, (byKey = new Map()));
  let rules = byKey.get(key);
  if (!rules) {
    rules = (site.schema['x-kubernetes-validations'] ?? []).filter((rule) => typeof rule?.rule === 'string' && rule.rule.trim() !== '').map((rule) => prepare(rule, site.schema, isResourceRoot, env, ratcheting));
    byKey.set(key, rules);
  }
  return rules;
}

function prepare(rule: ValidationRule, schema: StructuralSchema, isResourceRoot: boolean, env: CelEnvironment | undefined, ratcheting: boolean): PreparedRule {
  const display = storedCompileError(rule, schema, isResourceRoot, env);
  if (display) return { kind: 'does-not-compile', rule, display };
  const program = celLibrary().compileExpression(rule.rule, env);
  if ('unsupported' in program) return { kind: 'skipped', rule, reason: program.unsupported };
  const optionalOldSelf = rule.optionalOldSelf === true && ratcheting;
  if (program.identifiers.has('oldSelf') && !optionalOldSelf) {
    const reason = rule.optionalOldSelf === true
      ? 'it is a transition rule (oldSelf): optionalOldSelf needs CRD validation ratcheting (CRDValidationRatcheting, on by default from Kubernetes 1.30), so in the release in force the API server drops it and runs the rule only when an existing object is updated'
      : 'it is a transition rule (oldSelf): the API server runs it only when an existing object is updated';
    return { kind: 'skipped', rule, reason };
  }
  return { kind: 'run', rule, program, optionalOldSelf, outcomes: { byObject: new WeakMap(), byValue: new Map(), keyChars: 0 } };
}

/**
 * cel-go's compile errors for a rule the stored CRD holds, when its own parser or validators refuse
 * it (a macro it cannot expand, a bad duration, timestamp or regex literal, a mixed list or map
 * literal): the API server compiles a stored CRD's rules in the StoredExpressions environment of
 * its release (apiextensions-apiserver schema/cel/validation.go validator: Compile with
 * StoredExpressionsEnvLoader; compilation.go compileRule: "compilation failed: " + issues.String()),
 * and validateExpressions rejects every custom resource that reaches a rule that failed with
 * field.Invalid(fldPath, sts.Type, "rule compile error: " + the error), then runs the next rule.
 * Such a CRD exists: a 1.29 API server creates CRDs in the 1.28 environment, which has no literal
 * validators (release-environment.ts), and a CRD stored by an older release stays. Undeclared
 * functions are not reported here: kdry notes those rules as not run (its libraries may lag).
 */
function storedCompileError(rule: ValidationRule, schema: StructuralSchema, isResourceRoot: boolean, env: CelEnvironment | undefined): string | undefined {
  const analysis = celLibrary().analyseExpression(rule.rule, declTypeOf(schema, isResourceRoot), rule.optionalOldSelf === true, env);
  return analysis.refusedBy && analysis.errorDisplay ? analysis.errorDisplay : undefined;
}

/**
 * Outcomes of a rule on a value, per schema node and rule: typing in a custom resource re-parses
 * it, but most of its nodes hold the same values, and a rule's outcome and cost depend on nothing
 * else (a create: no old object). A remembered outcome is used only within the cost limit it was
 * reached under; a rule that ran out of cost is always run again. Not remembered (outcomeKey): the
 * rules of the object itself, of its top-level fields (`spec`, `status`) and of an embedded
 * resource, whose value changes with every keystroke below them, and of a value whose JSON passes
 * 16 K characters: its key would cost more than the rule. The table is emptied past 5,000 values or
 * 4 M characters of keys (keys are at most 16 K characters each).
 */
interface Outcomes {
  /**
   * By the value object itself: a keystroke patched into a large resource (manifest/incremental.ts,
   * defaults.ts) leaves every other subtree the same object, so no key is built for those.
   */
  byObject: WeakMap<object, { result: Evaluation; spent: number }>;
  byValue: Map<string, { result: Evaluation; spent: number }>;
  keyChars: number;
}

/** The outcome on a collection already judged as this very object, else `compute`'s (remembered for the object). */
function outcomeOf(table: Outcomes, site: RuleSite, limit: number, compute: () => { result: Evaluation; spent: number }): { result: Evaluation; spent: number } {
  const value = site.value;
  if (value === null || typeof value !== 'object') return compute();
  const hit = table.byObject.get(value);
  if (hit && hit.spent <= limit) return hit;
  const fresh = compute();
  if (fresh.result.kind !== 'cost') table.byObject.set(value, fresh);
  return fresh;
}
const MAX_OUTCOMES_PER_RULE = 5000;
const MAX_OUTCOME_KEY_CHARS = 4_000_000;

function remembered(table: Outcomes, valueKey: string, limit: number, run: () => { result: Evaluation; spent: number }): { result: Evaluation; spent: number } {
  const hit = table.byValue.get(valueKey);
  if (hit && hit.spent <= limit) return hit;
  const fresh = run();
  if (fresh.result.kind !== 'cost') {
    if (table.byValue.size >= MAX_OUTCOMES_PER_RULE || table.keyChars + valueKey.length > MAX_OUTCOME_KEY_CHARS) {
      table.byValue.clear();
      table.keyChars = 0;
    }
    table.byValue.set(valueKey, fresh);
    table.keyChars += valueKey.length;
  }
  return fresh;
}

/** A value's outcome is remembered only when its JSON is at most this many characters. */
const MAX_KEY_CHARS = 16_384;

/**
 * The key an outcome on the site's value is remembered under, or undefined when running the rule is
 * cheaper: at the object, a top-level field or an embedded resource (a Crossplane managed resource's
 * rules on `spec` see a value that every keystroke in it changes), or a value too large to key.
 */
export function outcomeKey(site: RuleSite): string | undefined {
  if (site.path.length <= 1 || site.schema['x-kubernetes-embedded-resource'] === true) return undefined;
  return withinChars(site.value, MAX_KEY_CHARS) ? valueKey(site.value) : undefined;
}

/** Whether the value's JSON is about `budget` characters or fewer, reading no more of it than that. */
function withinChars(value: unknown, budget: number): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    budget -= typeof v === 'string' ? v.length + 2 : 8;
    if (budget < 0) return false;
    if (Array.isArray(v)) {
      if (v.length > budget) return false;
      for (const item of v) pending.push(item);
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) {
        budget -= k.length + 4;
        if (budget < 0) return false;
        pending.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return true;
}

/** The value as a key: JSON, with the numbers JSON cannot write (.inf, .nan) spelt out. */
function valueKey(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? `\u0000${v}` : v)) ?? 'undefined';
}

function failure(site: RuleSite, rule: ValidationRule, self: CelInput, where: string, budget: number, env: CelEnvironment | undefined): Violation {
  const message = (rule.messageExpression && evaluateMessage(rule.messageExpression, self, budget, env)) || ruleMessageOrDefault(rule);
  const path = [...site.path, ...parseFieldPath(rule.fieldPath)];
  switch (rule.reason) {
    case 'FieldValueForbidden':
      return { type: 'Forbidden', path, detail: message, rule: rule.rule };
    case 'FieldValueRequired':
      return { type: 'Required', path, detail: message, rule: rule.rule };
    case 'FieldValueDuplicate':
      return { type: 'Duplicate', path, value: where, detail: message, rule: rule.rule };
    default:
      return { type: 'Invalid', path, value: where, detail: message, rule: rule.rule };
  }
}

/** A messageExpression's text, or undefined (the API server then falls back to message). */
function evaluateMessage(source: string, self: CelInput, budget: number, env: CelEnvironment | undefined): string | undefined {
  const { compileExpression, CostMeter, PER_CALL_LIMIT } = celLibrary();
  const program = compileExpression(source, env);
  if ('unsupported' in program) return undefined;
  const result: Evaluation = program.evaluate({ self }, new CostMeter(Math.min(PER_CALL_LIMIT, budget)));
  if (result.kind !== 'value' || typeof result.value !== 'string') return undefined;
  const text = result.value.trim();
  return text && !text.includes('\n') && Buffer.byteLength(text) <= MAX_MESSAGE_BYTES ? text : undefined;
}

function ruleMessageOrDefault(rule: ValidationRule): string {
  return rule.message?.trim() ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`;
}

function ruleErrorString(rule: ValidationRule): string {
  return rule.message?.trim() ? rule.message.trim() : rule.rule.trim();
}

/** The schema type the API server prints as the "value" of a rule error (sts.Type()). */
function type(schema: StructuralSchema): string {
  return schema.type ?? (schema['x-kubernetes-int-or-string'] ? 'integer-or-string' : 'object');
}

/**
 * A rule's fieldPath, relative to the node: `.spec.replicas`, `.labels['app.kubernetes.io/name']`,
 * `.ports[0]`. Unparseable text yields the node itself.
 */
export function parseFieldPath(fieldPath: string | undefined): ObjectPath {
  if (!fieldPath) return [];
  const path: ObjectPath = [];
  const segment = /\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]/y;
  let at = 0;
  while (at < fieldPath.length) {
    segment.lastIndex = at;
    const m = segment.exec(fieldPath);
    if (!m) return [];
    path.push(m[4] !== undefined ? Number(m[4]) : (m[1] ?? m[2] ?? m[3]).replace(/\\(.)/g, '$1'));
    at = segment.lastIndex;
  }
  return path;
}
