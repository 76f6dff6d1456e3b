// policy/check_hostPathVolumes.go: baseline, no hostPath volumes (1.0+).
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { isSet, joinQuote, pluralize, rec, str } from '../helpers';

export const HOST_PATH_VOLUMES_ID = 'hostPathVolumes';

export const hostPathVolumes: Check = {
  id: HOST_PATH_VOLUMES_ID,
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: hostPathVolumes_1_0 }],
};

function hostPathVolumes_1_0(pod: PodParts): CheckResult {
  const names: string[] = [];
  const paths: TemplatePath[] = [];
  (Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).forEach((v, i) => {
    const volume = rec(v);
    if (volume && isSet(volume.hostPath)) {
      names.push(str(volume.name));
      paths.push(['spec', 'volumes', i, 'hostPath']);
    }
  });
  if (names.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: 'hostPath volumes', forbiddenDetail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`, paths };
}
