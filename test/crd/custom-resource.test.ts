// Custom resources judged by a CRD in the workspace and by kdry's bundled snapshot: structural
// schema semantics, served and deprecated versions, CEL rules, and which source judged them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyFix, findings, fixTitled, slice } from '../rules/helpers';
import { checkFile } from '../../server/src/check';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { crdYaml } from '../fixtures/crd';

const WIDGETS = readFileSync(join(__dirname, '..', 'fixtures', 'crds', 'widgets.yaml'), 'utf8');
const CRD_URI = 'file:///work/charts/widget/crds/widgets.yaml';

function widget(spec: string, apiVersion = 'example.com/v1'): string {
  return `apiVersion: ${apiVersion}\nkind: Widget\nmetadata:\n  name: w\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
}

function check(text: string) {
  return findings('custom-resource', text, { [CRD_URI]: WIDGETS });
}

function messages(text: string): string[] {
  return check(text).map((f) => f.message);
}

test('a valid widget has no finding; every message names the CRD file that judged it', () => {
  assert.deepEqual(messages(widget('size: small\nmaxReplicas: 3\nports:\n  - name: http\n    port: 8080')).filter((m) => !m.includes('did not evaluate')), []);
  const [f] = check(widget('size: small\nmaxReplicas: 3\nsizee: 1'));
  assert.match(f.message, /\(schema from the CRD in `widget\/crds\/widgets.yaml`\)$|\(schema from the CRD in `crds\/widgets.yaml`\)$/);
});

test('an unknown field is an error on its key, with did-you-mean and a rename fix (kubectl is Strict)', () => {
  const text = widget('size: small\nmaxReplicas: 3\nminReplica: 1');
  const [f] = check(text).filter((x) => x.severity === 'error');
  assert.equal(slice(text, f.range), 'minReplica');
  assert.match(f.message, /Unknown field "minReplica" in spec\. Did you mean "minReplicas"\?.*strict decoding error: unknown field "spec\.minReplica"/);
  const fixed = applyFix(text, fixTitled(f, 'Rename "minReplica" to "minReplicas"'));
  assert.deepEqual(check(fixed).filter((x) => x.severity === 'error'), []);
});

test('type, enum, required, pattern, maxLength, format: worded as the API server', () => {
  const text = widget('size: hug\nmaxReplicas: "3"\nmemory: 2G\nhostname: ' + 'a'.repeat(70) + '\ncontact: nobody');
  const by = (re: RegExp) => check(text).find((f) => re.test(f.message));
  assert.equal(slice(text, by(/Unsupported value: "hug"/)!.range), 'hug');
  assert.match(by(/Unsupported value/)!.message, /Did you mean "huge"\?.*supported values: "small", "medium", "huge"/);
  assert.match(by(/maxReplicas must be an integer/)!.message, /spec\.maxReplicas: Invalid value: "3": spec\.maxReplicas in body must be of type integer: "string"/);
  assert.match(by(/memory/)!.message, /spec\.memory in body should match '\^\[0-9\]\+\(Mi\|Gi\)\$'/);
  assert.match(by(/hostname/)!.message, /spec\.hostname: Too long: may not be more than 63 bytes/);
  assert.match(by(/contact/)!.message, /spec\.contact in body must be of type email: "nobody"/);
  assert.match(messages(widget('maxReplicas: 3')).join('\n'), /spec is missing the required field "size"\..*spec\.size: Required value/);
});

test('int-or-string, nullable, preserve-unknown-fields and map values follow structural semantics', () => {
  assert.deepEqual(messages(widget('size: small\nport: 8080\nratio: null\nextra: { anything: [1, 2] }\nselector: { app: web }')).filter((m) => !m.includes('did not evaluate')), []);
  assert.deepEqual(messages(widget('size: small\nport: http')).filter((m) => !m.includes('did not evaluate')), []);
  assert.match(messages(widget('size: small\nport: true')).join('\n'), /spec\.port in body must be of type integer or string: "boolean"/);
  assert.match(messages(widget('size: small\nselector: { app: abcdefghijklmnop }')).join('\n'), /spec\.selector\.app: Too long/);
});

test('list-type set and map: the later duplicate is reported, by its map keys', () => {
  const text = widget('size: small\ntags: [a, b, a]\nports:\n  - name: http\n    port: 8080\n  - name: http\n    port: 9090');
  const dups = check(text).filter((f) => /Duplicate value/.test(f.message));
  assert.equal(dups.length, 2);
  assert.match(dups[0].message, /spec\.tags\[2\]: Duplicate value: "a"/);
  assert.match(dups[1].message, /spec\.ports\[1\]: Duplicate value: map\[string\]interface \{\}\{"name":"http"\}/);
});

test('an embedded resource needs apiVersion and kind of its own', () => {
  const all = messages(widget('size: small\ntemplate:\n  kind: pod_template\n  spec: {}'));
  assert.ok(all.some((m) => /spec\.template\.apiVersion: Required value($|[^:])/.test(m)), all.join('\n'));
  assert.ok(all.some((m) => /spec\.template\.kind: Invalid value: "pod_template": may have mixed case/.test(m)), all.join('\n'));
});

test("an embedded resource's metadata is ObjectMeta as the API server validates it (objectmeta/validation.go validateEmbeddedResource: ValidateObjectMeta with ValidatePathSegmentName); an empty apiVersion is Required, so the CEL rules do not run", () => {
  const text = widget('size: small\ntemplate:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a/b\n    namespace: Team_A\n    labels: {"a b": c, ok: "bad value!"}\n    annotations: {"x y": "1"}');
  const all = check(text);
  const said = (re: RegExp) => all.find((f) => re.test(f.message));
  assert.equal(slice(text, said(/spec\.template\.metadata\.name: Invalid value: "a\/b": may not contain '\/'/)!.range), 'a/b');
  assert.ok(said(/spec\.template\.metadata\.namespace: Invalid value: "Team_A": a lowercase RFC 1123 label must consist of/), all.map((f) => f.message).join('\n'));
  assert.equal(slice(text, said(/spec\.template\.metadata\.labels: Invalid value: "a b": name part must consist of alphanumeric characters/)!.range), '"a b"', 'a label key is underlined');
  assert.equal(slice(text, said(/spec\.template\.metadata\.labels: Invalid value: "bad value!": a valid label must be an empty string/)!.range), '"bad value!"', 'a label value is underlined');
  assert.ok(said(/spec\.template\.metadata\.annotations: Invalid value: "x y": name part must consist/), all.map((f) => f.message).join('\n'));
  assert.deepEqual(check(widget('size: small\ntemplate:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: Bad_Name, generateName: web-}')).filter((f) => f.severity === 'error'), [], 'a path segment may have capitals and underscores');
  // apiVersion: "" is field.Required (blocking): the rule that would fail (huge needs 10 replicas) is not run.
  const empty = messages(widget('size: huge\nminReplicas: 1\nmaxReplicas: 3\ntemplate:\n  apiVersion: ""\n  kind: ConfigMap'));
  assert.ok(empty.some((m) => /spec\.template\.apiVersion: Required value($|[^:])/.test(m)), empty.join('\n'));
  assert.ok(!empty.some((m) => /a huge widget/.test(m)), empty.join('\n'));
  assert.ok(empty.some((m) => /Some validation rules were not checked/.test(m)), empty.join('\n'));
});

test('a version the CRD does not serve is an error with a fix; a deprecated one warns with its deprecationWarning', () => {
  const text = widget('size: small', 'example.com/v1alpha1');
  const [f] = check(text);
  assert.equal(f.severity, 'error');
  assert.match(f.message, /no matches for kind "Widget" in version "example\.com\/v1alpha1": the CRD serves example\.com\/v1beta1, example\.com\/v1/);
  assert.equal(slice(text, f.range), 'example.com/v1alpha1');
  const [d] = check(widget('size: small', 'example.com/v1beta1'));
  assert.equal(d.severity, 'warning');
  assert.match(d.message, /Warning: example\.com\/v1beta1 Widget is deprecated; use example\.com\/v1/);
});

test('CEL rules: message, messageExpression, fieldPath and reason, after defaults', () => {
  const text = widget('size: huge\nminReplicas: 5\nmaxReplicas: 3\nmemory: 8Gi\nports:\n  - name: http\n    port: 80');
  const all = check(text);
  const by = (re: RegExp) => all.find((f) => re.test(f.message));
  const minMax = by(/minReplicas must not exceed maxReplicas/)!;
  assert.equal(slice(text, minMax.range), 'minReplicas', 'on fieldPath');
  assert.match(minMax.message, /spec\.minReplicas: Invalid value: "object": minReplicas must not exceed maxReplicas/);
  assert.match(by(/a huge widget/)!.message, /spec: Invalid value: "object": a huge widget needs at least 10 replicas, not 3/);
  assert.match(by(/privileged/)!.message, /spec\.ports: Forbidden: privileged ports are not allowed/);
  assert.match(by(/failed rule: quantity/)!.message, /failed rule: quantity\(self\.memory\)\.isLessThan\(quantity\('4Gi'\)\)/);
  // the default minReplicas (1) and memory (1Gi) take part: no finding for them on a small widget
  assert.deepEqual(all.filter((f) => f.severity === 'error').length, 4);
});

test('a transition rule is noted once as information, never an error; format rules are evaluated', () => {
  const text = widget('size: small\nhostname: web');
  const notes = check(text).filter((f) => f.severity === 'info');
  assert.equal(notes.length, 1, notes.map((n) => n.message).join('\n'));
  assert.match(notes[0].message, /did not evaluate the validation rule `self\.minReplicas == oldSelf\.minReplicas`: it is a transition rule/);
  assert.equal(check(text).filter((f) => f.severity === 'error').length, 0);
  // format.dns1123Subdomain() (apiserver cel/library/format.go) now runs: an invalid hostname fails the rule
  const bad = check(widget('size: small\nhostname: Web_1')).filter((f) => f.severity === 'error');
  assert.equal(bad.length, 1, bad.map((f) => f.message).join('\n'));
  assert.match(bad[0].message, /spec: Invalid value: "object": failed rule: !has\(self\.hostname\) \|\| format\.dns1123Subdomain\(\)/);
});

/** A Gadget CRD whose spec has a string `tier` and the given x-kubernetes-validations entries (YAML lines indented by 16). */
const gadgetCrd = (rules: string) =>
  crdYaml({
    group: 'example.com',
    kind: 'Gadget',
    plural: 'gadgets',
    spec: `              type: object
              x-kubernetes-validations:
${rules}              properties:
                tier: { type: string }
`,
  });

test('optionalOldSelf: a create runs the transition rule with oldSelf = optional.none() (validation.go validateExpressions)', () => {
  const crd = gadgetCrd(`                - rule: "oldSelf.hasValue() || self.?tier.orValue('') != 'gold'"
                  optionalOldSelf: true
                  message: a new gadget cannot start at gold
                  fieldPath: .tier
                - rule: "oldSelf.hasValue() ? self.tier == oldSelf.value().tier : true"
                  optionalOldSelf: true
                  message: tier is immutable
                - rule: "self.tier == oldSelf.tier"
                  message: tier is immutable (classic)
                - rule: "oldSelf.value().tier == self.tier"
                  optionalOldSelf: true
`);
  const gadget = (tier: string) => `apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  tier: ${tier}\n`;
  const run = (text: string) => findings('custom-resource', text, { 'file:///work/crds/gadgets.yaml': crd });
  const gold = run(gadget('gold'));
  const text = gadget('gold');
  const refusal = gold.find((f) => /cannot start at gold/.test(f.message))!;
  assert.equal(refusal.severity, 'error');
  assert.equal(slice(text, refusal.range), 'tier', 'on fieldPath');
  assert.match(refusal.message, /spec\.tier: Invalid value: "object": a new gadget cannot start at gold/);
  assert.ok(!gold.some((f) => /tier is immutable\b/.test(f.message) && f.severity === 'error'), 'oldSelf.hasValue() is false on a create');
  // without optionalOldSelf the transition rule is skipped, as the API server skips it on a create
  assert.match(gold.find((f) => /classic/.test(f.message) || /self\.tier == oldSelf\.tier/.test(f.message))!.message, /did not evaluate .*it is a transition rule/);
  // optional.none().value() fails as cel-go does, an error of the rule, not of kdry
  assert.match(gold.map((f) => f.message).join('\n'), /spec: Invalid value: "object": optional\.none\(\) dereference evaluating rule: oldSelf\.value\(\)\.tier == self\.tier/);
  assert.ok(!run(gadget('silver')).some((f) => /cannot start at gold/.test(f.message)));
});

test('before 1.30 CRD validation ratcheting is off by default: optionalOldSelf is dropped and the rule is a transition rule again (CRDValidationRatcheting: alpha 1.28, beta 1.30)', () => {
  const crd = gadgetCrd(`                - rule: "oldSelf.hasValue() || self.tier != 'gold'"
                  optionalOldSelf: true
                  message: a new gadget cannot start at gold
`);
  const text = 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  tier: gold\n';
  const on = (kubernetesVersion: string) => {
    const workspace = new WorkspaceIndex();
    const file = parseManifest(text, 'file:///work/g.yaml');
    workspace.set(file);
    workspace.set(parseManifest(crd, 'file:///work/crds/gadgets.yaml'));
    return checkFile(file, workspace, { ...DEFAULT_SETTINGS, kubernetesVersion }).filter((f) => f.ruleId === 'custom-resource');
  };
  for (const release of ['1.30', '1.33']) assert.match(on(release).map((f) => `${f.severity}: ${f.message}`).join('\n'), /^error: .*a new gadget cannot start at gold/, release);
  for (const release of ['1.28', '1.29']) {
    const found = on(release);
    assert.ok(!found.some((f) => f.severity === 'error'), `${release}: not run on a create`);
    assert.match(found.map((f) => f.message).join('\n'), /did not evaluate the validation rule .*optionalOldSelf needs CRD validation ratcheting \(CRDValidationRatcheting, on by default from Kubernetes 1\.30\)/, release);
  }
});

test('a rule that reads a missing field fails as in the API server: no such key', () => {
  const all = messages(widget('size: huge'));
  assert.ok(all.some((m) => /spec: Invalid value: "object": no such key: maxReplicas evaluating rule: a huge widget needs maxReplicas/.test(m)), all.join('\n'));
});

test('YAML integers are CEL int (64-bit): overflow is an error as in the API server, not a double', () => {
  assert.deepEqual(messages(widget(`size: small\nbudget: ${2 ** 53}`)).filter((m) => /overflow/.test(m)), []);
  const big = messages(widget('size: small\nbudget: 4611686018427387904')); // 2^62: *2 overflows int64
  assert.ok(big.some((m) => /spec: Invalid value: "object": integer overflow evaluating rule: budget overflows/.test(m)), big.join('\n'));
});

test('a schema error that blocks CEL: the rules are not run, and that is said once', () => {
  const all = check(widget('size: 3\nminReplicas: 5\nmaxReplicas: 3'));
  assert.ok(!all.some((f) => /minReplicas must not exceed/.test(f.message)));
  assert.equal(all.filter((f) => /Some validation rules were not checked/.test(f.message)).length, 1);
});

const ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
  strategy:
    canary:
      stepz:
        - setWeight: 20
`;

test("kdry's bundled schemas judge Argo Rollouts, KEDA and cert-manager resources without a CRD in the workspace", () => {
  // A snapshot may be older than the cluster's CRD: an unknown field is a warning that says so (trial 18's defect 1).
  const [f] = findings('custom-resource', ROLLOUT).filter((x) => x.severity === 'warning');
  assert.match(f.message, /^Unknown field "stepz" in spec\.strategy\.canary\. Did you mean "steps"\? By this schema kubectl apply fails with: .*kdry's bundled schema is a snapshot .*name that CRD with --crds .*\(from kdry's bundled Argo Rollouts schema\)$/);
  const keda = findings('custom-resource', 'apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: s\nspec:\n  scaleTargetRef: {}\n  triggers: []\n');
  assert.ok(keda.some((x) => /spec\.scaleTargetRef\.name: Required value.*bundled KEDA schema/.test(x.message)), keda.map((x) => x.message).join('\n'));
  const cert = findings('custom-resource', 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: c\nspec:\n  secretName: tls\n  issuerRef: { name: ca }\n  dnsNames: example.com\n');
  assert.ok(cert.some((x) => /spec\.dnsNames must be a list.*bundled cert-manager schema/.test(x.message)), cert.map((x) => x.message).join('\n'));
});

test("a value or field kdry's bundled snapshot does not know is a warning, not an error: External Secrets' newer CertificateManager service (trial 18, ESO v2.9.0 accepts it)", () => {
  const store = 'apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata:\n  name: acm\nspec:\n  provider:\n    aws:\n      service: CertificateManager\n      region: eu-west-1\n';
  const all = findings('custom-resource', store);
  assert.deepEqual(all.filter((x) => x.severity === 'error').map((x) => x.message), []);
  const [enumWarning] = all.filter((x) => x.severity === 'warning');
  assert.match(enumWarning?.message ?? '', /^the string "CertificateManager" is not a value spec\.provider\.aws\.service allows\..*By this schema the API server rejects the object: spec\.provider\.aws\.service: Unsupported value: "CertificateManager".*snapshot.*\(from kdry's bundled External Secrets schema\)$/);
});

test('a workspace CRD always wins over the bundled schema', () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: rollouts.argoproj.io }
spec:
  group: argoproj.io
  names: { kind: Rollout, plural: rollouts }
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;
  assert.deepEqual(findings('custom-resource', ROLLOUT, { 'file:///work/crds/rollouts.yaml': crd }), []);
});

test('broken input never throws: a CRD without versions, a resource that is not a mapping, huge lists', () => {
  const broken = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: x }\nspec: { group: example.com, names: { kind: Widget } }\n';
  assert.deepEqual(findings('custom-resource', widget('size: small'), { 'file:///w/broken.yaml': broken }), []);
  assert.ok(check(`apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\nspec: [1, 2]\n`).some((f) => /spec must be a mapping of fields/.test(f.message)));
  const many = Array.from({ length: 3000 }, (_, i) => `  - name: p${i}\n    port: ${2000 + i}`).join('\n');
  assert.equal(check(widget(`size: small\nports:\n${many}`)).filter((f) => f.severity === 'error').length, 0);
});

