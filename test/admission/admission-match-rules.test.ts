// Which requests a policy's resource rules select, and what the API server refuses in them and in
// the selectors when the policy or binding is created:
// - webhook/predicates/rules/rules.go Matcher (splitResource: `deployments/*` and `*/*` take the main
//   resource, `deployments/scale` does not; scope), policy/matching/matching.go matchesResourceRules
//   (resourceNames), rules.go IsExemptAdmissionConfigurationResource;
// - validation.go validateRuleWithOperations/validateRule (Required, NotSupported, '*' beside other
//   values), validateResources (overlapping resources), validateNamedRuleWithOperations (resourceNames) and
//   metav1validation.ValidateLabelSelector: a refused policy or binding judges nothing, and a
//   malformed selector no longer throws on every matched document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace';
import { parseManifest } from '../../server/src/manifest';
import { checkFile } from '../../server/src/check';
import { findings } from '../rules/helpers';
import { octopusCrd } from './fixtures';

function policy(rule: string, extra = ''): string {
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: p
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: ["apps"]
        apiVersions: ["v1"]
${rule}
${extra}  validations:
    - expression: "false"
      message: denied-by-p
`;
}

const binding = (extra = '') => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: b
spec:
  policyName: p
  validationActions: [Deny]
${extra}`;

const deployment = (name = 'web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: team
  labels: { app: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: "nginx:1.27" }]
`;

const rule = (resources: string, more = '') => `        operations: ["CREATE"]\n        resources: ${resources}\n${more}`;

function messages(doc: string, vap: string, bindingText = binding()): string[] {
  return findings('admission-policy', doc, { 'file:///work/p/vap.yaml': vap, 'file:///work/p/b.yaml': bindingText }).map((f) => f.message);
}

const DENIED = ["The API server refuses this object: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: denied-by-p"];

test('resources: `deployments/*` and `*/*` take the main resource, `deployments/scale` and `*/scale` do not (splitResource)', () => {
  for (const resources of ['["deployments"]', '["*"]', '["deployments/*"]', '["*/*"]']) assert.deepEqual(messages(deployment(), policy(rule(resources))), DENIED, resources);
  for (const resources of ['["deployments/scale"]', '["*/scale"]', '["statefulsets"]']) assert.deepEqual(messages(deployment(), policy(rule(resources))), [], resources);
});

test('resourceNames and scope narrow the rule; excludeResourceRules read them too', () => {
  assert.deepEqual(messages(deployment(), policy(rule('["deployments"]', '        resourceNames: ["other"]'))), []);
  assert.deepEqual(messages(deployment(), policy(rule('["deployments"]', '        resourceNames: ["other", "web"]'))), DENIED);
  assert.deepEqual(messages(deployment(), policy(rule('["deployments"]', '        scope: Cluster'))), []);
  assert.deepEqual(messages(deployment(), policy(rule('["deployments"]', '        scope: Namespaced'))), DENIED);
  const exclude = (names: string) => `    excludeResourceRules:\n      - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"], resourceNames: ${names} }\n`;
  assert.deepEqual(messages(deployment(), policy(rule('["deployments"]'), exclude('["web"]'))), []);
  assert.deepEqual(messages(deployment(), policy(rule('["deployments"]'), exclude('["other"]'))), DENIED);
});

test('a policy with an empty operations, apiGroups, apiVersions or resources list, or an unknown operation or scope, is refused at creation and judges nothing', () => {
  const cases: [string, string][] = [
    ['        operations: []\n        resources: ["deployments"]\n', 'spec.matchConstraints.resourceRules[0].operations: Required value'],
    ['        operations: ["CREATE"]\n        resources: []\n', 'spec.matchConstraints.resourceRules[0].resources: Required value'],
    ['        operations: ["create"]\n        resources: ["deployments"]\n', 'spec.matchConstraints.resourceRules[0].operations[0]: Unsupported value: "create": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"'],
    ['        operations: ["CREATE"]\n        resources: ["deployments"]\n        scope: Everywhere\n', 'spec.matchConstraints.resourceRules[0].scope: Unsupported value: "Everywhere": supported values: "*", "Cluster", "Namespaced"'],
  ];
  for (const [r, error] of cases) {
    const vap = policy(r);
    assert.deepEqual(messages(deployment(), vap), [], r);
    const own = findings('admission-policy', vap, { 'file:///work/p/b.yaml': binding() }).map((f) => f.message);
    assert.deepEqual(own, [`The API server refuses this policy: The ValidatingAdmissionPolicy "p" is invalid: ${error}`], r);
  }
});

