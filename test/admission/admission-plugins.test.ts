// What a policy sees of an object that the default-on mutating admission plugins, the Service
// registry's allocation and the strategies' PrepareForCreate changed before validating admission:
// - plugin/pkg/admission/serviceaccount/admission.go Admit (serviceAccountName "default", the
//   kube-api-access token volume and mounts, shouldAutomount), priority/admission.go admitPod,
//   defaulttolerationseconds/admission.go Admit, storage/storageclass/setdefault/admission.go Admit;
// - pkg/registry/core/service/storage/alloc.go allocateCreate and initIPFamilyFields;
// - pkg/registry/*/strategy.go PrepareForCreate: the status reset, metadata.generation 1;
//   apiextensions-apiserver customresource/strategy.go PrepareForCreate.
// A constant is judged; what depends on the cluster is noted (information), never a denial.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace';
import { parseManifest } from '../../server/src/manifest';
import { checkFile } from '../../server/src/check';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { DENY_BINDING, octopusCrd, octopusV1, policyOn } from './fixtures';

const policy = policyOn;

/** 'ok' when admitted, 'denied' when refused, 'noted' when kdry cannot tell (one information finding). */
function verdict(doc: string, vap: string, kubernetesVersion = '1.35', others: Record<string, string> = {}): string {
  const workspace = new WorkspaceIndex();
  const file = parseManifest(doc, 'file:///work/p/doc.yaml');
  workspace.set(file);
  for (const [uri, text] of Object.entries({ 'file:///work/p/vap.yaml': vap, 'file:///work/p/b.yaml': DENY_BINDING, ...others })) workspace.set(parseManifest(text, uri));
  const out = checkFile(file, workspace, { ...DEFAULT_SETTINGS, kubernetesVersion }).filter((f) => f.ruleId === 'admission-policy' || f.ruleId === 'kdry-internal');
  if (out.length === 0) return 'ok';
  assert.equal(out.length, 1, out.map((f) => f.message).join('\n'));
  if (out[0].severity === 'error' && out[0].message.includes('denied request')) return 'denied';
  assert.equal(out[0].severity, 'info', out[0].message);
  return 'noted';
}

const pod = (spec = '') => `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: team }
spec:
  containers: [{ name: web, image: "nginx:1.27" }]
${spec}`;
const onPods = (expression: string) => policy(expression, '', 'pods');

test('ServiceAccount admission: serviceAccountName "default" (and its v1 alias serviceAccount) when none is named', () => {
  assert.equal(verdict(pod(), onPods("object.spec.serviceAccountName == 'default' && object.spec.serviceAccount == 'default'")), 'ok');
  assert.equal(verdict(pod('  serviceAccountName: builder\n'), onPods("object.spec.serviceAccountName == 'builder' && object.spec.serviceAccount == 'builder'")), 'ok');
  // Convert_v1_PodSpec_To_core_PodSpec: the deprecated alias names the account when serviceAccountName is empty.
  assert.equal(verdict(pod('  serviceAccount: legacy\n'), onPods("object.spec.serviceAccountName == 'legacy'")), 'ok');
  // The documentation's kind of policy: no pod on the default account. Before, every such pod passed.
  assert.equal(verdict(pod(), onPods("object.spec.serviceAccountName != 'default'")), 'denied');
  // imagePullSecrets come from the cluster's ServiceAccount when the pod lists none.
  assert.equal(verdict(pod(), onPods('!has(object.spec.imagePullSecrets)')), 'noted');
  assert.equal(verdict(pod('  imagePullSecrets: [{ name: regcred }]\n'), onPods("object.spec.imagePullSecrets[0].name == 'regcred'")), 'ok');
});

