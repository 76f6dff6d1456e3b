// The Pod admission plugins read the workspace's own ServiceAccount, PriorityClass and LimitRange
// documents where it defines them for the pod's namespace (admission/plugin-objects.ts):
// - plugin/pkg/admission/serviceaccount/admission.go Admit: imagePullSecrets copied from the
//   ServiceAccount when the pod lists none; shouldAutomount (pod, then ServiceAccount, then true);
// - plugin/pkg/admission/priority/admission.go admitPod: priority and preemptionPolicy of the class
//   named (SetDefaults_PriorityClass: PreemptLowerPriority), or of the globalDefault class
//   (getDefaultPriorityClass), which then names itself in priorityClassName;
// - plugin/pkg/admission/limitranger/admission.go PodMutateLimitFunc: defaultContainerResourceRequirements
//   (SetDefaults_LimitRangeItem: max -> default -> defaultRequest, min -> defaultRequest),
//   mergeContainerResources and the kubernetes.io/limit-ranger annotation.
// Where the workspace does not define them (or the pod names no namespace), the cluster's objects
// decide and those fields stay unknown (noted), as admission-plugins.test.ts shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace';
import { parseManifest } from '../../server/src/manifest';
import { checkFile } from '../../server/src/check';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { DENY_BINDING, policyOn } from './fixtures';

function verdict(doc: string, expression: string, others: Record<string, string>): string {
  const workspace = new WorkspaceIndex();
  const file = parseManifest(doc, 'file:///work/p/pod.yaml');
  workspace.set(file);
  const all = { 'file:///work/p/vap.yaml': policyOn(expression, '', 'pods'), 'file:///work/p/b.yaml': DENY_BINDING, ...others };
  for (const [uri, text] of Object.entries(all)) workspace.set(parseManifest(text, uri));
  const out = checkFile(file, workspace, { ...DEFAULT_SETTINGS, kubernetesVersion: '1.35' }).filter((f) => f.ruleId === 'admission-policy' || f.ruleId === 'kdry-internal');
  if (out.length === 0) return 'ok';
  assert.equal(out.length, 1, out.map((f) => f.message).join('\n'));
  if (out[0].severity === 'error' && out[0].message.includes('denied request')) return 'denied';
  assert.equal(out[0].severity, 'info', out[0].message);
  return 'noted';
}

const pod = (spec = '', container = '', namespace = 'team') => `apiVersion: v1
kind: Pod
metadata: { name: web${namespace ? `, namespace: ${namespace}` : ''} }
spec:
  containers: [{ name: web, image: "nginx:1.27"${container} }]
${spec}`;

const account = (name: string, namespace: string, extra = '') => ({ [`file:///work/p/sa-${name}-${namespace}.yaml`]: `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: ${name}, namespace: ${namespace} }\n${extra}` });

test("ServiceAccount: the workspace's account in the pod's namespace gives imagePullSecrets and decides the token mount", () => {
  const withSecrets = account('builder', 'team', 'automountServiceAccountToken: false\nimagePullSecrets: [{ name: regcred }, { name: mirror }]\n');
  const builder = pod('  serviceAccountName: builder\n');
  assert.equal(verdict(builder, "object.spec.imagePullSecrets.map(s, s.name) == ['regcred', 'mirror']", withSecrets), 'ok');
  // automountServiceAccountToken: false on the account: no token volume, no mount.
  assert.equal(verdict(builder, '!has(object.spec.volumes) && object.spec.containers.all(c, !has(c.volumeMounts))', withSecrets), 'ok');
  // The pod's own preference wins over the account's.
  assert.equal(verdict(pod('  serviceAccountName: builder\n  automountServiceAccountToken: true\n'), "object.spec.containers.all(c, c.volumeMounts.exists(m, m.mountPath == '/var/run/secrets/kubernetes.io/serviceaccount'))", withSecrets), 'ok');
  // An account that says nothing: automount (true), and no imagePullSecrets (the copied empty list is left out).
  const plain = account('default', 'team');
  assert.equal(verdict(pod(), "!has(object.spec.imagePullSecrets) && object.spec.containers.all(c, c.volumeMounts.exists(m, m.readOnly && m.mountPath == '/var/run/secrets/kubernetes.io/serviceaccount'))", plain), 'ok');
  assert.equal(verdict(pod(), 'has(object.spec.imagePullSecrets)', plain), 'denied');
  // The pod's own imagePullSecrets stay.
  assert.equal(verdict(pod('  serviceAccountName: builder\n  imagePullSecrets: [{ name: own }]\n'), "object.spec.imagePullSecrets.map(s, s.name) == ['own']", withSecrets), 'ok');
  // An account of another namespace, or a pod without a namespace: the cluster's account decides.
  assert.equal(verdict(builder, '!has(object.spec.imagePullSecrets)', account('builder', 'other', 'imagePullSecrets: [{ name: regcred }]\n')), 'noted');
  assert.equal(verdict(pod('  serviceAccountName: builder\n', '', ''), '!has(object.spec.imagePullSecrets)', account('builder', 'team')), 'noted');
});

const priorityClass = (name: string, body: string) => ({ [`file:///work/cluster/pc-${name}.yaml`]: `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: { name: ${name} }\n${body}` });

