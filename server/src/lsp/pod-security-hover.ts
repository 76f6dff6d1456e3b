// Hover on a Namespace's Pod Security label (pod-security.kubernetes.io/<mode>[-version]): what the
// mode does and what the level asks of pods, after k8s.io/pod-security-admission api/constants.go
// and the Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
import { valueAt } from '../manifest/pod-template';
import type { ManifestDocument, ObjectPath } from '../manifest';
import { LABEL_PREFIX, LEVELS, MODES, type Level, type Mode } from '../k8s/pod-security/api';

const MODE_EFFECT: Record<Mode, string> = {
  enforce: 'a pod that violates the level is rejected. A Deployment, StatefulSet, Job ... is still accepted (kubectl prints the verdict as a warning), and every pod its controller creates is refused (FailedCreate)',
  warn: 'kubectl prints a warning for a pod (or a workload\'s pod template) that violates the level; nothing is rejected',
  audit: 'a violation is recorded in the API server\'s audit log; nothing is rejected',
};

const LEVEL_ASKS: Record<Level, string> = {
  privileged: 'no restriction at all',
  baseline:
    'no known privilege escalation: no host namespaces (`hostNetwork`, `hostPID`, `hostIPC`), no `privileged` containers, no `hostPath` volumes or host ports, capabilities only from the default set, and no unusual AppArmor, SELinux, seccomp, `procMount` or sysctl settings',
  restricted:
    'baseline, and hardening: `runAsNonRoot: true`, `allowPrivilegeEscalation: false`, capabilities dropped to none (`drop: ["ALL"]`, only `NET_BIND_SERVICE` may be added back), a `RuntimeDefault` or `Localhost` seccomp profile, and only the common volume types',
};

/** The hover section for `path` when it is a Pod Security label of a Namespace; '' otherwise. */
export function podSecurityLabelNote(doc: ManifestDocument, path: ObjectPath): string {
  if (doc.kind !== 'Namespace' || path.length !== 3 || path[0] !== 'metadata' || path[1] !== 'labels') return '';
  const key = String(path[2]);
  if (!key.startsWith(LABEL_PREFIX)) return '';
  const [mode, version] = key.slice(LABEL_PREFIX.length).split('-') as [Mode, string | undefined];
  if (!MODES.includes(mode) || (version !== undefined && version !== 'version')) return '';
  const value = valueAt(doc.value, path);
  if (version) {
    const which = value === 'latest' || value === undefined ? 'the checks of the Kubernetes release the cluster runs' : `the checks as Kubernetes ${String(value)} defined them`;
    return `**Pod Security, ${mode} version**: the \`${mode}\` level is judged with ${which} (\`latest\` when unset).`;
  }
  const level = LEVELS.includes(value as Level) ? (value as Level) : undefined;
  const asks = level ? ` Level **${level}** asks for ${LEVEL_ASKS[level]}.` : ` The level is one of ${LEVELS.map((l) => `\`${l}\``).join(', ')}.`;
  return `**Pod Security, ${mode} mode**: in this namespace ${MODE_EFFECT[mode]}.${asks}`;
}