test('ServiceAccount admission: the API token volume and its mounts follow automountServiceAccountToken (shouldAutomount), the volume name is random', () => {
  const token = "object.spec.volumes.exists(v, has(v.projected) && v.projected.defaultMode == 420 && v.projected.sources.exists(s, has(s.serviceAccountToken) && s.serviceAccountToken.expirationSeconds == 3607 && s.serviceAccountToken.path == 'token'))";
  const mounted = "object.spec.containers.all(c, c.volumeMounts.exists(m, m.mountPath == '/var/run/secrets/kubernetes.io/serviceaccount' && m.readOnly))";
  assert.equal(verdict(pod('  automountServiceAccountToken: true\n'), onPods(`${token} && ${mounted}`)), 'ok');
  assert.equal(verdict(pod('  automountServiceAccountToken: true\n'), onPods("object.spec.volumes.all(v, v.name != 'secrets')")), 'noted');
  assert.equal(verdict(pod('  automountServiceAccountToken: false\n'), onPods('!has(object.spec.volumes) && object.spec.containers.all(c, !has(c.volumeMounts))')), 'ok');
  // Not written: the cluster's ServiceAccount decides, so the volumes and mounts are unknown; the rest of the containers is not.
  assert.equal(verdict(pod(), onPods('object.spec.volumes.all(v, !has(v.hostPath))')), 'noted');
  assert.equal(verdict(pod(), onPods("object.spec.containers.all(c, c.image.startsWith('nginx'))")), 'ok');
  assert.equal(verdict(pod(), onPods("object.spec.containers.all(c, c.image.startsWith('busybox'))")), 'denied');
  // A container that already mounts the path keeps its mounts; with every container so, nothing is added.
  const own = pod('  volumes: [{ name: own, emptyDir: {} }]\n').replace('image: "nginx:1.27" }', 'image: "nginx:1.27", volumeMounts: [{ name: own, mountPath: /var/run/secrets/kubernetes.io/serviceaccount }] }');
  assert.equal(verdict(own, onPods("size(object.spec.volumes) == 1 && object.spec.volumes[0].name == 'own'")), 'ok');
});

test('LimitRanger: a container that leaves cpu or memory requests or limits out gets the namespace\'s LimitRange defaults, a cluster object', () => {
  const limits = "object.spec.containers.all(c, has(c.resources.limits) && has(c.resources.limits.memory))";
  assert.equal(verdict(pod(), onPods(limits)), 'noted');
  const full = pod().replace('image: "nginx:1.27" }', 'image: "nginx:1.27", resources: { limits: { cpu: "1", memory: 1Gi } } }');
  // Requests default to the limits (SetDefaults_Pod), so nothing is left for a LimitRange to fill.
  assert.equal(verdict(full, onPods(`${limits} && object.status.qosClass == 'Guaranteed'`)), 'ok');
  // It records what it set in an annotation.
  assert.equal(verdict(pod(), onPods('!has(object.metadata.annotations)')), 'noted');
  assert.equal(verdict(full, onPods('!has(object.metadata.annotations)')), 'ok');
  const cpuOnly = pod().replace('image: "nginx:1.27" }', 'image: "nginx:1.27", resources: { limits: { cpu: "1" } } }');
  assert.equal(verdict(cpuOnly, onPods(limits)), 'noted');
  // A Deployment's template is not admitted as a pod: judged as written.
  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: team }\nspec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers: [{ name: web, image: "nginx:1.27" }]\n';
  assert.equal(verdict(deployment, policy('object.spec.template.spec.containers.all(c, has(c.resources.limits))', 'apps', 'deployments')), 'denied');
});

test('Priority admission: the system classes are constants; another class or the global default is the cluster\'s', () => {
  assert.equal(verdict(pod('  priorityClassName: system-node-critical\n'), onPods("object.spec.priority == 2000001000 && object.spec.preemptionPolicy == 'PreemptLowerPriority'")), 'ok');
  assert.equal(verdict(pod('  priorityClassName: system-cluster-critical\n'), onPods('object.spec.priority == 2000000000')), 'ok');
  assert.equal(verdict(pod('  priorityClassName: system-cluster-critical\n'), onPods('object.spec.priority < 1000')), 'denied');
  assert.equal(verdict(pod('  priorityClassName: batch-low\n'), onPods('object.spec.priority < 1000')), 'noted');
  assert.equal(verdict(pod(), onPods('object.spec.priority == 0')), 'noted');
  assert.equal(verdict(pod(), onPods("object.spec.priorityClassName != 'system-node-critical'")), 'noted');
  // A value the pod writes stays: the plugin refuses the pod unless it equals the class's.
  assert.equal(verdict(pod('  priorityClassName: batch-low\n  priority: 10\n  preemptionPolicy: Never\n'), onPods("object.spec.priority == 10 && object.spec.preemptionPolicy == 'Never'")), 'ok');
});