test("Priority: the workspace's PriorityClass gives priority and preemptionPolicy; its globalDefault class applies to a pod that names none", () => {
  const classes = { ...priorityClass('batch-low', 'value: 100\npreemptionPolicy: Never\n'), ...priorityClass('web-high', 'value: 1000\n') };
  assert.equal(verdict(pod('  priorityClassName: batch-low\n'), "object.spec.priority == 100 && object.spec.preemptionPolicy == 'Never'", classes), 'ok');
  // SetDefaults_PriorityClass: PreemptLowerPriority when the class leaves it out.
  assert.equal(verdict(pod('  priorityClassName: web-high\n'), "object.spec.priority == 1000 && object.spec.preemptionPolicy == 'PreemptLowerPriority'", classes), 'ok');
  assert.equal(verdict(pod('  priorityClassName: web-high\n'), 'object.spec.priority < 500', classes), 'denied');
  // No globalDefault class in the workspace: the cluster's default decides.
  assert.equal(verdict(pod(), 'object.spec.priority == 0', classes), 'noted');
  const withDefault = { ...classes, ...priorityClass('standard', 'value: 10\nglobalDefault: true\n') };
  assert.equal(verdict(pod(), "object.spec.priorityClassName == 'standard' && object.spec.priority == 10 && object.spec.preemptionPolicy == 'PreemptLowerPriority'", withDefault), 'ok');
  // getDefaultPriorityClass: of two marked globalDefault, the lower value.
  const twoDefaults = { ...withDefault, ...priorityClass('cheap', 'value: 5\nglobalDefault: true\n') };
  assert.equal(verdict(pod(), "object.spec.priorityClassName == 'cheap' && object.spec.priority == 5", twoDefaults), 'ok');
  // A class the workspace does not define stays the cluster's.
  assert.equal(verdict(pod('  priorityClassName: other\n'), 'object.spec.priority == 0', withDefault), 'noted');
});

const limitRange = (namespace: string, limits: string, name = 'defaults') => ({ [`file:///work/p/lr-${name}-${namespace}.yaml`]: `apiVersion: v1\nkind: LimitRange\nmetadata: { name: ${name}, namespace: ${namespace} }\nspec:\n  limits:\n${limits}` });

test("LimitRanger: the workspace's LimitRange of the pod's namespace fills the requests and limits a container leaves out, and records it", () => {
  const defaults = limitRange('team', '    - type: Container\n      default: { cpu: 500m, memory: 512Mi }\n      defaultRequest: { cpu: 0.1 }\n');
  // defaultRequest memory comes from default (SetDefaults_LimitRangeItem); cpu 0.1 is written canonically.
  assert.equal(verdict(pod(), "object.spec.containers.all(c, c.resources.limits.cpu == '500m' && c.resources.limits.memory == '512Mi' && c.resources.requests.cpu == '100m' && c.resources.requests.memory == '512Mi')", defaults), 'ok');
  assert.equal(verdict(pod(), "object.status.qosClass == 'Burstable'", defaults), 'ok');
  assert.equal(verdict(pod(), "object.metadata.annotations['kubernetes.io/limit-ranger'] == 'LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web'", defaults), 'ok');
  // What the container writes stays; only the rest is filled (SetDefaults_Pod first copies its limits to requests).
  const own = pod('', ', resources: { limits: { cpu: "1" } }');
  assert.equal(verdict(own, "object.spec.containers[0].resources.limits.cpu == '1' && object.spec.containers[0].resources.requests.cpu == '1' && object.spec.containers[0].resources.limits.memory == '512Mi'", defaults), 'ok');
  assert.equal(verdict(own, "object.metadata.annotations['kubernetes.io/limit-ranger'] == 'LimitRanger plugin set: memory request for container web; memory limit for container web'", defaults), 'ok');
  // max is the default limit, and a limit the default request.
  const maxOnly = limitRange('team', '    - type: Container\n      max: { memory: 1Gi }\n');
  assert.equal(verdict(pod(), "object.spec.containers[0].resources.limits.memory == '1Gi' && object.spec.containers[0].resources.requests.memory == '1Gi' && !has(object.spec.containers[0].resources.limits.cpu)", maxOnly), 'ok');
  // A LimitRange without Container defaults sets nothing: the pod is as written, and BestEffort.
  const podOnly = limitRange('team', '    - type: Pod\n      max: { cpu: "4" }\n');
  assert.equal(verdict(pod(), "!has(object.metadata.annotations) && object.status.qosClass == 'BestEffort'", podOnly), 'ok');
  // Another namespace's LimitRange, or a pod without a namespace: the cluster's LimitRanges decide.
  assert.equal(verdict(pod(), "object.status.qosClass == 'BestEffort'", limitRange('other', '    - type: Container\n      default: { cpu: 500m }\n')), 'noted');
  assert.equal(verdict(pod('', '', ''), "object.status.qosClass == 'BestEffort'", defaults), 'noted');
});

test('LimitRanger with two LimitRanges in the namespace: both fill, the annotation (rewritten by each) is unknown', () => {
  const two = { ...limitRange('team', '    - type: Container\n      default: { cpu: 500m }\n', 'cpu'), ...limitRange('team', '    - type: Container\n      default: { memory: 256Mi }\n', 'memory') };
  assert.equal(verdict(pod(), "object.spec.containers[0].resources.limits.cpu == '500m' && object.spec.containers[0].resources.limits.memory == '256Mi'", two), 'ok');
  assert.equal(verdict(pod(), "object.metadata.annotations['kubernetes.io/limit-ranger'].startsWith('LimitRanger')", two), 'noted');
});
