// policy/check_sysctls.go: baseline, only the namespaced "safe" sysctls; the safe set grows with
// the policy version (1.0, 1.27, 1.29, 1.32, 1.37). Forbidden names are listed in the pod's order.
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { podSecurityContext, rec, str } from '../helpers';

const V1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
const V1_27 = [...V1_0, 'net.ipv4.ip_local_reserved_ports'];
const V1_29 = [...V1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const V1_32 = [...V1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const V1_37 = [...V1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

export const sysctls: Check = {
  id: 'sysctls',
  level: 'baseline',
  versions: [
    [0, V1_0],
    [27, V1_27],
    [29, V1_29],
    [32, V1_32],
    [37, V1_37],
  ].map(([minimumVersion, allowed]) => {
    const set = new Set(allowed as string[]);
    return { minimumVersion: minimumVersion as number, checkPod: (pod: PodParts) => sysctlsCheck(pod, set) };
  }),
};

function sysctlsCheck(pod: PodParts, allowed: Set<string>): CheckResult {
  const forbidden: string[] = [];
  const paths: TemplatePath[] = [];
  const list = podSecurityContext(pod)?.sysctls;
  (Array.isArray(list) ? list : []).forEach((s, i) => {
    const name = str(rec(s)?.name);
    if (allowed.has(name)) return;
    forbidden.push(name);
    paths.push(['spec', 'securityContext', 'sysctls', i, 'name']);
  });
  if (forbidden.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: 'forbidden sysctls', forbiddenDetail: forbidden.join(', '), paths };
}
