// The checks the API server runs on a CustomResourceDefinition before creating it
// (apiextensions-apiserver validation.go ValidateCustomResourceDefinition, schema/validation.go
// ValidateStructural, schema/cel/compilation.go compileRule) and the cost estimate of
// cel-go's checker/cost.go that they use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { declTypeOf } from '../../server/src/cel/decl-type';
import { analyseExpression } from '../../server/src/cel/static-analysis';
import { checkDefinition, costMessage, definitionErrorText } from '../../server/src/crd/definition-checks';
import type { StructuralSchema } from '../../server/src/k8s/structural-schema';
import { findings as ruleFindings } from '../rules/helpers';

const crd = (openAPIV3Schema: StructuralSchema) => ({ spec: { group: 'example.com', names: { kind: 'W' }, versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema } }] } });
const texts = (schema: StructuralSchema) => checkDefinition(crd(schema)).map(definitionErrorText);
const stringList = (maxItems?: number, maxLength?: number): StructuralSchema => ({ type: 'array', ...(maxItems !== undefined ? { maxItems } : {}), items: { type: 'string', ...(maxLength !== undefined ? { maxLength } : {}) } });

test('cel-go checker/cost.go: identifiers and selects cost 1, has() 0 as Kubernetes sets PresenceTestHasCost(false)', () => {
  const self = declTypeOf({ type: 'object', properties: { a: { type: 'integer' }, m: { type: 'object', additionalProperties: { type: 'string' } } } });
  // cost_test.go "select: field" (`input.single_int32`: 2) and "select: field test only no has() cost" (`has(input.single_int32)`: 1).
  assert.equal(analyseExpression('self.a', self).maxCost, 2);
  assert.equal(analyseExpression('has(self.a)', self).maxCost, 1);
  // `&&` costs its operands only; `==` on ints of the schema: sizes 0 (no MaxElements), so 0 + the operands.
  assert.equal(analyseExpression('has(self.a) && self.a == 1', self).maxCost, 1 + 2);
  // A list literal costs 10 (ListCreateBaseCost), `in` on a list its size: 2 (self.a) + 10 + 3.
  assert.equal(analyseExpression('self.a in [1, 2, 3]', self).maxCost, 15);
});

test('the Kubernetes libraries\' estimates of string and list member functions (apiserver/pkg/cel/library/cost.go EstimateCallCost)', () => {
  const s = declTypeOf({ type: 'string', maxLength: 100 });
  // lowerAscii: ceil(4 x 100 x 0.1) = 40, plus `self` 1; its result keeps the size: `== 'x'` adds ceil(min(400, 1) x 0.1) = 1.
  assert.equal(analyseExpression('self.lowerAscii()', s).maxCost, 41);
  assert.equal(analyseExpression("self.lowerAscii() == 'x'", s).maxCost, 42);
  // find: ceil((400 + 1) x 0.1) x ceil(5 x 0.25) = 41 x 2, plus `self`.
  assert.equal(analyseExpression("self.find('[0-9]') == ''", s).maxCost, 1 + 82 + 0);
  // isSorted on 10 strings of maxLength 8: 10 x (1 + ceil(32 x 0.1)) = 50, plus `self`.
  assert.equal(analyseExpression('self.isSorted()', declTypeOf(stringList(10, 8))).maxCost, 51);
});

test('a rule over a list of strings is costed by maxItems and 4 x maxLength, as the API server estimates it', () => {
  // Per item: the loop condition @not_strictly_false(@result) 2, the step @result && x.contains('gpu')
  // 1 + 1 + ceil(4 x 16 x 0.1) x ceil(3 x 0.1) = 9, so 11; plus `self` and the result, 2.
  assert.equal(analyseExpression("self.all(x, x.contains('gpu'))", declTypeOf(stringList(100, 16))).maxCost, 100 * 11 + 2);
  // StaticEstimatedCostLimit is 10,000,000: 909,090 items x 11 + 2 is within it, 909,091 is not.
  assert.deepEqual(texts({ type: 'object', properties: { tags: { ...stringList(909_090, 16), 'x-kubernetes-validations': [{ rule: "self.all(x, x.contains('gpu'))" }] } } }), []);
  const over = texts({ type: 'object', properties: { tags: { ...stringList(909_091, 16), 'x-kubernetes-validations': [{ rule: "self.all(x, x.contains('gpu'))" }] } } });
  assert.deepEqual(over, [`spec.versions[0].schema.openAPIV3Schema.properties[tags].x-kubernetes-validations[0].rule: Forbidden: ${costMessage('estimated rule cost', 909_091 * 11 + 2, 10_000_000)}`]);
  assert.match(over[0], /exceeds budget by factor of 1\.000000x \(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared\)$/);
  // Without bounds: about a million items of 3 MiB strings, past every budget.
  const unbounded = texts({ type: 'object', properties: { tags: { ...stringList(), 'x-kubernetes-validations': [{ rule: "self.all(x, x.contains('gpu'))" }] } } });
  assert.deepEqual(unbounded.map((t) => t.replace(/\(try.*\)$/, '')), [
    'spec.versions[0].schema.openAPIV3Schema.properties[tags].x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x ',
    'spec.versions[0].schema.openAPIV3Schema.properties[tags].x-kubernetes-validations[0].rule: Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema',
    'spec.versions[0].schema.openAPIV3Schema: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x ',
  ]);
});

