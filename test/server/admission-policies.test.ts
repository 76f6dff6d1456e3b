// ValidatingAdmissionPolicies over the language server: a policy and its binding in the workspace
// judge a Deployment the editor opens (a denial that holds only if the cluster lacks the param is a
// warning, an audit annotation information, both on `kind`), and the policy's own expression that
// the API server would not compile is an error on that expression.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { ensureBuilt, LspClient, messageOf } from './lsp-client';

let client: LspClient;
let workspace: string;

const POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replicas.example.com
spec:
  paramKind: { apiVersion: v1, kind: ConfigMap }
  matchConstraints:
    resourceRules:
      - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"] }
  validations:
    - expression: "object.spec.replicas <= int(params.data.maxReplicas)"
  auditAnnotations:
    - key: replicas
      valueExpression: "'replicas=' + string(object.spec.replicas)"
`;

const BINDING = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replicas-binding
spec:
  policyName: replicas.example.com
  validationActions: [Deny]
  paramRef: { name: limits, parameterNotFoundAction: Deny }
`;

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: team\nspec:\n  replicas: 4\n';

before(async () => {
  ensureBuilt();
  workspace = mkdtempSync(join(tmpdir(), 'kdry-vap-lsp-'));
  mkdirSync(join(workspace, 'policy'));
  writeFileSync(join(workspace, 'policy', 'vap.yaml'), POLICY);
  writeFileSync(join(workspace, 'policy', 'binding.yaml'), BINDING);
  client = new LspClient({ workspaceFolder: workspace });
  await client.initialize();
});
after(async () => {
  await client.shutdown();
  rmSync(workspace, { recursive: true, force: true });
});

async function until(uri: string, text: string, done: (ds: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  let ds = await client.open(uri, text);
  // The scan reads the policy files asynchronously.
  for (let i = 0; i < 50 && !done(ds); i++) ds = await client.change(uri, text + '\n'.repeat(i % 2));
  return ds;
}

// generic/policy_dispatcher.go CollectParams: no param and parameterNotFoundAction Deny is a denial,
// unless the cluster has the ConfigMap; validator.go Validate publishes the audit annotation.
test('a Deployment: the param the workspace lacks is a warning, the audit annotation information, both on kind', async () => {
  const uri = pathToFileURL(join(workspace, 'web.yaml')).href;
  const ds = await until(uri, DEPLOYMENT, (d) => d.some((x) => x.source !== undefined && /replicas\.example\.com/.test(messageOf(x))));
  const ours = ds.filter((d) => /replicas\.example\.com/.test(messageOf(d)));
  assert.deepEqual(
    ours.map((d) => [d.severity, messageOf(d).split(':')[0], d.range.start]),
    [[DiagnosticSeverity.Warning, 'Unless the cluster has a ConfigMap "limits" in namespace "team", which the workspace does not, the API server refuses this object', { line: 1, character: 0 }]],
    JSON.stringify(ds),
  );
  assert.match(messageOf(ours[0]), /denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction/);
  writeFileSync(join(workspace, 'limits.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: limits, namespace: team }\ndata: { maxReplicas: "2" }\n');
  const limitsUri = pathToFileURL(join(workspace, 'limits.yaml')).href;
  await client.open(limitsUri, 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: limits, namespace: team }\ndata: { maxReplicas: "2" }\n');
  const after = (await client.change(uri, DEPLOYMENT)).filter((d) => /replicas\.example\.com/.test(messageOf(d)));
  assert.deepEqual(
    after.map((d) => [d.severity, messageOf(d)]),
    [
      [DiagnosticSeverity.Error, "The API server refuses this object: ValidatingAdmissionPolicy 'replicas.example.com' with binding 'replicas-binding' denied request: failed expression: object.spec.replicas <= int(params.data.maxReplicas)"],
      [DiagnosticSeverity.Information, `ValidatingAdmissionPolicy 'replicas.example.com' records the audit annotation "replicas.example.com/replicas": "replicas=4"`],
    ],
  );
});

// validation.go validateValidation: the API server refuses the policy; the error sits on the expression.
test('the policy: an expression that does not compile is an error on its value', async () => {
  const uri = pathToFileURL(join(workspace, 'policy', 'vap.yaml')).href;
  const broken = POLICY.replace('object.spec.replicas <= int(params.data.maxReplicas)', 'request.operaton == 1');
  const ds = (await client.open(uri, broken)).filter((d) => /is invalid/.test(messageOf(d)));
  assert.equal(ds.length, 1, JSON.stringify(ds));
  assert.equal(ds[0].severity, DiagnosticSeverity.Error);
  assert.deepEqual([ds[0].range.start, ds[0].range.end], [{ line: 10, character: 18 }, { line: 10, character: 41 }]);
  assert.match(messageOf(ds[0]), /The ValidatingAdmissionPolicy "replicas\.example\.com" is invalid: spec\.validations\[0\]\.expression: Invalid value: "request\.operaton == 1": compilation failed: ERROR: <input>:1:8: undefined field 'operaton'/);
});
