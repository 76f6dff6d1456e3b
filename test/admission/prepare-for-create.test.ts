// What the registry's strategy gives the object before validating admission sees it on CREATE
// (registry/rest/create.go BeforeCreate -> strategy.PrepareForCreate), and the pod-level resource
// defaults of decoding (pkg/apis/core/v1/defaults.go SetDefaults_Pod: defaultPodRequests):
// - Pod (pkg/registry/core/pod/strategy.go PrepareForCreate): status {phase: Pending, qosClass} by
//   qos.go ComputePodQOS, the SchedulingGated condition (applySchedulingGatedCondition), spec.resources
//   dropped while PodLevelResources is off (DropDisabledPodFields);
// - Job (pkg/registry/batch/job/strategy.go generateSelector): job-name labels from the name, the
//   controller-uid labels and selector from the uid, which only the cluster knows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings } from '../rules/helpers';
import { podQOSClass } from '../../server/src/k8s/pod-qos';
import { withApiServerDefaults } from '../../server/src/defaults';
import { prepareForCreate } from '../../server/src/admission/prepare-for-create';
import { DENY_BINDING, policyOn } from './fixtures';

const policy = policyOn;
const BINDING = DENY_BINDING;
const DENIED = "The API server refuses this object: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: ";

function check(doc: string, vap: string): [string, string][] {
  return findings('admission-policy', doc, { 'file:///work/p/vap.yaml': vap, 'file:///work/p/b.yaml': BINDING }).map((f): [string, string] => [f.severity ?? '', f.message]);
}

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: team }\nspec:\n${spec}`;
const limited = '  containers:\n    - name: web\n      image: nginx:1.27\n      resources: { limits: { cpu: 500m, memory: 256Mi } }\n';
const bare = '  containers: [{ name: web, image: "nginx:1.27" }]\n';

test('a Pod is admitted Pending with its QoS class, whatever status the manifest writes', () => {
  const podPolicy = (e: string) => policy(e, '', 'pods');
  assert.deepEqual(check(pod(limited), podPolicy("object.status.phase == 'Pending' && object.status.qosClass == 'Guaranteed'")), []);
  // The documentation's kind of policy: no BestEffort pods. Before, `status` was missing and this denied every pod with "no such key".
  assert.deepEqual(check(pod(limited), podPolicy("object.status.qosClass != 'BestEffort'")), []);
  // A container without cpu and memory requests and limits gets the namespace's LimitRange defaults
  // (LimitRanger admission, a cluster object): its class is not known here, so the policy is noted.
  const [[severity, message], ...rest] = check(pod(bare), podPolicy("object.status.qosClass != 'BestEffort'"));
  assert.deepEqual([severity, rest], ['info', []]);
  assert.match(message, /LimitRanger admission plugin adds the defaults of the namespace's LimitRange/);
  assert.deepEqual(check(pod(bare), podPolicy('!has(object.status.conditions)')), []);
  const written = pod(limited) + 'status: { phase: Running, qosClass: BestEffort }\n';
  assert.deepEqual(check(written, podPolicy("object.status.phase == 'Pending' && object.status.qosClass == 'Guaranteed'")), []);
  const gated = pod(bare) + '  schedulingGates: [{ name: example.com/quota }]\n';
  assert.deepEqual(check(gated, podPolicy("object.status.conditions.exists(c, c.type == 'PodScheduled' && c.status == 'False' && c.reason == 'SchedulingGated')")), []);
});

test('ComputePodQOS: BestEffort, Burstable, Guaranteed; zero quantities and other resources do not count; pod-level resources decide when set', () => {
  const c = (resources: object) => ({ name: 'c', resources });
  assert.equal(podQOSClass({ containers: [c({})] }), 'BestEffort');
  assert.equal(podQOSClass({ containers: [c({ requests: { cpu: '0', 'ephemeral-storage': '1Gi' } })] }), 'BestEffort');
  assert.equal(podQOSClass({ containers: [c({ requests: { cpu: '100m' } })] }), 'Burstable');
  const full = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1024Mi' } };
  assert.equal(podQOSClass({ containers: [c(full)] }), 'Guaranteed');
  // One container without limits makes the pod Burstable, an init container too.
  assert.equal(podQOSClass({ containers: [c(full), c({})] }), 'Burstable');
  assert.equal(podQOSClass({ containers: [c(full)], initContainers: [c({ requests: { cpu: '1' }, limits: { cpu: '1' } })] }), 'Burstable');
  // Pod-level resources replace the containers' (qos.go isPodLevelResourcesSet).
  assert.equal(podQOSClass({ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, containers: [c({})] }), 'Guaranteed');
  assert.equal(podQOSClass({ resources: { limits: { cpu: '1' } , requests: { cpu: '1' } }, containers: [c(full)] }), 'Burstable');
});

test('pod-level resources: the requests they lack are defaulted where the release has PodLevelResources on (1.34), dropped where it is off (1.33)', () => {
  const value = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { resources: { limits: { cpu: '2', memory: '1Gi' } }, containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '500m' } } }] } };
  const on = withApiServerDefaults(value, 'v1', 'Pod', '1.34')!;
  // defaultPodRequests: cpu from the containers' aggregate request, memory from the pod-level limit.
  assert.deepEqual((on.spec as { resources: unknown }).resources, { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
  prepareForCreate(on, 'v1', 'Pod', '1.34');
  assert.deepEqual(on.status, { phase: 'Pending', qosClass: 'Burstable' });
  const off = withApiServerDefaults(value, 'v1', 'Pod', '1.33')!;
  assert.deepEqual((off.spec as { resources: unknown }).resources, { limits: { cpu: '2', memory: '1Gi' } });
  prepareForCreate(off, 'v1', 'Pod', '1.33');
  assert.equal((off.spec as { resources?: unknown }).resources, undefined);
  // The containers decide: one container requesting cpu only.
  assert.deepEqual(off.status, { phase: 'Pending', qosClass: 'Burstable' });
  assert.deepEqual(value.spec.resources, { limits: { cpu: '2', memory: '1Gi' } }, 'the input is never changed');
});

const job = (name: string, more = '') => `apiVersion: batch/v1
kind: Job
metadata:
  ${name}
  namespace: team