test("'*' beside other values in a rule's lists, overlapping resources, bad resourceNames and an unknown matchPolicy are refused at creation (validateRule, validateResources, validateNamedRuleWithOperations, validateMatchResources)", () => {
  const at = 'spec.matchConstraints.resourceRules[0]';
  const full = (ops: string, groups: string, versions: string, resources: string, more = '') =>
    `      - apiGroups: ${groups}\n        apiVersions: ${versions}\n        operations: ${ops}\n        resources: ${resources}\n${more}`;
  const policyWith = (r: string, extra = '') => policy('').replace(/      - apiGroups: \["apps"\]\n        apiVersions: \["v1"\]\n/, r).replace('  validations:', `${extra}  validations:`);
  const cases: [string, string[], string?][] = [
    [full('["*", "CREATE"]', '["apps"]', '["v1"]', '["deployments"]'), [`${at}.operations: Invalid value: []admissionregistration.OperationType{"*", "CREATE"}: if '*' is present, must not specify other operations`]],
    [full('["CREATE"]', '["apps", "*"]', '["v1"]', '["deployments"]'), [`${at}.apiGroups: Invalid value: []string{"apps", "*"}: if '*' is present, must not specify other API groups`]],
    [full('["CREATE"]', '["apps"]', '["*", "v1"]', '["deployments"]'), [`${at}.apiVersions: Invalid value: []string{"*", "v1"}: if '*' is present, must not specify other API versions`]],
    [full('["CREATE"]', '["apps"]', '["v1"]', '["*", "deployments"]'), [`${at}.resources: Invalid value: []string{"*", "deployments"}: if '*' is present, must not specify other resources without subresources`]],
    [full('["CREATE"]', '["apps"]', '["v1"]', '["*/*", "deployments/status"]'), [`${at}.resources: Invalid value: []string{"*/*", "deployments/status"}: if '*/*' is present, must not specify other resources`]],
    [full('["CREATE"]', '["apps"]', '["v1"]', '["deployments/*", "deployments/status"]'), [`${at}.resources[1]: Invalid value: "deployments/status": if 'deployments/*' is present, must not specify deployments/status`]],
    [full('["CREATE"]', '["apps"]', '["v1"]', '["*/status", "deployments/status"]'), [`${at}.resources[1]: Invalid value: "deployments/status": if '*/status' is present, must not specify deployments/status`]],
    [full('["CREATE"]', '["apps"]', '["v1"]', '["deployments", ""]'), [`${at}.resources[1]: Required value`]],
    [full('["CREATE"]', '["apps"]', '["v1"]', '["deployments"]', '        resourceNames: ["web", "a/b", "web", ".."]\n'), [`${at}.resourceNames[1]: Invalid value: "a/b": may not contain '/'`, `${at}.resourceNames[2]: Duplicate value: "web"`, `${at}.resourceNames[3]: Invalid value: "..": may not be '..'`]],
    [full('["CREATE"]', '["apps"]', '["v1"]', '["deployments"]'), ['spec.matchConstraints.matchPolicy: Unsupported value: "Approximate": supported values: "Equivalent", "Exact"'], '    matchPolicy: Approximate\n'],
  ];
  for (const [r, errors, extra] of cases) {
    const vap = policyWith(r, extra);
    assert.deepEqual(messages(deployment(), vap), [], r);
    const own = findings('admission-policy', vap, { 'file:///work/p/b.yaml': binding() }).map((f) => f.message);
    assert.deepEqual(own, errors.map((e) => `The API server refuses this policy: The ValidatingAdmissionPolicy "p" is invalid: ${e}`), r);
  }
  // Accepted: `*` with subresources only, a subresource with its main resource, and upstream's quirk:
  // only the last entry without a slash sets hasResourceWithoutSubresource, so `deployments` before `*` passes.
  for (const resources of ['["*", "deployments/status"]', '["deployments", "deployments/status"]', '["deployments", "*"]', '["*/status", "deployments/scale"]']) {
    const vap = policyWith(full('["CREATE"]', '["apps"]', '["v1"]', resources));
    assert.deepEqual(findings('admission-policy', vap, { 'file:///work/p/b.yaml': binding() }).map((f) => f.message), [], resources);
    assert.deepEqual(messages(deployment(), vap), resources.includes('scale') ? [] : DENIED, resources);
  }
  // In a binding's matchResources too.
  const bound = binding('  matchResources:\n    resourceRules:\n      - { apiGroups: ["*", "apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"] }\n');
  assert.deepEqual(messages(deployment(), policy(rule('["deployments"]')), bound), []);
  const own = findings('admission-policy', bound, { 'file:///work/p/vap.yaml': policy(rule('["deployments"]')) }).map((f) => f.message);
  assert.deepEqual(own, ['The API server refuses this binding: The ValidatingAdmissionPolicyBinding "b" is invalid: spec.matchResources.resourceRules[0].apiGroups: Invalid value: []string{"*", "apps"}: if \'*\' is present, must not specify other API groups']);
});

