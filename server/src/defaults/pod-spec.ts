// The defaults the API server gives a pod spec when it decodes a manifest (pkg/apis/core/v1/defaults.go:
// SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_Probe, SetDefaults_HTTPGetAction,
// SetDefaults_Volume and the volume sources', SetDefaults_ObjectFieldSelector; the `+default`
// markers of k8s.io/api/core/v1/types.go are in the release's OpenAPI data, zero-values.ts).
// Each function fills a copy the caller owns (index.ts copies the document first).
import { parsedImageTag } from '../k8s/image-reference';
import { FEATURE_GATES, gateOnByDefault } from '../k8s/feature-gates';
import { isRecord } from '../manifest';
import { objects, setDefault, type Obj } from './shapes';

/** v1.TerminationMessagePathDefault, v1.DefaultTerminationGracePeriodSeconds, v1.DefaultSchedulerName. */
const TERMINATION_MESSAGE_PATH = '/dev/termination-log';
const TERMINATION_GRACE_PERIOD_SECONDS = 30;
const SCHEDULER_NAME = 'default-scheduler';
/** 0644: v1.SecretVolumeSourceDefaultMode and its siblings. */
const VOLUME_DEFAULT_MODE = 0o644;

/** The lists of a pod spec whose items SetDefaults_Container defaults. */
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];

/** A PodTemplateSpec's spec, as SetObjectDefaults_<workload> reaches it (a frozen one is a shared copy, defaulted already: index.ts). */
export function defaultPodTemplate(template: unknown, release: string): void {
  if (isRecord(template) && isRecord(template.spec) && !Object.isFrozen(template.spec)) defaultPodSpec(template.spec, release);
}

export function defaultPodSpec(spec: Obj, release: string): void {
  aliasServiceAccount(spec);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', TERMINATION_GRACE_PERIOD_SECONDS);
  setDefault(spec, 'schedulerName', SCHEDULER_NAME);
  for (const volume of objects(spec.volumes)) defaultVolume(volume, release);
  for (const list of CONTAINER_LISTS) for (const container of objects(spec[list])) if (!Object.isFrozen(container)) defaultContainer(container);
}

/**
 * The v1 round trip (pkg/apis/core/v1/conversion.go): Convert_v1_PodSpec_To_core_PodSpec reads the
 * deprecated serviceAccount when serviceAccountName is empty, Convert_core_PodSpec_To_v1_PodSpec
 * writes serviceAccountName back to both.
 */
function aliasServiceAccount(spec: Obj): void {
  const name = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName ? spec.serviceAccountName : spec.serviceAccount;
  if (typeof name !== 'string' || !name) return;
  spec.serviceAccountName = name;
  spec.serviceAccount = name;
}

/**
 * SetDefaults_Container, SetDefaults_ImageVolumeSource: Always when parsers.ParseImageName finds the
 * tag `latest` (written, or neither tag nor digest), else IfNotPresent, a missing or unparseable image included.
 */
function pullPolicyFor(image: unknown): string {
  return typeof image === 'string' && parsedImageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

export function defaultContainer(container: Obj): void {
  setDefault(container, 'imagePullPolicy', pullPolicyFor(container.image));
  setDefault(container, 'terminationMessagePath', TERMINATION_MESSAGE_PATH);
  setDefault(container, 'terminationMessagePolicy', 'File');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) if (isRecord(container[probe])) defaultProbe(container[probe]);
  if (isRecord(container.lifecycle)) for (const hook of ['postStart', 'preStop']) if (isRecord(container.lifecycle[hook])) defaultHandler(container.lifecycle[hook]);
  for (const env of objects(container.env)) if (isRecord(env.valueFrom) && isRecord(env.valueFrom.fieldRef)) setDefault(env.valueFrom.fieldRef, 'apiVersion', 'v1');
}

function defaultProbe(probe: Obj): void {
  setDefault(probe, 'timeoutSeconds', 1, true);
  setDefault(probe, 'periodSeconds', 10, true);
  setDefault(probe, 'successThreshold', 1, true);
  setDefault(probe, 'failureThreshold', 3, true);
  defaultHandler(probe);
}

function defaultHandler(handler: Obj): void {
  if (!isRecord(handler.httpGet)) return;
  setDefault(handler.httpGet, 'path', '/');
  setDefault(handler.httpGet, 'scheme', 'HTTP');
}

/** The volume sources a volume may name; none: SetDefaults_Volume gives it an emptyDir. */
const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker',
  'downwardAPI', 'fc', 'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

function defaultVolume(volume: Obj, release: string): void {
  if (!VOLUME_SOURCES.some((source) => volume[source] !== undefined && volume[source] !== null)) volume.emptyDir = {};
  for (const source of ['secret', 'configMap', 'downwardAPI', 'projected']) if (isRecord(volume[source])) setDefault(volume[source], 'defaultMode', VOLUME_DEFAULT_MODE);
  if (isRecord(volume.hostPath)) setDefault(volume.hostPath, 'type', '');
  if (isRecord(volume.projected)) for (const projection of objects(volume.projected.sources)) if (isRecord(projection.serviceAccountToken)) setDefault(projection.serviceAccountToken, 'expirationSeconds', 3600);
  if (isRecord(volume.image) && gateOnByDefault(FEATURE_GATES.ImageVolume, release)) setDefault(volume.image, 'pullPolicy', pullPolicyFor(volume.image.reference));
}