test('image() and isImage() are in no Kubernetes release\'s CEL environment (kubernetes/kubernetes#130834 was not merged): the CRD is refused, the rule noted, never run', () => {
  const crd = gadgetCrd(`                - rule: "!has(self.tier) || isImage(self.tier)"
                  message: tier must be an image
                - rule: "image(self.tier).registry() != ''"
`);
  const gadget = `apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  tier: "registry.k8s.io/pause:3.10"\n`;
  const all = findings('custom-resource', gadget, { 'file:///work/crds/gadgets.yaml': crd });
  assert.equal(all.filter((f) => f.severity === 'error').length, 0, all.map((f) => f.message).join('\n'));
  const notes = all.filter((f) => f.severity === 'info');
  assert.equal(notes.length, 2, notes.map((f) => f.message).join('\n'));
  assert.match(notes[0].message, /did not evaluate the validation rule `!has\(self\.tier\) \|\| isImage\(self\.tier\)`: isImage\(\) is in no Kubernetes release's CEL environment .*undeclared reference to 'isImage'/);
  assert.match(notes[1].message, /image\(\) is in no Kubernetes release's CEL environment/);
});

/** The findings of the CRD (crd-definition) and of the custom resource in `text` when `kubernetesVersion` is in force. */
function onRelease(crd: string, text: string, kubernetesVersion: string) {
  const workspace = new WorkspaceIndex();
  const file = parseManifest(text, 'file:///work/g.yaml');
  const definition = parseManifest(crd, 'file:///work/crds/gadgets.yaml');
  workspace.set(file);
  workspace.set(definition);
  const settings = { ...DEFAULT_SETTINGS, kubernetesVersion };
  return {
    definition: checkFile(definition, workspace, settings).filter((f) => f.ruleId === 'crd-definition'),
    resource: checkFile(file, workspace, settings).filter((f) => f.ruleId === 'custom-resource'),
  };
}

test('the release decides the CEL environment: the CRD is created with the libraries of the release before (NewExpressions), its custom resources run with the release\'s own (StoredExpressions)', () => {
  // ext.Lists(ext.ListsVersion(3)) is in base.go from 1.34; DefaultCompatibilityVersion is one release back.
  const crd = gadgetCrd(`                - rule: "[self.tier, 'm'].sort()[0] == 'm'"
                  message: tier must sort after m
`);
  const text = 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  tier: a\n';
  const on = (kubernetesVersion: string) => {
    const { definition, resource } = onRelease(crd, text, kubernetesVersion);
    return { definition: definition.map((f) => f.message), resource: resource.map((f) => `${f.severity}: ${f.message}`) };
  };
  const v133 = on('1.33');
  assert.match(v133.definition.join('\n'), /compilation failed: ERROR: <input>:1:22: undeclared reference to 'sort' \(in container ''\)\n \| \[self\.tier, 'm'\]\.sort\(\)\[0\] == 'm'\n \| \.{21}\^/);
  assert.match(v133.resource.join('\n'), /^info: .*did not evaluate the validation rule .*sort\(\) is not in the CEL environment of Kubernetes 1\.33: ext\.Lists\(ext\.ListsVersion\(3\)\) comes in Kubernetes 1\.34/m);
  const v134 = on('1.34');
  assert.match(v134.definition.join('\n'), /undeclared reference to 'sort'/, 'a 1.34 API server creates CRDs with the 1.33 libraries');
  assert.match(v134.resource.join('\n'), /^error: .*tier must sort after m/m, 'a CRD stored on 1.34 runs with the 1.34 libraries');
  const v135 = on('1.35');
  assert.deepEqual(v135.definition, []);
  assert.match(v135.resource.join('\n'), /^error: .*tier must sort after m/m);
});

test('a stored rule cel-go\'s validators or macro expansion refuse rejects every custom resource: "rule compile error" (schema/cel/validation.go validateExpressions)', () => {
  // A 1.29 API server creates CRDs in the 1.28 environment (no literal validators), so this CRD is
  // stored; its custom resources compile the rules in the 1.29 StoredExpressions environment, which
  // has them (compilation.go compileRule: "compilation failed: " + issues.String()).
  const crd = gadgetCrd(`                - rule: "duration(self.tier) < duration('5x')"
                  message: tier is a short duration
                - rule: "[self.tier].map(t.x, t) == [] && has(self)"
                - rule: "self.tier != 'gold'"
                  message: no gold
`);
  const text = 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  tier: gold\n';
  const on = (kubernetesVersion: string) => {
    const { definition, resource } = onRelease(crd, text, kubernetesVersion);
    return { definition: definition.map((f) => f.message).join('\n'), resource };
  };
  const v129 = on('1.29');
  assert.doesNotMatch(v129.definition, /invalid duration argument/, 'a 1.29 API server creates it (1.28 environment)');
  const errors = v129.resource.filter((f) => f.severity === 'error').map((f) => f.message);
  assert.equal(errors.length, 3, errors.join('\n'));
  assert.ok(errors[0].includes(`spec: Invalid value: "object": rule compile error: compilation failed: ERROR: <input>:1:32: invalid duration argument\n | duration(self.tier) < duration('5x')\n | ...............................^`), errors[0]);
  // Both macro errors, each at its argument (cel-go v0.17 on), sorted by column.
  assert.ok(errors[1].includes('rule compile error: compilation failed: ERROR: <input>:1:18: argument is not an identifier\n | [self.tier].map(t.x, t) == [] && has(self)\n | .................^\nERROR: <input>:1:38: invalid argument to has() macro'), errors[1]);
  assert.match(errors[2], /spec: Invalid value: "object": no gold/, 'the next rules still run');
  assert.ok(!v129.resource.some((f) => /did not evaluate/.test(f.message)), 'not noted as not run');
  // On 1.35 the CRD itself is refused at creation (new expressions have the validators too); its resources get the same errors.
  const v135 = on('1.35');
  assert.match(v135.definition, /compilation failed: ERROR: <input>:1:32: invalid duration argument/);
  assert.equal(v135.resource.filter((f) => /rule compile error/.test(f.message) && f.severity === 'error').length, 2);
  // The 1.28 parser placed map's error at the call's '(' (parser.go expandMacro: no location from MakeMap).
  const v128 = on('1.28').resource.map((f) => f.message).join('\n');
  assert.match(v128, /rule compile error: compilation failed: ERROR: <input>:1:16: argument is not an identifier/);
  assert.doesNotMatch(v128, /invalid duration argument/, '1.28 has no literal validators');
});

test("a remembered rule outcome is the CRD's: an edit of the rule judges the same value afresh", () => {
  const crd = (limit: number) =>
    crdYaml({
      group: 'example.com',
      kind: 'Gadget',
      plural: 'gadgets',
      spec: `              type: object
              properties:
                parts:
                  type: array
                  items:
                    type: object
                    x-kubernetes-validations:
                      - rule: "self.count <= ${limit}"
                        message: at most ${limit} of a part
                    properties:
                      count: { type: integer }
`,
    });
  const workspace = new WorkspaceIndex();
  const file = parseManifest('apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  parts:\n    - count: 3\n', 'file:///work/gadget.yaml');
  workspace.set(file);
  const run = () => checkFile(file, workspace).filter((f) => f.ruleId === 'custom-resource' && f.severity === 'error').map((f) => f.message);
  workspace.set(parseManifest(crd(5), 'file:///work/crds/gadgets.yaml'));
  assert.deepEqual(run(), []);
  assert.deepEqual(run(), [], 'the remembered outcome');
  workspace.set(parseManifest(crd(2), 'file:///work/crds/gadgets.yaml'));
  assert.equal(run().length, 1);
  assert.match(run()[0], /spec\.parts\[0\]: Invalid value: "object": at most 2 of a part/);
});

test("a list item missing a required field is marked by its first key, read without the document's YAML tree (about 30 ms for a 1,000-line custom resource, at every keystroke of a new item)", () => {
  const workspace = new WorkspaceIndex();
  workspace.set(parseManifest(WIDGETS, CRD_URI));
  const text = widget('size: small\nports:\n  - name: http\n    port: 80\n  - port: 8080\n    protocol: TCP');
  const file = parseManifest(text, 'file:///work/widget.yaml');
  Object.defineProperty(file.documents[0], 'yaml', { get: () => assert.fail('the YAML tree was built') });
  workspace.set(file);
  const missing = checkFile(file, workspace).filter((f) => /missing the required field "name"/.test(f.message));
  assert.equal(missing.length, 1);
  assert.deepEqual(missing[0].range, [text.indexOf('port: 8080'), text.indexOf('port: 8080') + 'port'.length]);
});