test('DefaultTolerationSeconds: the not-ready and unreachable NoExecute tolerations a pod lacks, their seconds from the API server\'s flags', () => {
  const added = (key: string) => `object.spec.tolerations.exists(t, t.key == '${key}' && t.operator == 'Exists' && t.effect == 'NoExecute')`;
  assert.equal(verdict(pod(), onPods(`${added('node.kubernetes.io/not-ready')} && ${added('node.kubernetes.io/unreachable')} && size(object.spec.tolerations) == 2`)), 'ok');
  assert.equal(verdict(pod(), onPods('object.spec.tolerations.all(t, t.tolerationSeconds <= 600)')), 'noted');
  // A toleration with an empty key and effect tolerates both taints: nothing is added.
  assert.equal(verdict(pod('  tolerations: [{ operator: Exists }]\n'), onPods('size(object.spec.tolerations) == 1')), 'ok');
  // One for not-ready with its own seconds: only unreachable is added.
  const one = '  tolerations: [{ key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 60 }]\n';
  assert.equal(verdict(pod(one), onPods("size(object.spec.tolerations) == 2 && object.spec.tolerations[0].tolerationSeconds == 60 && object.spec.tolerations[1].key == 'node.kubernetes.io/unreachable'")), 'ok');
  // A Deployment's template is not a pod: the plugins leave it alone.
  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: team }\nspec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers: [{ name: web, image: "nginx:1.27" }]\n';
  assert.equal(verdict(deployment, policy('!has(object.spec.template.spec.tolerations) && !has(object.spec.template.spec.serviceAccountName)', 'apps', 'deployments')), 'ok');
  // A template's account is aliased as in any v1 pod spec (Convert_core_PodSpec_To_v1_PodSpec).
  const named = deployment.replace('      containers:', '      serviceAccountName: builder\n      containers:');
  assert.equal(verdict(named, policy("object.spec.template.spec.serviceAccount == 'builder'", 'apps', 'deployments')), 'ok');
});

