// A CustomResourceDefinition the API server refuses to create: a schema that is not structural,
// list-map keys that are neither required nor defaulted, validation rules that do not compile,
// that read fields the schema does not declare, or whose estimated cost is over the budget
// (server/src/crd/definition-checks.ts). Each finding sits on the rule or key it names.
import { closestRange, keyRange, valueRange, type ManifestDocument } from '../manifest';
import type { Finding } from '../findings';
import { checkDefinition, definitionErrorText, type DefinitionError } from '../crd/definition-checks';
import type { Rule } from './types';
import { defineRule } from './define-rule';

export const CRD_DEFINITION_RULE_ID = 'crd-definition';

/** A CRD is checked once per change of its text: the rule runs again for every edit elsewhere in its file. */
const checked = new Map<string, DefinitionError[]>();
const MAX_CHECKED = 500;

/** `release`: the release in force, whose API server creates the CRD (its rules are new expressions there). */
function errorsOf(doc: ManifestDocument, release: string): DefinitionError[] {
  const key = `${release}\0${doc.source}`;
  let hit = checked.get(key);
  if (!hit) {
    hit = checkDefinition(doc.value, release);
    if (checked.size >= MAX_CHECKED) checked.clear();
    checked.set(key, hit);
  }
  return hit;
}

export const crdDefinition: Rule = defineRule({
  id: CRD_DEFINITION_RULE_ID,
  title: 'CustomResourceDefinition the API server refuses',
  severity: 'error',
  kinds: ['apiextensions.k8s.io/v1/CustomResourceDefinition'],
  description: [
    'The API server checks a CustomResourceDefinition before it creates it (apiextensions-apiserver `ValidateCustomResourceDefinition`) and refuses it whole when a check fails, so none of its custom resources can be created.',
    'kdry runs the checks it can offline: the schema must be structural (every field typed, nothing but value validations inside `allOf`/`anyOf`/`oneOf`/`not`, root `metadata` restricted to name and generateName);',
    '`x-kubernetes-list-type: map` needs `x-kubernetes-list-map-keys` naming scalar item properties that are required or have a default;',
    'each `x-kubernetes-validations` rule must compile in the CEL environment the release in force gives new expressions, which has the libraries of the release before it (`DefaultCompatibilityVersion`: the lists extension of 1.34 may be used from 1.35) (a field the schema does not declare is cel-go\'s `undefined field`, and rules at the root read only `apiVersion`, `kind`, `metadata.name` and `metadata.generateName`), evaluate to a bool, with a `messageExpression` that evaluates to a string, `oldSelf` only where old and new can be correlated, and an estimated cost within `StaticEstimatedCostLimit` (10,000,000 per rule, times the times it can run: `maxItems` and `maxProperties` of the lists and maps above it) and `StaticEstimatedCRDCostLimit` (100,000,000 for the whole schema).',
    'kdry estimates costs with cel-go\'s formulas and the sizes the schema allows (`maxItems`, `maxLength`, `maxProperties`, else what a 3 MiB request can hold), with cel-go\'s estimates for its lists extension and the Kubernetes libraries\' for string and list functions; other library calls count 1, so kdry\'s estimate is never above the API server\'s.',
  ].join(' '),
  remediation: 'Type every field; give list-map keys `required` or a `default`; spell fields as the schema declares them; add `maxItems`, `maxLength` and `maxProperties` where a rule walks lists, maps and strings, or simplify the rule.',
  check: ({ doc, kubernetes }) => errorsOf(doc, kubernetes.version).map((e): Finding => ({
    ruleId: CRD_DEFINITION_RULE_ID,
    range: valueRange(doc, e.path) ?? keyRange(doc, e.path) ?? closestRange(doc, e.path),
    message: `The API server refuses this CustomResourceDefinition: ${definitionErrorText(e)}`,
  })),
});
