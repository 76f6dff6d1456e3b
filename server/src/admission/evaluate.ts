// What admission says about a document when it is created: every ValidatingAdmissionPolicy of the
// workspace whose binding matches it (k8s.io/apiserver/pkg/admission/plugin/policy/matching and
// validating/dispatcher.go), with its variables, matchConditions and validations evaluated in CEL.
// Only what the workspace can tell: a namespaceSelector needs the Namespace document, and a policy
// with parameters needs the parameter object, else the policy is noted, not guessed.
import type { CelInput } from '@bufbuild/cel';
import type { Evaluation } from '../cel/environment';
import { celLibrary } from '../cel/on-demand';
import { celEnvironment, type CelEnvironment } from '../cel/release-environment';
import { labelSelectorMatches, type LabelSelector } from '../k8s/labels';
import { isRecord, type ManifestDocument } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import { policyPairs, type MatchResources, type PolicyPair, type ResourceRule } from './policies';

/** An expression's outcome; `compile`: the API server does not compile it (its words in `message`). */
type Outcome = Evaluation | { kind: 'compile'; message: string };

export interface AdmissionResult {
  pair: PolicyPair;
  /** Deny -> error, Warn -> warning, Audit only -> info. */
  action: 'Deny' | 'Warn' | 'Audit';
  /** As the API server words it. */
  message: string;
}

export interface AdmissionNote {
  pair: PolicyPair;
  reason: string;
}

