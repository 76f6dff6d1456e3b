// The same manifest against different releases: fields added and removed between 1.29 and 1.35.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { kubernetesTarget, validateDocument } from '../../server/src/schema';

/** Errors only: the information notes on feature-gated fields are tested in version-findings.test.ts. */
function messages(text: string, version: string): string[] {
  return parseManifest(text)
    .documents.flatMap((doc) => validateDocument(doc, { target: kubernetesTarget(version) }))
    .filter((f) => f.severity !== 'info')
    .map((f) => f.message);
}

const RESTART_RULES = `apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    restartPolicy: Never
    restartPolicyRules:
    - action: Restart
      exitCodes: {operator: In, values: [42]}
`;

test('valid in 1.35, invalid in 1.31: container restartPolicyRules (added in 1.34)', () => {
  assert.deepEqual(messages(RESTART_RULES, '1.35'), []);
  assert.deepEqual(messages(RESTART_RULES, '1.34'), []);
  const old = messages(RESTART_RULES, '1.31');
  assert.equal(old.length, 2, old.join('\n'));
  assert.ok(old.some((m) => m.includes('"restartPolicyRules"')));
  assert.ok(old.some((m) => m.startsWith('"Never" is not a valid value for restartPolicy; use one of "Always".')), 'before 1.34 a container restartPolicy is only for sidecars');
});

const trafficDistribution = (value: string) => `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
  trafficDistribution: ${value}
`;

// pkg/apis/core/validation/validation.go validateServiceSpec: PreferClose, and PreferSameZone/PreferSameNode
// while PreferSameTrafficDistribution is on (alpha, off, in 1.33; beta in 1.34; GA in 1.35). The trial's T16.
test('Service trafficDistribution: PreferClose in every release, PreferSameZone and PreferSameNode from 1.34, nothing else', () => {
  for (const version of ['1.31', '1.33', '1.34', '1.35']) assert.deepEqual(messages(trafficDistribution('PreferClose'), version), [], version);
  assert.deepEqual(messages(trafficDistribution('PreferSameZone'), '1.34'), []);
  assert.deepEqual(messages(trafficDistribution('PreferSameNode'), '1.35'), []);
  const early = messages(trafficDistribution('PreferSameNode'), '1.33');
  assert.equal(early.length, 1, early.join('\n'));
  assert.match(early[0], /^"PreferSameNode" is not a valid value for trafficDistribution; use one of "PreferClose"/);
  const typo = messages(trafficDistribution('PreferSameZon'), '1.35');
  assert.equal(typo.length, 1, typo.join('\n'));
  assert.match(typo[0], /"PreferSameZon" is not a valid value for trafficDistribution/);
});

const CLAIM_SOURCE = `apiVersion: v1
kind: Pod
metadata:
  name: gpu
spec:
  resourceClaims:
  - name: gpu
    source: {resourceClaimTemplateName: gpu-template}
  containers:
  - name: main
    image: busybox
`;

test('valid in 1.30, invalid in 1.35: pod resourceClaims[].source (replaced by resourceClaimTemplateName in 1.31)', () => {
  assert.deepEqual(messages(CLAIM_SOURCE, '1.30'), []);
  const current = messages(CLAIM_SOURCE, '1.35');
  assert.equal(current.length, 1);
  assert.match(current[0], /"source"/);
});

test('a kind only some releases serve is validated only where it is served', () => {
  const text = 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata:\n  name: f\nspec:\n  priorityLevelConfiguration: {name: p}\n  matchingPrecedence: "high"\n';
  assert.equal(messages(text, '1.31').length, 1, 'checked against 1.31, which serves flowcontrol v1beta3');
  assert.deepEqual(messages(text, '1.32'), [], 'not served by 1.32: the served-API rule speaks, not the schema');
});