test('a rule under a list runs once per item: its cost is multiplied by maxItems (getExpressionCost), and the schema total is capped at 100,000,000', () => {
  // `self.s.matches('^a+$')` on an item: self 1 + select 1 + ceil((4 x 1000 + 1) x 0.1) x ceil(4 x 0.25) = 401 + 2 = 403.
  const item = (rule: string): StructuralSchema => ({ type: 'object', properties: { s: { type: 'string', maxLength: 1000 } }, 'x-kubernetes-validations': [{ rule }] });
  assert.equal(analyseExpression("self.s.matches('^a+$')", declTypeOf(item('true'))).maxCost, 403);
  assert.deepEqual(texts({ type: 'object', properties: { list: { type: 'array', maxItems: 20_000, items: item("self.s.matches('^a+$')") } } }), []);
  // 30,000 items: 12,090,000 for the rule, past the per-expression limit.
  assert.match(texts({ type: 'object', properties: { list: { type: 'array', maxItems: 30_000, items: item("self.s.matches('^a+$')") } } })[0], /items\.x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of 1\.209000x/);
  // Eleven lists of 20,000 items: 8,060,000 each, 88,660,000 in all, within; fifteen: 120,900,000, past the total, and each list's rule (above 1% of it) is named, the four most expensive.
  const lists = (n: number): StructuralSchema => ({ type: 'object', properties: Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, { type: 'array', maxItems: 20_000, items: item("self.s.matches('^a+$')") }])) });
  assert.deepEqual(texts(lists(11)), []);
  const total = texts(lists(15));
  assert.equal(total.filter((t) => t.endsWith('contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema')).length, 4);
  assert.match(total.at(-1)!, /^spec\.versions\[0\]\.schema\.openAPIV3Schema: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of 1\.209000x/);
});