test('DefaultStorageClass: a claim without a class gets the cluster\'s default; "" or the beta annotation keep it', () => {
  const claim = (extra = '', annotations = '') => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: data, namespace: team${annotations} }\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: { requests: { storage: 1Gi } }\n${extra}`;
  const onClaims = (e: string) => policy(e, '', 'persistentvolumeclaims');
  assert.equal(verdict(claim(), onClaims("object.spec.storageClassName == 'fast'")), 'noted');
  assert.equal(verdict(claim('  storageClassName: ""\n'), onClaims("object.spec.storageClassName == ''")), 'ok');
  assert.equal(verdict(claim('  storageClassName: slow\n'), onClaims("object.spec.storageClassName == 'fast'")), 'denied');
  assert.equal(verdict(claim('', ', annotations: { volume.beta.kubernetes.io/storage-class: fast }'), onClaims('!has(object.spec.storageClassName)')), 'ok');
  // PrepareForCreate resets the status (persistentvolumeclaim/strategy.go).
  assert.equal(verdict(claim('  storageClassName: slow\nstatus: { phase: Bound }\n'), onClaims('!has(object.status.phase)')), 'ok');
});

test('Service allocation: cluster IPs, IP families and node ports are the cluster\'s; the family policy and a headless Service\'s IPs are not', () => {
  const service = (spec: string) => `apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: team }\nspec:\n  selector: { app: web }\n  ports: [{ port: 80 }]\n${spec}`;
  const onServices = (e: string) => policy(e, '', 'services');
  assert.equal(verdict(service(''), onServices("object.spec.clusterIP != '10.0.0.1'")), 'noted');
  assert.equal(verdict(service(''), onServices('size(object.spec.clusterIPs) == 1')), 'noted');
  assert.equal(verdict(service(''), onServices("object.spec.ipFamilies == ['IPv4']")), 'noted');
  assert.equal(verdict(service(''), onServices("object.spec.ipFamilyPolicy == 'SingleStack'")), 'ok');
  assert.equal(verdict(service('  ipFamilies: [IPv4, IPv6]\n'), onServices("object.spec.ipFamilyPolicy == 'RequireDualStack'")), 'ok');
  assert.equal(verdict(service('  clusterIP: None\n'), onServices("object.spec.clusterIPs == ['None'] && object.spec.ipFamilyPolicy == 'SingleStack'")), 'ok');
  assert.equal(verdict(service('  clusterIP: 10.96.0.10\n  ipFamilies: [IPv4]\n'), onServices("object.spec.clusterIPs == ['10.96.0.10'] && object.spec.ipFamilies == ['IPv4']")), 'ok');
  assert.equal(verdict(service('  type: NodePort\n'), onServices('object.spec.ports.all(p, p.nodePort >= 30000)')), 'noted');
  assert.equal(verdict(service('  type: NodePort\n  clusterIP: 10.96.0.10\n').replace('port: 80 }', 'port: 80, nodePort: 30080 }'), onServices('object.spec.ports.all(p, p.nodePort >= 30000)')), 'ok');
  assert.equal(verdict(service('  type: LoadBalancer\n  externalTrafficPolicy: Local\n'), onServices('object.spec.healthCheckNodePort > 0')), 'noted');
  const external = 'apiVersion: v1\nkind: Service\nmetadata: { name: db, namespace: team }\nspec:\n  type: ExternalName\n  externalName: db.example.com\n';
  assert.equal(verdict(external, onServices('!has(object.spec.clusterIP) && !has(object.spec.ipFamilies) && !has(object.spec.ipFamilyPolicy)')), 'ok');
  // PrepareForCreate resets a written status to ServiceStatus{}.
  assert.equal(verdict(service('  clusterIP: None\n') + 'status: { loadBalancer: { ingress: [{ ip: 1.2.3.4 }] } }\n', onServices('!has(object.status.loadBalancer.ingress)')), 'ok');
});

test('PrepareForCreate: a written status is reset and metadata.generation is 1 (apps, batch strategies); a Pod\'s from 1.33; none for a ConfigMap', () => {
  const deployment = (extra: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: team, generation: 7 }\nspec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers: [{ name: web, image: "nginx:1.27" }]\n${extra}`;
  const onDeployments = (e: string) => policy(e, 'apps', 'deployments');
  assert.equal(verdict(deployment('status: { replicas: 5, readyReplicas: 5 }\n'), onDeployments('!has(object.status.replicas) && object.metadata.generation == 1')), 'ok');
  // Before, the written status was judged: a false denial.
  assert.equal(verdict(deployment('status: { readyReplicas: 0 }\n'), onDeployments('!has(object.status.readyReplicas) || object.status.readyReplicas > 0')), 'ok');
  const statefulSet = deployment('status: { replicas: 5 }\n').replace('kind: Deployment', 'kind: StatefulSet');
  // StatefulSetStatus.replicas has no omitempty: the zero status serialises it.
  assert.equal(verdict(statefulSet, policy('object.status.replicas == 0 && object.metadata.generation == 1', 'apps', 'statefulsets')), 'ok');
  assert.equal(verdict(pod(), onPods('object.metadata.generation == 1'), '1.33'), 'ok');
  assert.equal(verdict(pod(), onPods('!has(object.metadata.generation)'), '1.32'), 'ok');
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: team, generation: 3 }\ndata: { a: b }\n';
  assert.equal(verdict(configMap, policy('!has(object.metadata.generation)', '', 'configmaps')), 'ok');
});

test('a custom resource: generation 1; a written status dropped where the version has the status subresource (customresource/strategy.go PrepareForCreate)', () => {
  const octopus = 'apiVersion: sea.example.com/v1\nkind: Octopus\nmetadata: { name: o, namespace: team }\nspec: { arms: 8 }\nstatus: { ready: true }\n';
  const onOctopi = (e: string) => policy(e, 'sea.example.com', 'octopi');
  const withCrd = (subresources: string) => ({ 'file:///work/crds/octopi.yaml': octopusCrd(octopusV1(subresources)) });
  assert.equal(verdict(octopus, onOctopi('object.metadata.generation == 1 && !has(object.status)'), '1.35', withCrd('      subresources: { status: {} }\n')), 'ok');
  assert.equal(verdict(octopus, onOctopi('object.metadata.generation == 1 && object.status.ready'), '1.35', withCrd('')), 'ok');
});