/** The plural resource name (meta.UnsafeGuessKindToResource): Ingress -> ingresses, Policy -> policies. */
export function guessResource(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function ruleMatches(rule: ResourceRule, group: string, version: string, resource: string): boolean {
  const has = (list: string[], v: string) => list.includes('*') || list.includes(v);
  return has(rule.apiGroups, group) && has(rule.apiVersions, version) && has(rule.resources, resource) && (rule.operations.length === 0 || has(rule.operations, 'CREATE'));
}

type Match = 'yes' | 'no' | { unknown: string };

function matches(m: MatchResources | undefined, doc: ManifestDocument, workspace: WorkspaceIndex, gvr: { group: string; version: string; resource: string }): Match {
  if (!m) return 'yes';
  if (!m.resourceRules.some((r) => ruleMatches(r, gvr.group, gvr.version, gvr.resource))) return 'no';
  if (m.excludeResourceRules.some((r) => ruleMatches(r, gvr.group, gvr.version, gvr.resource))) return 'no';
  const labels = labelsOf(doc.value);
  if (m.objectSelector && !labelSelectorMatches(m.objectSelector, labels)) return 'no';
  if (m.namespaceSelector && !isEmptySelector(m.namespaceSelector) && doc.namespace !== undefined) {
    const namespace = namespaceDocument(workspace, doc.namespace);
    if (!namespace) return { unknown: `its namespaceSelector needs the labels of namespace "${doc.namespace}", which no Namespace document in the workspace gives` };
    if (!labelSelectorMatches(m.namespaceSelector, labelsOf(namespace.value))) return 'no';
  }
  return 'yes';
}

function isEmptySelector(s: LabelSelector): boolean {
  return !Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length;
}

function labelsOf(value: unknown): Record<string, string> {
  const metadata = isRecord(value) ? value.metadata : undefined;
  return isRecord(metadata) && isRecord(metadata.labels) ? (metadata.labels as Record<string, string>) : {};
}

function namespaceDocument(workspace: WorkspaceIndex, name: string): ManifestDocument | undefined {
  for (const { doc } of workspace.documents('Namespace')) if (doc.apiVersion === 'v1' && doc.name === name) return doc;
  return undefined;
}

/** The parameter object of `paramKind` named `name`, in `namespace` (both unset: kubectl's namespace, or cluster-scoped). */
function paramDocument(workspace: WorkspaceIndex, paramKind: { apiVersion: string; kind: string }, name: string, namespace: string | undefined): ManifestDocument | undefined {
  for (const { doc } of workspace.documents(paramKind.kind)) if (doc.apiVersion === paramKind.apiVersion && doc.name === name && doc.namespace === namespace && isRecord(doc.value)) return doc;
  return undefined;
}

/** Whether objects of `apiVersion`/`kind` live in a namespace; undefined when the caller cannot tell. */
export type KindNamespaced = (apiVersion: string, kind: string) => boolean | undefined;

/**
 * The namespace generic/policy_dispatcher.go CollectParams reads the parameter object in (undefined:
 * cluster-wide), or its configuration error: a namespaced paramKind reads paramRef.namespace, else
 * the request's, and neither is an error; a cluster-scoped one reads no namespace, and setting
 * paramRef.namespace for it is an error. A paramKind whose scope kdry cannot tell reads
 * paramRef.namespace, else the document's.
 */
function paramNamespace(namespaced: boolean | undefined, paramRef: { namespace?: string }, doc: ManifestDocument, docNamespaced: boolean | undefined): { namespace: string | undefined } | { error: string } {
  if (namespaced === false) return paramRef.namespace ? { error: 'paramRef.namespace must not be provided for a cluster-scoped `paramKind`' } : { namespace: undefined };
  const namespace = paramRef.namespace || doc.namespace;
  if (namespaced && !namespace && docNamespaced === false) return { error: 'cannot use namespaced paramRef in policy binding that matches cluster-scoped resources' };
  return { namespace };
}

/**
 * `release`: the release in force, whose StoredExpressions environment compiles the policies'
 * expressions (cel/release-environment.ts); every library kdry has when absent. `namespaced`: the
 * scope of a kind (a paramKind's, the document's), from the release's API and the workspace's CRDs.
 */
export function admissionResults(doc: ManifestDocument, workspace: WorkspaceIndex, plural?: string, release?: string, namespaced: KindNamespaced = () => undefined): { results: AdmissionResult[]; notes: AdmissionNote[] } {
  const out = { results: [] as AdmissionResult[], notes: [] as AdmissionNote[] };
  if (!doc.apiVersion || !doc.kind || !isRecord(doc.value)) return out;
  const pairs = policyPairs(workspace);
  if (pairs.length === 0) return out;
  const slash = doc.apiVersion.indexOf('/');
  const gvr = { group: slash < 0 ? '' : doc.apiVersion.slice(0, slash), version: doc.apiVersion.slice(slash + 1), resource: plural ?? guessResource(doc.kind) };
  for (const pair of pairs) {
    const match = [matches(pair.policy.matchConstraints, doc, workspace, gvr), matches(pair.binding.matchResources, doc, workspace, gvr)];
    if (match.includes('no')) continue;
    const unknown = match.find((m): m is { unknown: string } => typeof m === 'object');
    if (unknown) {
      out.notes.push({ pair, reason: unknown.unknown });
      continue;
    }
    // generic/policy_dispatcher.go CollectParams: without paramKind a paramRef is ignored, and a binding
    // without paramRef validates with null params; with both, the object paramRef names, which kdry
    // takes from the workspace when it is there (a selector's objects only the cluster can tell).
    let params: CelInput = null;
    const { paramKind } = pair.policy;
    const { paramRef } = pair.binding;
    if (paramKind && paramRef) {
      const where = paramNamespace(namespaced(paramKind.apiVersion, paramKind.kind), paramRef, doc, namespaced(doc.apiVersion, doc.kind));
      if ('error' in where) {
        // validating/dispatcher.go addConfigError: a denial under Fail whatever the validationActions, nothing under Ignore.
        if (pair.policy.failurePolicy === 'Fail') out.results.push({ pair, action: 'Deny', message: `ValidatingAdmissionPolicy '${pair.policy.name}' with binding '${pair.binding.name}' denied request: failed to configure binding: ${where.error}` });
        continue;
      }
      const param = paramRef.name === undefined ? undefined : paramDocument(workspace, paramKind, paramRef.name, where.namespace);
      if (!param) {
        out.notes.push({ pair, reason: `it reads parameters (paramKind/paramRef) from an object in the cluster${paramRef.name === undefined ? '' : `: no ${paramKind.kind} "${paramRef.name}" in the workspace gives them`}` });
        continue;
      }
      params = paramsOf(param.value);
    }
    evaluatePair(pair, doc, gvr, params, out, release === undefined ? undefined : celEnvironment(release, 'stored'));
  }
  return out;
}

/** A param document's value as CEL, by its value object: converted once, not on every keystroke in another document. */
const convertedParams = new WeakMap<object, CelInput>();

function paramsOf(value: unknown): CelInput {
  if (typeof value !== 'object' || value === null) return celLibrary().toCel(value);
  let hit = convertedParams.get(value);
  if (hit === undefined) {
    hit = celLibrary().toCel(value);
    convertedParams.set(value, hit);
  }
  return hit;
}

/** An expression compileExpression refuses: cel-go's compile error for it (null: none), by environment and source text. */
const compileErrors = new Map<string, string | null>();
const MAX_COMPILE_ERRORS = 5000;

function evaluatePair(pair: PolicyPair, doc: ManifestDocument, gvr: { group: string; version: string; resource: string }, params: CelInput, out: { results: AdmissionResult[]; notes: AdmissionNote[] }, env: CelEnvironment | undefined): void {
  const { policy, binding } = pair;
  const { analyseExpression, compileExpression, CostMeter, PER_CALL_LIMIT, toCel } = celLibrary();
  const variables = new Map<string, CelInput>();
  const request = new Map<string, CelInput>([
    ['operation', 'CREATE'],
    ['kind', new Map([['group', gvr.group], ['version', gvr.version], ['kind', doc.kind!]])],
    ['resource', new Map([['group', gvr.group], ['version', gvr.version], ['resource', gvr.resource]])],
    ['name', doc.name ?? ''],
    ['namespace', doc.namespace ?? ''],
    ['dryRun', false],
  ]);
  const bindings: Record<string, CelInput> = { object: toCel(doc.value), oldObject: null, request, params, variables };
  const run = (expression: string): Outcome => {
    const program = compileExpression(expression, env);
    if (!('unsupported' in program)) return program.evaluate(bindings, new CostMeter(PER_CALL_LIMIT));
    // A syntax error or a macro cel-go cannot expand, in cel-go's words: the API server's compile error,
    // which cel/activation.go Evaluate words "compilation error: <compile.go's "compilation failed: " + issues>".
    // Other refusals (type errors, functions kdry lacks) depend on declarations kdry does not model: noted.
    const key = `${env?.key}\0${expression}`;
    let message = compileErrors.get(key);
    if (message === undefined) {
      const analysis = analyseExpression(expression, undefined, false, env);
      message = analysis.syntaxErrorWording === 'cel-go' && analysis.errorDisplay ? `compilation error: compilation failed: ${analysis.errorDisplay}` : null;
      if (compileErrors.size >= MAX_COMPILE_ERRORS) compileErrors.clear();
      compileErrors.set(key, message);
    }
    if (message !== null) return { kind: 'compile', message };
    return { kind: 'unsupported', reason: program.unsupported };
  };
  // cel/activation.go Evaluate: a compile error is itself; an evaluation error (the cost limit's too) names the expression.
  const errorOf = (expression: string, r: Exclude<Outcome, { kind: 'value' | 'unsupported' }>): string => (r.kind === 'compile' ? r.message : `expression '${expression}' resulted in error: ${r.message}`);
  const skip = (reason: string): void => {
    out.notes.push({ pair, reason });
  };
  // webhook/matchconditions/matcher.go Match: every condition runs; one false means no match whatever
  // the errors; else errors decide by failurePolicy: Fail denies with their aggregate, Ignore skips.
  const conditionErrors: string[] = [];
  let unsupported: string | undefined;
  for (const condition of policy.matchConditions) {
    const r = run(condition.expression);
    if (r.kind === 'value' && r.value === false) return;
    if (r.kind === 'unsupported') unsupported ??= `its matchCondition "${condition.name}" could not be evaluated (${r.reason})`;
    else if (r.kind !== 'value') conditionErrors.push(errorOf(condition.expression, r));
  }
  if (unsupported) return skip(unsupported);
  const actions = binding.validationActions.filter((a): a is 'Deny' | 'Warn' | 'Audit' => a === 'Deny' || a === 'Warn' || a === 'Audit');
  const action = actions.includes('Deny') ? 'Deny' : actions.includes('Warn') ? 'Warn' : actions.includes('Audit') ? 'Audit' : undefined;
  if (!action) return;
  const deny = (detail: string): void => {
    const message =
      action === 'Deny'
        ? `ValidatingAdmissionPolicy '${policy.name}' with binding '${binding.name}' denied request: ${detail}`
        : `Validation failed for ValidatingAdmissionPolicy '${policy.name}' with binding '${binding.name}': ${detail}`;
    out.results.push({ pair, action, message });
  };
  if (conditionErrors.length) {
    // utilerrors aggregate.Error (apimachinery/pkg/util/errors/errors.go): repeated messages once; one
    // distinct message is itself, more are "[e1, e2]".
    const distinct = [...new Set(conditionErrors)];
    if (policy.failurePolicy === 'Fail') deny(distinct.length === 1 ? distinct[0] : `[${distinct.join(', ')}]`);
    return;
  }
  for (const variable of policy.variables) {
    const r = run(variable.expression);
    if (r.kind === 'unsupported' || r.kind === 'compile') return skip(`its variable "${variable.name}" could not be evaluated (${r.kind === 'compile' ? r.message : r.reason})`);
    if (r.kind === 'value') variables.set(variable.name, r.value as CelInput);
  }
  for (const validation of policy.validations) {
    const r = run(validation.expression);
    if (r.kind === 'unsupported') {
      skip(`the expression \`${validation.expression}\` could not be evaluated (${r.reason})`);
      continue;
    }
    // validating/validator.go Validate: an evaluation error (the cost limit's too) is a Deny decision
    // under failurePolicy Fail, admitted under Ignore; a false validation is a Deny either way.
    if (r.kind === 'error' || r.kind === 'cost' || r.kind === 'compile') {
      if (policy.failurePolicy === 'Fail') deny(errorOf(validation.expression, r));
    } else if (r.value !== true) deny(messageOf(validation, run));
  }
}

/** message, else messageExpression's string, else "failed expression: <expression>" (validating/validator.go). */
function messageOf(validation: { expression: string; message?: string; messageExpression?: string }, run: (e: string) => Outcome): string {
  if (validation.messageExpression) {
    const r = run(validation.messageExpression);
    if (r.kind === 'value' && typeof r.value === 'string' && r.value.trim() && !r.value.includes('\n')) return r.value.trim();
  }
  return validation.message?.trim() || `failed expression: ${validation.expression.trim()}`;
}