spec:
${more}  template:
    metadata: { labels: { app: batch } }
    spec:
      restartPolicy: Never
      containers: [{ name: work, image: "busybox:1.36" }]
`;

test("a Job's generated selector and labels: job-name from its name, the controller-uid ones unknown (noted, never denied)", () => {
  const jobPolicy = (e: string) => policy(e, 'batch', 'jobs');
  assert.deepEqual(check(job('name: nightly'), jobPolicy("object.spec.template.metadata.labels['job-name'] == 'nightly' && object.spec.template.metadata.labels['batch.kubernetes.io/job-name'] == 'nightly' && object.spec.template.metadata.labels.app == 'batch'")), []);
  // A policy that wants every pod template to carry a team label still judges the labels written.
  assert.deepEqual(check(job('name: nightly'), jobPolicy("'team' in object.spec.template.metadata.labels")), [['error', `${DENIED}failed expression: 'team' in object.spec.template.metadata.labels`]]);
  for (const reads of ["object.spec.selector.matchLabels['batch.kubernetes.io/controller-uid'] != ''", "object.spec.template.metadata.labels['controller-uid'].size() > 0", "object.spec.template.metadata.labels.all(k, object.spec.template.metadata.labels[k] != '')"]) {
    const [[severity, message], ...rest] = check(job('name: nightly'), jobPolicy(reads));
    assert.deepEqual([severity, rest], ['info', []], reads);
    assert.match(message, /carries the Job's uid/, reads);
  }
  // The keys are known: the API server adds them, only their values wait for the uid. (A presence
  // test on them is noted, as for the metadata the cluster sets: the lazy map computes the entry.)
  assert.deepEqual(check(job('name: nightly'), jobPolicy('object.spec.template.metadata.labels.all(k, k.size() < 64) && object.spec.template.metadata.labels.size() == 5')), []);
  // A generated name: the job-name labels are unknown too.
  const [[severity, message]] = check(job('generateName: nightly-'), jobPolicy("object.spec.template.metadata.labels['job-name'].startsWith('nightly-')"));
  assert.equal(severity, 'info');
  assert.match(message, /the name it generates from generateName/);
  // manualSelector: the API server generates nothing.
  const manual = job('name: nightly', '  manualSelector: true\n  selector: { matchLabels: { app: batch } }\n');
  assert.deepEqual(check(manual, jobPolicy("!('job-name' in object.spec.template.metadata.labels) && object.spec.selector.matchLabels == {'app': 'batch'}")), []);
});
