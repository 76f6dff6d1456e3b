// Fields the OpenAPI lists as required (its generator marks every field without omitempty) that
// the API server accepts absent, because defaulting fills them in or validation accepts the zero
// value (scripts/schema-data/defaulted-fields.ts cites each). Found by a user trial: a RoleBinding
// without roleRef.apiGroup, an EndpointSlice without endpoints and a LimitRange with `spec: {}`
// were said to be rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { validateDocument } from '../../server/src/schema/validate';
import { kubernetesTarget } from '../../server/src/schema/target';

function missing(text: string, release = '1.35'): string[] {
  const target = kubernetesTarget(release)!;
  return parseManifest(text).documents.flatMap((doc) => validateDocument(doc, { target }).map((f) => f.message)).filter((m) => /missing the required field/.test(m));
}

const roleBinding = (roleRef: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods, namespace: shop}
subjects:
- {kind: ServiceAccount, name: web, namespace: shop}
roleRef: ${roleRef}
`;

test('roleRef.apiGroup is defaulted (SetDefaults_RoleBinding); its kind and name are not', () => {
  for (const release of ['1.29', '1.33', '1.35']) assert.deepEqual(missing(roleBinding('{kind: Role, name: pod-reader}'), release), [], release);
  assert.deepEqual(missing(roleBinding('{kind: Role, name: pod-reader}').replace('kind: RoleBinding', 'kind: ClusterRoleBinding').replace(', namespace: shop}\nsubjects', '}\nsubjects')), []);
  const [noName] = missing(roleBinding('{kind: Role}'));
  assert.match(noName, /^roleRef is missing the required field "name"/);
});

test('an EndpointSlice without endpoints, a LimitRange without limits and a PriorityClass without value are accepted', () => {
  assert.deepEqual(missing('apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-abc, namespace: shop}\naddressType: IPv4\n'), []);
  assert.match(missing('apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-abc, namespace: shop}\nendpoints: []\n')[0], /missing the required field "addressType"/);
  assert.deepEqual(missing('apiVersion: v1\nkind: LimitRange\nmetadata: {name: none, namespace: shop}\nspec: {}\n'), []);
  assert.deepEqual(missing('apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: zero}\n'), []);
});

test('a NetworkPolicy without podSelector selects every pod, also where the 1.29 and 1.30 OpenAPI call it required', () => {
  const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, namespace: shop}\nspec:\n  policyTypes: [Ingress]\n';
  for (const release of ['1.29', '1.30', '1.35']) assert.deepEqual(missing(policy, release), [], release);
});

test("a pod failure pattern without status: defaulted in a Job at every release, in a CronJob's jobTemplate only from 1.34 (PR #131525)", () => {
  const policy = (indent: string) =>
    ['podFailurePolicy:', '  rules:', '  - action: Ignore', '    onPodConditions:', '    - type: DisruptionTarget', '  - action: FailJob', '    onPodConditions:', '    - {type: ConfigIssue, status: "True"}', '    - {type: Other}']
      .map((line) => indent + line)
      .join('\n');
  const pod = (indent: string) => [`template:`, `  spec:`, `    restartPolicy: Never`, `    containers: [{name: main, image: busybox:1.36}]`].map((line) => indent + line).join('\n');
  const job = `apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: shop}\nspec:\n${policy('  ')}\n${pod('  ')}\n`;
  const cronJob = `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c, namespace: shop}\nspec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n${policy('      ')}\n${pod('      ')}\n`;
  for (const release of ['1.29', '1.33', '1.34', '1.35']) assert.deepEqual(missing(job, release), [], release);
  for (const release of ['1.34', '1.35', '1.37']) assert.deepEqual(missing(cronJob, release), [], release);
  for (const release of ['1.29', '1.33']) {
    assert.deepEqual(
      missing(cronJob, release),
      [
        'spec.jobTemplate.spec.podFailurePolicy.rules[0].onPodConditions[0] is missing the required field "status". The API server rejects the object: spec.jobTemplate.spec.podFailurePolicy.rules[0].onPodConditions[0].status: Required value.',
        'spec.jobTemplate.spec.podFailurePolicy.rules[1].onPodConditions[1] is missing the required field "status". The API server rejects the object: spec.jobTemplate.spec.podFailurePolicy.rules[1].onPodConditions[1].status: Required value.',
      ],
      release,
    );
  }
});