test('type errors cel-go\'s checker reports: an undefined field, an undeclared reference, a result that is not a bool, a messageExpression that is not a string', () => {
  const schema: StructuralSchema = {
    type: 'object',
    'x-kubernetes-validations': [{ rule: "self.metadata.name.startsWith('a')" }, { rule: 'self.metadata.labels.size() < 3' }],
    properties: {
      spec: {
        type: 'object',
        properties: { replicas: { type: 'integer' }, 'max-surge': { type: 'integer' }, extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        'x-kubernetes-validations': [
          { rule: 'self.replica > 0' },
          { rule: 'self.max__dash__surge >= 0 && self.extra.anything == 1' },
          { rule: 'replicas > 0' },
          { rule: 'self.replicas + 1' },
          { rule: 'self.replicas > 0', messageExpression: 'self.replicas' },
          { rule: 'self.replicas > 0', messageExpression: "'replicas: ' + string(self.replicas)" },
        ],
      },
    },
  };
  const rule = (i: number, text: string, extra = '') => `apiextensions.ValidationRule{Rule:${JSON.stringify(text)}, Message:"", MessageExpression:${JSON.stringify(extra)}, Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}`;
  const at = 'spec.versions[0].schema.openAPIV3Schema';
  assert.deepEqual(texts(schema), [
    `${at}.x-kubernetes-validations[1].rule: Invalid value: ${rule(1, 'self.metadata.labels.size() < 3')}: compilation failed: ERROR: <input>:1:14: undefined field 'labels'\n | self.metadata.labels.size() < 3\n | .............^`,
    `${at}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: ${rule(0, 'self.replica > 0')}: compilation failed: ERROR: <input>:1:5: undefined field 'replica'\n | self.replica > 0\n | ....^`,
    `${at}.properties[spec].x-kubernetes-validations[2].rule: Invalid value: ${rule(2, 'replicas > 0')}: compilation failed: ERROR: <input>:1:1: undeclared reference to 'replicas' (in container '')\n | replicas > 0\n | ^`,
    `${at}.properties[spec].x-kubernetes-validations[3].rule: Invalid value: ${rule(3, 'self.replicas + 1')}: cel expression must evaluate to a bool`,
    `${at}.properties[spec].x-kubernetes-validations[4].messageExpression: Invalid value: ${rule(4, 'self.replicas > 0', 'self.replicas')}: messageExpression must evaluate to a string`,
  ]);
});

test('oldSelf only where old and new correlate; optionalOldSelf only with oldSelf; a rule that does not parse', () => {
  const errors = texts({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': [{ rule: 'self.n >', message: 'x' }, { rule: 'self.n > 0', optionalOldSelf: true }, { rule: 'self.n >= oldSelf.n' }],
        properties: {
          n: { type: 'integer' },
          atomicList: { type: 'array', maxItems: 5, items: { type: 'object', properties: { w: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.w >= oldSelf.w' }] } },
          mapList: { type: 'array', maxItems: 5, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'], items: { type: 'object', required: ['k'], properties: { k: { type: 'string' }, w: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.w >= oldSelf.w' }] } },
        },
      },
    },
  });
  assert.equal(errors.length, 3, errors.join('\n'));
  // cel-go's words (its grammar's ANTLR message; test/cel/cel-go-syntax-error.test.ts has more).
  assert.match(errors[0], /properties\[spec\]\.x-kubernetes-validations\[0\]\.rule: Invalid value: .*: compilation failed: ERROR: <input>:1:9: Syntax error: mismatched input '<EOF>' expecting \{'\[', /);
  assert.match(errors[1], /properties\[spec\]\.x-kubernetes-validations\[1\]\.optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule$/);
  assert.equal(errors[2], 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[atomicList].items.x-kubernetes-validations[0].rule: Invalid value: "self.w >= oldSelf.w": oldSelf cannot be used on the uncorrelatable portion of the schema within spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[atomicList]');
});

test('image() and isImage() do not compile: no Kubernetes release declares them (checker.go undeclaredReference at the call\'s \'(\')', () => {
  // The image library of kubernetes/kubernetes#130834 was closed without being merged; the API
  // server's base environment has no such functions, so cel-go's checker refuses the rule.
  const errors = texts({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: { image: { type: 'string', maxLength: 256 } },
        'x-kubernetes-validations': [{ rule: 'isImage(self.image)' }, { rule: "self.image == '' || image(self.image).registry() == 'registry.k8s.io'" }, { rule: "self.image.startsWith('registry.k8s.io/')" }],
      },
    },
  });
  assert.equal(errors.length, 2, errors.join('\n'));
  assert.match(errors[0], /properties\[spec\]\.x-kubernetes-validations\[0\]\.rule: Invalid value: .*: compilation failed: ERROR: <input>:1:8: undeclared reference to 'isImage' \(in container ''\)\n \| isImage\(self\.image\)\n \| \.{7}\^$/);
  assert.match(errors[1], /properties\[spec\]\.x-kubernetes-validations\[1\]\.rule: Invalid value: .*: compilation failed: ERROR: <input>:1:26: undeclared reference to 'image' \(in container ''\)\n \| self\.image == '' \|\| image\(self\.image\)\.registry\(\) == 'registry\.k8s\.io'\n \| \.{25}\^$/);
});

