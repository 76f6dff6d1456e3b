// Node selection as component-helpers/scheduling/corev1/nodeaffinity evaluates it:
// nodeSelector (every pair must match) AND required node affinity (terms ORed; inside a term
// matchExpressions and matchFields are ANDed; an empty term or one with an invalid requirement
// matches nothing). Gt/Lt compare the label and the value as base-10 int64.
import type { SimNode } from '../types';
import { requirementMatches } from '../../k8s/labels';
import { asArray, asRecord, asRecords, asString, asStringMap, dig } from './spec';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

const INT64 = /^[+-]?\d+$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** validation.IsQualifiedName: `[prefix/]name`, prefix a DNS subdomain, name at most 63 characters. */
function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && (parts[0].length === 0 || parts[0].length > 253 || !DNS1123_SUBDOMAIN.test(parts[0]))) return false;
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

/** validation.IsValidLabelValue: empty, or at most 63 alphanumerics with `-_.` inside. */
function isValidLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

const validity = new WeakMap<NodeSelectorRequirement, boolean>();

/** labels.NewRequirement validation (memoised per requirement: terms are evaluated against every node). */
function requirementIsValid(req: NodeSelectorRequirement): boolean {
  let valid = validity.get(req);
  if (valid === undefined) validity.set(req, (valid = validateRequirement(req)));
  return valid;
}

/** A requirement that fails validation makes its term match nothing. */
function validateRequirement(req: NodeSelectorRequirement): boolean {
  const values = req.values ?? [];
  if (!isQualifiedName(req.key) || !values.every(isValidLabelValue)) return false;
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      return values.length > 0;
    case 'Exists':
    case 'DoesNotExist':
      return values.length === 0;
    case 'Gt':
    case 'Lt':
      return values.length === 1 && INT64.test(values[0]);
    default:
      return false;
  }
}

/** The label-selector operators, plus Gt/Lt (integer comparison) that only node selectors have. */
function labelRequirementMatches(req: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  if (req.operator !== 'Gt' && req.operator !== 'Lt') return requirementMatches(req, labels);
  const have = labels[req.key];
  if (!Object.prototype.hasOwnProperty.call(labels, req.key) || !INT64.test(have)) return false;
  const want = BigInt((req.values ?? [])[0]);
  return req.operator === 'Gt' ? BigInt(have) > want : BigInt(have) < want;
}

/**
 * matchFields: a field selector over the node's fields, of which only `metadata.name` exists
 * (any other field reads as ''); In/NotIn with exactly one value, anything else is invalid.
 */
function fieldRequirementMatches(req: NodeSelectorRequirement, node: SimNode): boolean {
  const values = req.values ?? [];
  if (values.length !== 1) return false;
  const have = req.key === 'metadata.name' ? node.name : '';
  if (req.operator === 'In') return have === values[0];
  if (req.operator === 'NotIn') return have !== values[0];
  return false;
}

/** One term: both its label requirements and its field requirements must hold; an empty term matches nothing. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: SimNode): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  for (const req of expressions) {
    if (!requirementIsValid(req) || !labelRequirementMatches(req, node.labels ?? {})) return false;
  }
  for (const req of fields) {
    if (!fieldRequirementMatches(req, node)) return false;
  }
  return true;
}

function parsedTermsMatch(terms: readonly NodeSelectorTerm[], node: SimNode): boolean {
  return terms.some((term) => nodeSelectorTermMatches(term, node));
}

/** NodeSelector.Match over terms as written in YAML (read defensively): terms are ORed; no terms matches nothing. */
export function nodeSelectorTermsMatch(terms: readonly unknown[] | undefined, node: SimNode): boolean {
  return parsedTermsMatch(asArray(terms).map(readNodeSelectorTerm), node);
}

export function nodeSelectorMatches(selector: Record<string, string> | undefined, node: SimNode): boolean {
  const labels = node.labels ?? {};
  return Object.entries(selector ?? {}).every(([k, v]) => Object.prototype.hasOwnProperty.call(labels, k) && labels[k] === v);
}

/** The parts of a pod spec that decide which nodes it may land on. */
export interface RequiredNodeAffinity {
  nodeSelector?: Record<string, string>;
  /** Present when spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution is set. */
  requiredTerms?: NodeSelectorTerm[];
}

export function readRequirements(value: unknown): NodeSelectorRequirement[] {
  return asRecords(value).map((r) => ({
    key: asString(r.key) ?? '',
    operator: asString(r.operator) ?? '',
    values: asArray(r.values)
      .map(asString)
      .filter((s): s is string => s !== undefined),
  }));
}

export function readNodeSelectorTerm(value: unknown): NodeSelectorTerm {
  const term = asRecord(value) ?? {};
  return { matchExpressions: readRequirements(term.matchExpressions), matchFields: readRequirements(term.matchFields) };
}

export function readRequiredNodeAffinity(podSpec: unknown): RequiredNodeAffinity {
  const out: RequiredNodeAffinity = {};
  const selector = asStringMap(dig(podSpec, 'nodeSelector'));
  if (Object.keys(selector).length > 0) out.nodeSelector = selector;
  const required = asRecord(dig(podSpec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'));
  if (required) out.requiredTerms = asArray(required.nodeSelectorTerms).map(readNodeSelectorTerm);
  return out;
}

export function readPreferredSchedulingTerms(value: unknown): PreferredSchedulingTerm[] {
  return asRecords(value).map((t) => ({
    weight: typeof t.weight === 'number' ? t.weight : 0,
    preference: readNodeSelectorTerm(t.preference),
  }));
}

/** RequiredNodeAffinity.Match over an already-read affinity. */
export function requiredNodeAffinityMatchesParsed(affinity: RequiredNodeAffinity, node: SimNode): boolean {
  if (affinity.nodeSelector && !nodeSelectorMatches(affinity.nodeSelector, node)) return false;
  if (affinity.requiredTerms && !parsedTermsMatch(affinity.requiredTerms, node)) return false;
  return true;
}

/** nodeSelector AND spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution of a pod spec. */
export function requiredNodeAffinityMatches(podSpec: unknown, node: SimNode): boolean {
  return requiredNodeAffinityMatchesParsed(readRequiredNodeAffinity(podSpec), node);
}

/** Sum of the weights of the preferred terms the node matches (terms with weight 0 or no requirements are ignored). */
export function preferredNodeAffinityScore(terms: readonly PreferredSchedulingTerm[], node: SimNode): number {
  let score = 0;
  for (const term of terms) {
    if (term.weight === 0) continue;
    if (nodeSelectorTermMatches(term.preference, node)) score += term.weight;
  }
  return score;
}
