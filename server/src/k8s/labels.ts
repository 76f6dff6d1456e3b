// Label selectors as the API server evaluates them (metav1.LabelSelectorAsSelector):
// matchLabels and matchExpressions are ANDed; an empty selector matches everything,
// a null/absent selector matches nothing.
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export function labelSelectorMatches(selector: LabelSelector | null | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (have[k] !== String(v)) return false;
  for (const req of selector.matchExpressions ?? []) if (!requirementMatches(req, have)) return false;
  return true;
}

export function requirementMatches(req: LabelSelectorRequirement, labels: Record<string, string>): boolean {
  const present = Object.prototype.hasOwnProperty.call(labels, req.key);
  const values = (req.values ?? []).map(String);
  switch (req.operator) {
    case 'In':
      return present && values.includes(labels[req.key]);
    case 'NotIn':
      return !present || !values.includes(labels[req.key]);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    default:
      return false;
  }
}

/** A Service's selector is a plain map: every pair must match; an empty map selects nothing (no endpoints are managed). */
export function serviceSelectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  const have = labels ?? {};
  return Object.entries(selector).every(([k, v]) => have[k] === String(v));
}

/**
 * A selector written as a string (`app=web,tier in (a,b),!canary`: what `kubectl -l` and
 * kustomize's `labelSelector` take; apimachinery labels.Parse): `k=v`, `k==v`, `k!=v`,
 * `k in (...)`, `k notin (...)`, `k`, `!k`, ANDed. Undefined when it does not parse.
 */
export function parseSelectorString(text: string): LabelSelectorRequirement[] | undefined {
  const out: LabelSelectorRequirement[] = [];
  // Commas inside parentheses belong to a set: split on the others.
  const parts = text.split(/,(?![^()]*\))/).map((p) => p.trim()).filter((p) => p !== '');
  for (const part of parts) {
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^([^\s=!(),]+)\s+(in|notin)\s+\(([^()]*)\)$/))) {
      out.push({ key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values: m[3].split(',').map((v) => v.trim()).filter((v) => v !== '') });
    } else if ((m = part.match(/^([^\s=!(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/))) {
      out.push({ key: m[1], operator: m[2] === '!=' ? 'NotIn' : 'In', values: [m[3]] });
    } else if ((m = part.match(/^(!?)\s*([^\s=!(),]+)$/))) {
      out.push({ key: m[2], operator: m[1] ? 'DoesNotExist' : 'Exists' });
    } else return undefined;
  }
  return out;
}