test('structural schemas and list-map keys (schema/validation.go validateStructuralInvariants, validation.go validateMapListKeysMapSet)', () => {
  const at = 'spec.versions[0].schema.openAPIV3Schema';
  assert.deepEqual(texts({ type: 'object', properties: { a: { description: 'untyped' }, b: { type: 'array' }, c: { type: 'string', anyOf: [{ type: 'string' }] } } }), [
    `${at}.properties[a].type: Required value: must not be empty for specified object fields`,
    `${at}.properties[b].items: Required value: must be specified`,
    `${at}.properties[c].anyOf[0].type: Forbidden: must be empty to be structural`,
  ]);
  // int-or-string's own anyOf is allowed.
  assert.deepEqual(texts({ type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } } }), []);
  assert.deepEqual(texts({ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } }), [`${at}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`]);
  assert.deepEqual(texts({ type: 'object', properties: { l: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name', 'port'], items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } } } } }), [
    `${at}.properties[l].items.properties[port].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
  ]);
  assert.deepEqual(texts({ type: 'object', properties: { l: { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'object' } } } }), [`${at}.properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`]);
  // A rule at a node whose subtree has a schema error is not compiled; a sibling's is.
  const sibling = texts({ type: 'object', properties: { l: { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'object' }, 'x-kubernetes-validations': [{ rule: 'self.nope' }] }, n: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self + 1' }] } } });
  assert.deepEqual(sibling.map((t) => t.replace(/Invalid value: .*: /, 'Invalid value: ...: ')), [`${at}.properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`, `${at}.properties[n].x-kubernetes-validations[0].rule: Invalid value: ...: cel expression must evaluate to a bool`]);
  // A schema that is not structural gets no CEL checks (RootCELContext is nil).
  assert.deepEqual(texts({ type: 'object', properties: { a: {}, s: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.nope' }] } } }), [`${at}.properties[a].type: Required value: must not be empty for specified object fields`]);
});

test('no finding on the 700-odd validation rules of the bundled catalog: CRDs of real projects that install', () => {
  const folder = join(__dirname, '..', '..', 'schemas', 'crd-catalog');
  let rules = 0;
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.json') && n !== 'index.json')) {
    const group = JSON.parse(readFileSync(join(folder, name), 'utf8')) as Record<string, Record<string, StructuralSchema>>;
    for (const [kind, versions] of Object.entries(group)) {
      for (const [version, schema] of Object.entries(versions)) {
        // The catalog closes objects with additionalProperties: false, which a CRD does not write.
        const asWritten = JSON.parse(JSON.stringify(schema), (key, value) => (key === 'additionalProperties' && value === false ? undefined : value));
        rules += (JSON.stringify(asWritten).match(/"x-kubernetes-validations"/g) ?? []).length;
        assert.deepEqual(texts(asWritten), [], `${name} ${kind} ${version}`);
      }
    }
  }
  assert.ok(rules > 100, `validation rules were checked (${rules})`);
});

test('the crd-definition rule puts each finding on the rule it names, in the editor\'s and kdry check\'s pipeline', () => {
  const text = readFileSync(join(__dirname, '..', '..', 'server', 'src', 'rules', 'fixtures', 'crd-definition', 'bad-2.yaml'), 'utf8');
  const findings = ruleFindings('crd-definition', text);
  assert.deepEqual(findings.map((f) => text.slice(f.range[0], f.range[1])), ['"self.metadata.labels.size() < 10"', '"self.minReplicas <= self.maxReplica"']);
  assert.match(findings[1].message, /^The API server refuses this CustomResourceDefinition: spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.x-kubernetes-validations\[0\]\.rule: Invalid value: .*compilation failed: ERROR: <input>:1:25: undefined field 'maxReplica'\n \| self\.minReplicas <= self\.maxReplica\n \| \.{24}\^$/);
});

test('cel-go\'s literal validators (base.go 1.29: cel.ASTValidators) refuse a rule with a bad duration, regex or mixed list literal', () => {
  const errors = texts({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: { timeout: { type: 'string', maxLength: 32 }, name: { type: 'string', maxLength: 63 } },
        'x-kubernetes-validations': [
          { rule: "duration(self.timeout) < duration('5x')" },
          { rule: "self.name.matches('[a-z')" },
          { rule: "self.name in ['a', 1]" },
          { rule: "duration(self.timeout) < duration('5m') && self.name.matches('^[a-z]+$')" },
        ],
      },
    },
  });
  assert.equal(errors.length, 3, errors.join('\n'));
  assert.match(errors[0], /x-kubernetes-validations\[0\]\.rule: Invalid value: .*: compilation failed: ERROR: <input>:1:35: invalid duration argument\n \| duration\(self\.timeout\) < duration\('5x'\)\n \| \.{34}\^$/);
  assert.match(errors[1], /x-kubernetes-validations\[1\]\.rule: Invalid value: .*: compilation failed: ERROR: <input>:1:19: invalid matches argument\n/);
  assert.match(errors[2], /x-kubernetes-validations\[2\]\.rule: Invalid value: .*: compilation failed: ERROR: <input>:1:20: expected type 'string' but found 'int'\n/);
});
