// policy/check_restrictedVolumes.go: restricted, inline volumes only of the kinds configMap, csi,
// downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret (1.0+,
// replacing the baseline hostPath check).
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { isSet, joinQuote, pluralize, rec, sortedSet, str } from '../helpers';
import { HOST_PATH_VOLUMES_ID } from './host-path-volumes';

const ALLOWED_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
/** In upstream's order: the first one set names the volume's type. */
const RESTRICTED_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc',
  'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
];

export const restrictedVolumes: Check = {
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [{ minimumVersion: 0, checkPod: restrictedVolumes_1_0, overrideCheckIds: [HOST_PATH_VOLUMES_ID] }],
};

function restrictedVolumes_1_0(pod: PodParts): CheckResult {
  const badVolumes: string[] = [];
  const badTypes: string[] = [];
  const paths: TemplatePath[] = [];
  (Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).forEach((v, i) => {
    const volume = rec(v) ?? {};
    if (ALLOWED_SOURCES.some((s) => isSet(volume[s]))) return;
    badVolumes.push(str(volume.name));
    const type = RESTRICTED_SOURCES.find((s) => isSet(volume[s]));
    badTypes.push(type ?? 'unknown');
    paths.push(type ? ['spec', 'volumes', i, type] : ['spec', 'volumes', i]);
  });
  if (badVolumes.length === 0) return ALLOWED;
  const types = sortedSet(badTypes);
  return {
    allowed: false,
    forbiddenReason: 'restricted volume types',
    forbiddenDetail: `${pluralize('volume', 'volumes', badVolumes.length)} ${joinQuote(badVolumes)} ${pluralize('uses', 'use', badVolumes.length)} ${pluralize('restricted volume type', 'restricted volume types', types.length)} ${joinQuote(types)}`,
    paths,
  };
}
