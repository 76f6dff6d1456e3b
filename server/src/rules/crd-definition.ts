// A CustomResourceDefinition the API server refuses to create: a schema that is not structural,
// list-map keys that are neither required nor defaulted, validation rules that do not compile,
// that read fields the schema does not declare, or whose estimated cost is over the budget
// (server/src/crd/definition-checks.ts). Each finding sits on the rule or key it names. Also a
// warning on two CRDs of one group and kind, saying which one kdry judges the kind by (crd/registry.ts).
import { closestRange, keyRange, valueRange, type ManifestDocument } from '../manifest';
import type { Finding } from '../findings';
import { checkDefinition, definitionErrorText, type DefinitionError } from '../crd/definition-checks';
import { duplicateDefinition, type DuplicateDefinition } from '../crd/registry';
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
    'A rule must also call each function with the types it takes: the schema declares them (`format: date-time` is a CEL timestamp, `duration` a duration, int-or-string dyn), so `self.created.startsWith(\'2024\')` on a `date-time` field is cel-go\'s "found no matching overload for \'startsWith\' applied to \'timestamp.(string)\'" (kdry judges the standard string and time functions, the Kubernetes string and regex functions, and comparisons, where it knows every type).',
    'Two CRDs for one group and kind in the workspace are a warning on both, naming the other and the one kdry judges the kind by: the one the cluster serves once `kubectl apply -f . -R` has applied them in path order (of one name the last applied; of two names the first applied, since the API server refuses the kind to the second: KindConflict).',
    'kdry estimates costs with cel-go\'s formulas and the sizes the schema allows (`maxItems`, `maxLength`, `maxProperties`, else what a 3 MiB request can hold), with cel-go\'s estimates for its lists extension and the Kubernetes libraries\' for string and list functions; other library calls count 1, so kdry\'s estimate is never above the API server\'s.',
  ].join(' '),
  remediation: 'Type every field; give list-map keys `required` or a `default`; spell fields as the schema declares them; add `maxItems`, `maxLength` and `maxProperties` where a rule walks lists, maps and strings, or simplify the rule.',
  crossDocument: true,
  check: ({ file, doc, workspace, kubernetes }) => {
    const out = errorsOf(doc, kubernetes.version).map((e): Finding => ({
      ruleId: CRD_DEFINITION_RULE_ID,
      range: valueRange(doc, e.path) ?? keyRange(doc, e.path) ?? closestRange(doc, e.path),
      message: `The API server refuses this CustomResourceDefinition: ${definitionErrorText(e)}`,
    }));
    const duplicate = duplicateDefinition(workspace, file.uri, doc);
    if (duplicate) out.push({ ruleId: CRD_DEFINITION_RULE_ID, severity: 'warning', range: valueRange(doc, ['spec', 'names', 'kind']) ?? closestRange(doc, ['spec', 'names']), message: duplicateMessage(duplicate, doc.name) });
    return out;
  },
});

/** Names the other CRDs of the same kind, which one kdry judges its resources by, and why (registry.ts servedDefinition). */
function duplicateMessage(d: DuplicateDefinition, name: string | undefined): string {
  const others = d.others.map((o) => `\`${o}\``).join(', ');
  const what = `${d.kind} (${d.group})`;
  if (d.used && d.reason === 'replaced') return `Another CustomResourceDefinition for ${what} is in ${others}. kdry judges ${d.kind} resources by this one: \`kubectl apply -f . -R\` applies files in path order, and this is the last one applied with the name \`${name}\`, so its spec replaces what was applied before it.`;
  if (d.used) return `Another CustomResourceDefinition for ${what} is in ${others}. kdry judges ${d.kind} resources by this one: \`kubectl apply -f . -R\` applies files in path order, this one first, and the API server refuses the kind to a CustomResourceDefinition of another name (KindConflict: "${d.kind}" is already in use).`;
  if (d.reason === 'replaced') return `Another CustomResourceDefinition \`${name}\` for ${what} is in ${others}. \`kubectl apply -f . -R\` applies files in path order, so the one in \`${d.usedLabel}\`, applied after this one, replaces its spec; kdry judges ${d.kind} resources by that one.`;
  return `Another CustomResourceDefinition for ${what} is in ${others}. The one in \`${d.usedLabel}\` is applied before this one (files in path order) and holds the kind, so the API server does not accept this one's names (NamesAccepted False, KindConflict: "${d.kind}" is already in use) and serves nothing from it; kdry judges ${d.kind} resources by the other.`;
}