test('policies do not judge admission configuration itself (IsExemptAdmissionConfigurationResource)', () => {
  const everything = policy(rule('["*"]')).replace('apiGroups: ["apps"]', 'apiGroups: ["*"]').replace('apiVersions: ["v1"]', 'apiVersions: ["*"]');
  assert.deepEqual(messages(binding(), everything), []);
  // Every resource: the Deployment and the pods its ReplicaSet creates (controller-pod.ts).
  const [own, pods, ...rest] = messages(deployment(), everything);
  assert.deepEqual([own, ...rest], DENIED);
  assert.match(pods, /^The Deployment is accepted, but every pod its ReplicaSet creates is forbidden/);
});

test("a malformed label selector in a policy or binding never throws: the policy or binding is refused (its own finding or the schema's), and judges nothing", () => {
  const selectors: [string, string | undefined][] = [
    ['matchExpressions: { key: app, operator: In, values: [web] }', undefined],
    ['matchExpressions: 5', undefined],
    ['matchExpressions: [{ key: app, operator: In, values: web }]', undefined],
    ['matchLabels: { app: 5 }', undefined],
    ['matchExpressions: [null]', 'objectSelector.matchExpressions[0].operator: Invalid value: "": not a valid selector operator'],
    ['matchExpressions: [{ key: app, operator: In }]', "objectSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ['matchExpressions: [{ key: app, operator: Exists, values: [x] }]', "objectSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
  ];
  for (const [selector, error] of selectors) {
    for (const where of ['policy', 'binding'] as const) {
      const extra = `    objectSelector:\n      ${selector}\n`;
      const vap = where === 'policy' ? policy(rule('["deployments"]'), extra) : policy(rule('["deployments"]'));
      const bound = where === 'binding' ? binding(`  matchResources:\n${extra}`) : binding();
      const workspace = new WorkspaceIndex();
      const doc = parseManifest(deployment(), 'file:///work/d.yaml');
      const vapFile = parseManifest(vap, 'file:///work/p/vap.yaml');
      const bindingFile = parseManifest(bound, 'file:///work/p/b.yaml');
      for (const f of [doc, vapFile, bindingFile]) workspace.set(f);
      const onDoc = checkFile(doc, workspace).filter((f) => f.ruleId === 'admission-policy' || f.ruleId === 'kdry-internal');
      assert.deepEqual(onDoc, [], `${where}: ${selector}`);
      const own = checkFile(where === 'policy' ? vapFile : bindingFile, workspace).filter((f) => f.ruleId === 'admission-policy' || f.ruleId === 'schema' || f.ruleId === 'kdry-internal');
      if (error) {
        const prefix = where === 'policy' ? 'The API server refuses this policy: The ValidatingAdmissionPolicy "p" is invalid: spec.matchConstraints.' : 'The API server refuses this binding: The ValidatingAdmissionPolicyBinding "b" is invalid: spec.matchResources.';
        assert.ok(own.some((f) => f.ruleId === 'admission-policy' && f.message === prefix + error), `${where}: ${selector}\n${own.map((f) => f.message).join('\n')}`);
      } else assert.ok(own.some((f) => f.ruleId === 'schema'), `${where}: ${selector}: the schema check reports the type`);
      assert.ok(!own.some((f) => f.ruleId === 'kdry-internal'), `${where}: ${selector}`);
    }
  }
});

test("the resource a rule names is the release's for a built-in kind (Endpoints -> endpoints) and the CRD's spec.names.plural for a custom one", () => {
  const core = (resources: string) => policy(rule(resources)).replace('apiGroups: ["apps"]', 'apiGroups: [""]');
  const endpoints = 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: e\n  namespace: team\n';
  assert.deepEqual(messages(endpoints, core('["endpoints"]')), DENIED);
  assert.deepEqual(messages(endpoints, core('["endpointses"]')), []);
  const crd = octopusCrd();
  const octopus = 'apiVersion: sea.example.com/v1\nkind: Octopus\nmetadata:\n  name: o\n  namespace: team\n';
  const sea = (resources: string) => policy(rule(resources)).replace('apiGroups: ["apps"]', 'apiGroups: ["sea.example.com"]');
  const check = (vap: string) => findings('admission-policy', octopus, { 'file:///work/p/vap.yaml': vap, 'file:///work/p/b.yaml': binding(), 'file:///work/crds/octopi.yaml': crd }).map((f) => f.message);
  assert.deepEqual(check(sea('["octopi"]')), DENIED);
  assert.deepEqual(check(sea('["octopuses"]')), []);
});

test('matchPolicy Equivalent (the default): a rule naming another version of the kind applies through conversion, noted not judged; Exact does not apply; an exclude rule excludes through it too (matching.go matchesResourceRules)', () => {
  const hpa = `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: team }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 3
`;
  const v2 = (extra = '') =>
    policy('        operations: ["CREATE"]\n        resources: ["horizontalpodautoscalers"]\n', extra).replace('apiGroups: ["apps"]', 'apiGroups: ["autoscaling"]').replace('apiVersions: ["v1"]', 'apiVersions: ["v2"]');
  const notes = (vap: string) => findings('admission-policy', hpa, { 'file:///work/p/vap.yaml': vap, 'file:///work/p/b.yaml': binding() }).map((f): [string, string] => [f.severity ?? '', f.message]);
  const [[severity, message], ...rest] = notes(v2());
  assert.deepEqual([severity, rest], ['info', []]);
  assert.match(message, /its rules name autoscaling\/v2, not autoscaling\/v1: under matchPolicy Equivalent the API server converts the HorizontalPodAutoscaler to autoscaling\/v2/);
  assert.deepEqual(notes(v2('    matchPolicy: Exact\n')), []);
  const excluded = '    excludeResourceRules:\n      - { apiGroups: ["autoscaling"], apiVersions: ["v2"], operations: ["CREATE"], resources: ["horizontalpodautoscalers"] }\n';
  assert.deepEqual(notes(v2(excluded).replace('apiVersions: ["v2"]\n', 'apiVersions: ["v1"]\n')), []);
  // The rule naming the document's own version still judges it.
  assert.deepEqual(notes(v2().replace('apiVersions: ["v2"]', 'apiVersions: ["v1"]')), [['error', "The API server refuses this object: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: denied-by-p"]]);
});

test('matchPolicy Equivalent through a CRD version with conversion None: the object is judged converted, its apiVersion rewritten and nothing else (conversion/nop_converter.go nopConverter.Convert); a Webhook conversion is noted', () => {
  const crd = (conversion: string) =>
    octopusCrd(
      `    - name: v1beta1
      served: true
      storage: false
      schema: { openAPIV3Schema: { type: object, properties: { spec: { type: object, properties: { arms: { type: integer, default: 8 } } } } } }
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, properties: { spec: { type: object, properties: { arms: { type: integer, default: 10 }, legs: { type: integer, default: 2 } } } } } }
`,
      conversion,
    );
  const octopus = 'apiVersion: sea.example.com/v1beta1\nkind: Octopus\nmetadata:\n  name: o\n  namespace: team\nspec: {}\n';
  const vap = (expression: string) =>
    policy('        operations: ["CREATE"]\n        resources: ["octopi"]\n')
      .replace('apiGroups: ["apps"]', 'apiGroups: ["sea.example.com"]')
      .replace('expression: "false"', `expression: ${JSON.stringify(expression)}`);
  const check = (expression: string, conversion = '') =>
    findings('admission-policy', octopus, { 'file:///work/p/vap.yaml': vap(expression), 'file:///work/p/b.yaml': binding(), 'file:///work/crds/octopi.yaml': crd(conversion) }).map((f): [string, string] => [f.severity ?? '', f.message]);
  // The rule names v1 only: the v1beta1 object is seen as v1, with v1beta1's defaults (arms 8) and none of v1's (no legs);
  // request.kind is the version converted to, request.requestKind the one written (cel/condition.go CreateAdmissionRequest).
  const seen = "object.apiVersion == 'sea.example.com/v1' && object.spec.arms == 8 && !has(object.spec.legs) && request.kind.version == 'v1' && request.resource.version == 'v1' && request.requestKind.version == 'v1beta1' && request.requestResource.version == 'v1beta1'";
  assert.deepEqual(check(seen), []);
  const denied = check("object.apiVersion == 'sea.example.com/v1beta1'");
  assert.deepEqual(denied, [['error', "The API server refuses this object: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: denied-by-p"]]);
  assert.deepEqual(check(seen, '  conversion: { strategy: None }\n'), []);
  const webhook = '  conversion:\n    strategy: Webhook\n    webhook:\n      conversionReviewVersions: [v1]\n      clientConfig: { url: "https://convert.example.com/" }\n';
  const noted = check(seen, webhook);
  assert.equal(noted.length, 1);
  assert.equal(noted[0][0], 'info');
  assert.match(noted[0][1], /its rules name sea\.example\.com\/v1, not sea\.example\.com\/v1beta1: .*conversion webhook, which kdry cannot run/);
});
