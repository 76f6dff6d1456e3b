// Schema validation of one document of a kind the target release serves, one finding per mistake.
import type { ManifestDocument } from '../manifest';
import type { Finding } from '../findings';
import { suggestNames } from './did-you-mean';
import { SCHEMA } from '../builtin-checks';
import { errorToFinding } from './findings';
import { pointerToPath, valueAt } from './field-path';
import { kubernetesTarget, type KubernetesTarget } from './target';
import { validateValue, type SchemaError } from './validate-value';
import { defaultingGapErrors } from './defaulting-gaps';

export interface ValidateOptions {
  /** A patch or template: fields may be left out on purpose. */
  partial?: boolean;
  /** The release to check for (default: the newest bundled release). */
  target?: KubernetesTarget;
}

/**
 * Schema findings (rule id `schema`) for a document of a kind the target release serves (every
 * built-in kind of its API groups). Anything else — kinds the release does not serve (the
 * served-api rule speaks about those), custom resources, YAML that is not Kubernetes, Helm
 * templates, documents that did not parse — gets none.
 */
export function validateDocument(doc: ManifestDocument, options: ValidateOptions = {}): Finding[] {
  if (doc.value === undefined || doc.apiVersion === undefined || doc.kind === undefined) return [];
  const kindKey = `${doc.apiVersion}/${doc.kind}`;
  try {
    const target = options.target ?? kubernetesTarget()!;
    const catalog = target.catalog;
    const served = catalog.servedKind(kindKey);
    const root = served && catalog.definition(served.definition);
    if (!root) return [];
    const errors = validateValue(catalog, root, doc.value, served.definition);
    errors.push(...defaultingGapErrors(kindKey, doc.value, target.version));
    if (!errors.length) return [];
    const relevant = options.partial ? errors.filter((e) => !meansIncomplete(e, doc.value)) : errors;
    return dedupe(withoutExplained(relevant).map((e) => errorToFinding(e, { doc, kindKey, target, catalog })));
  } catch (err) {
    // A bug here must not take the language server down with it: say so on the document.
    return [{ ruleId: SCHEMA.id, severity: 'info', range: [doc.range[0], doc.range[0]], message: `kdry could not check this ${doc.kind} against its schema: ${(err as Error).message}` }];
  }
}

/**
 * What a strategic-merge patch does on purpose: leave out required fields (the base has them),
 * set a field to null (delete it) and use `$patch`, `$retainKeys`, `$setElementOrder/...` directives.
 */
function meansIncomplete(e: SchemaError, value: unknown): boolean {
  if (e.keyword === 'required') return true;
  if (e.keyword === 'deprecated' || e.keyword === 'featureGate') return false;
  if (e.keyword === 'additionalProperties') return String(e.params.additionalProperty).startsWith('$');
  return e.keyword === 'type' && valueAt(value, pointerToPath(e.instancePath, value)) === null;
}

/**
 * One mistake, one finding: a wrong type already explains enum/format failures of the same value,
 * and a misspelt key (`contianers`) already explains the required field it was meant to be.
 */
function withoutExplained(errors: SchemaError[]): SchemaError[] {
  const typed = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const unknownKeys = new Map<string, string[]>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    unknownKeys.set(e.instancePath, [...(unknownKeys.get(e.instancePath) ?? []), String(e.params.additionalProperty)]);
  }
  return errors.filter((e) => {
    if ((e.keyword === 'enum' || e.keyword === 'format') && typed.has(e.instancePath)) return false;
    if (e.keyword === 'required') {
      const missing = String(e.params.missingProperty);
      return !(unknownKeys.get(e.instancePath) ?? []).some((key) => suggestNames(key, [missing]).names.length > 0);
    }
    return true;
  });
}

function dedupe(findings: (Finding | undefined)[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    if (!f) continue;
    const key = `${f.range[0]}:${f.range[1]}:${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out.sort((a, b) => a.range[0] - b.range[0]);
}
