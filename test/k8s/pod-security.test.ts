// The Pod Security policy port (server/src/k8s/pod-security/) against k8s.io/pod-security-admission:
// each case cites the upstream test (policy/*_test.go, api/helpers_test.go) it comes from, with
// upstream's expected reason and detail; the registry and label cases follow policy/registry.go
// (populate, EvaluatePod) and api/helpers.go (PolicyToEvaluate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_CHECKS,
  LATEST,
  checksFor,
  evaluatePod,
  forbiddenDetail,
  levelVersionString,
  policyToEvaluate,
  violatesMessage,
  wouldViolateMessage,
  type Check,
  type CheckResult,
  type LevelVersion,
  type PodParts,
} from '../../server/src/k8s/pod-security';

/** The revision of check `id` registered for policy version 1.`minor` (as upstream tests call e.g. sysctlsV1Dot27). */
function checkAt(id: string, minor: number): (pod: PodParts) => CheckResult {
  const c = DEFAULT_CHECKS.find((x) => x.id === id);
  assert.ok(c, `check ${id} is registered`);
  const revision = [...c.versions].reverse().find((v) => v.minimumVersion <= minor);
  assert.ok(revision, `${id} applies at 1.${minor}`);
  return revision.checkPod;
}

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): PodParts {
  return { metadata, spec };
}

function expectForbidden(result: CheckResult, reason: string, detail: string): void {
  assert.equal(result.allowed, false);
  assert.equal(result.forbiddenReason, reason);
  assert.equal(result.forbiddenDetail, detail);
}

const restricted = (version = LATEST): LevelVersion => ({ level: 'restricted', version });
const baseline = (version = LATEST): LevelVersion => ({ level: 'baseline', version });

test('check_hostPorts_test.go TestHostPort: ports listed sorted and distinct, containers in order', () => {
  const check = checkAt('hostPorts', 0);
  expectForbidden(check(pod({ containers: [{ name: 'a', ports: [{ hostPort: 0 }] }, { name: 'b', ports: [{ hostPort: 0 }, { hostPort: 20 }] }] })), 'hostPort', 'container "b" uses hostPort 20');
  expectForbidden(
    check(pod({ containers: [{ name: 'a', ports: [{ hostPort: 0 }] }, { name: 'b', ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 20 }] }, { name: 'c', ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 30 }] }] })),
    'hostPort',
    'containers "b", "c" use hostPorts 10, 20, 30',
  );
  // sets.String sorts the ports as text
  expectForbidden(check(pod({ containers: [{ name: 'a', ports: [{ hostPort: 8080 }, { hostPort: 80 }, { hostPort: 443 }] }] })), 'hostPort', 'container "a" uses hostPorts 443, 80, 8080');
});

test('check_capabilities_restricted_test.go TestCapabilitiesRestricted "multiple containers" and the Windows exemption from 1.25', () => {
  const spec = {
    containers: [
      { name: 'a', securityContext: { capabilities: { add: ['FOO', 'BAR'] } } },
      { name: 'b', securityContext: { capabilities: { add: ['BAR', 'BAZ'] } } },
      { name: 'c', securityContext: { capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'], drop: ['ALL', 'FOO'] } } },
    ],
  };
  const detail = 'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add';
  expectForbidden(checkAt('capabilities_restricted', 22)(pod(spec)), 'unrestricted capabilities', detail);
  expectForbidden(checkAt('capabilities_restricted', 25)(pod(spec)), 'unrestricted capabilities', detail);
  assert.equal(checkAt('capabilities_restricted', 25)(pod({ os: { name: 'windows' }, containers: [{ name: 'a' }] })).allowed, true);
  assert.equal(checkAt('capabilities_restricted', 22)(pod({ os: { name: 'windows' }, containers: [{ name: 'a' }] })).allowed, false, 'before 1.25 Windows pods are judged too');
  expectForbidden(checkAt('capabilities_restricted', 25)(pod({ os: { name: 'linux' }, containers: [{ name: 'a' }] })), 'unrestricted capabilities', 'container "a" must set securityContext.capabilities.drop=["ALL"]');
});

test('check_runAsNonRoot_test.go TestRunAsNonRoot: explicit false before implicit, pod-level true covers containers, hostUsers: false from 1.35', () => {
  const check = checkAt('runAsNonRoot', 35);
  expectForbidden(check(pod({ containers: [{ name: 'a' }] })), 'runAsNonRoot != true', 'pod or container "a" must set securityContext.runAsNonRoot=true');
  expectForbidden(check(pod({ securityContext: { runAsNonRoot: false }, containers: [{ name: 'a' }] })), 'runAsNonRoot != true', 'pod must not set securityContext.runAsNonRoot=false');
  expectForbidden(
    check(
      pod({
        securityContext: { runAsNonRoot: true },
        containers: [
          { name: 'a' },
          { name: 'b', securityContext: {} },
          { name: 'c', securityContext: { runAsNonRoot: false } },
          { name: 'd', securityContext: { runAsNonRoot: false } },
          { name: 'e', securityContext: { runAsNonRoot: true } },
          { name: 'f', securityContext: { runAsNonRoot: true } },
        ],
      }),
    ),
    'runAsNonRoot != true',
    'containers "c", "d" must not set securityContext.runAsNonRoot=false',
  );
  expectForbidden(
    check(pod({ containers: [{ name: 'a' }, { name: 'b', securityContext: {} }, { name: 'd', securityContext: { runAsNonRoot: true } }, { name: 'e', securityContext: { runAsNonRoot: true } }] })),
    'runAsNonRoot != true',
    'pod or containers "a", "b" must set securityContext.runAsNonRoot=true',
  );
  assert.equal(check(pod({ hostUsers: false })).allowed, true);
  assert.equal(checkAt('runAsNonRoot', 34)(pod({ hostUsers: false, containers: [{ name: 'a' }] })).allowed, false, 'the user-namespace relaxation starts at 1.35');
});

test('check_restrictedVolumes_test.go TestRestrictedVolumes "host path volumes": every restricted type and "unknown", sorted', () => {
  const allowed = ['emptyDir', 'secret', 'persistentVolumeClaim', 'downwardAPI', 'configMap', 'projected', 'csi', 'ephemeral', 'image'].map((t, i) => ({ name: `a${i + 1}`, [t]: {} }));
  const restrictedTypes = [
    'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte',
    'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
  ].map((t, i) => ({ name: `b${i + 1}`, [t]: {} }));
  expectForbidden(
    checkAt('restrictedVolumes', 0)(pod({ volumes: [...allowed, ...restrictedTypes, { name: 'c1' }] })),
    'restricted volume types',
    'volumes ' +
      '"b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21", "c1"' +
      ' use restricted volume types ' +
      '"awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", ' +
      '"hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "unknown", "vsphereVolume"',
  );
});

test('check_seLinuxOptions_test.go TestSELinuxOptions "invalid pod and containers" (1.31 allows container_engine_t)', () => {
  const spec = {
    securityContext: { seLinuxOptions: { type: 'foo', user: 'bar', role: 'baz' } },
    containers: [
      { name: 'a', securityContext: { seLinuxOptions: { type: 'container_t' } } },
      { name: 'b', securityContext: { seLinuxOptions: { type: 'container_init_t' } } },
      { name: 'c', securityContext: { seLinuxOptions: { type: 'container_kvm_t' } } },
      { name: 'd', securityContext: { seLinuxOptions: { type: 'container_engine_t' } } },
      { name: 'e', securityContext: { seLinuxOptions: { type: 'bar' } } },
      { name: 'f', securityContext: { seLinuxOptions: { user: 'bar' } } },
      { name: 'g', securityContext: { seLinuxOptions: { role: 'baz' } } },
    ],
  };
  expectForbidden(checkAt('seLinuxOptions', 31)(pod(spec)), 'seLinuxOptions', 'pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set');
  expectForbidden(checkAt('seLinuxOptions', 30)(pod(spec)), 'seLinuxOptions', 'pod and containers "d", "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "container_engine_t", "foo"; user may not be set; role may not be set');
});

test('check_appArmorProfile_test.go TestCheckAppArmor_Forbidden: profile types and sorted annotations', () => {
  const check = checkAt('appArmorProfile', 0);
  expectForbidden(check(pod({ securityContext: { appArmorProfile: { type: 'Unconfined' } } })), 'forbidden AppArmor profile', 'pod must not set AppArmor profile type to "Unconfined"');
  expectForbidden(check(pod({ initContainers: [{ name: 'bar', securityContext: { appArmorProfile: { type: 'Unconfined' } } }] })), 'forbidden AppArmor profile', 'container "bar" must not set AppArmor profile type to "Unconfined"');
  const p = 'container.apparmor.security.beta.kubernetes.io/';
  expectForbidden(
    check(pod({}, { annotations: { [`${p}f`]: 'unknown', [p]: 'bogus', [`${p}a`]: '', [`${p}b`]: 'runtime/default', [`${p}c`]: 'localhost/', [`${p}d`]: 'localhost/foo', [`${p}e`]: 'unconfined' } })),
    'forbidden AppArmor profiles',
    `annotations must not set AppArmor profile type to "${p}="bogus"", "${p}e="unconfined"", "${p}f="unknown""`,
  );
});

test('check_sysctls_test.go TestSysctls*: the safe set per version, names in the pod\'s order', () => {
  expectForbidden(checkAt('sysctls', 0)(pod({ securityContext: { sysctls: [{ name: 'b' }, { name: 'a' }] } })), 'forbidden sysctls', 'b, a');
  const one = (name: string) => pod({ securityContext: { sysctls: [{ name, value: '1' }] } });
  expectForbidden(checkAt('sysctls', 0)(one('net.ipv4.ip_local_reserved_ports')), 'forbidden sysctls', 'net.ipv4.ip_local_reserved_ports');
  assert.equal(checkAt('sysctls', 27)(one('net.ipv4.ip_local_reserved_ports')).allowed, true);
  assert.equal(checkAt('sysctls', 27)(one('net.ipv4.tcp_keepalive_time')).allowed, false);
  assert.equal(checkAt('sysctls', 29)(one('net.ipv4.tcp_keepalive_time')).allowed, true);
  assert.equal(checkAt('sysctls', 29)(one('net.ipv4.tcp_rmem')).allowed, false);
  assert.equal(checkAt('sysctls', 32)(one('net.ipv4.tcp_rmem')).allowed, true);
  assert.equal(checkAt('sysctls', 32)(one('net.ipv4.tcp_notsent_lowat')).allowed, false);
  assert.equal(checkAt('sysctls', 37)(one('net.ipv4.tcp_notsent_lowat')).allowed, true);
});

test('check_hostProbesAndhostLifecycle_test.go: hosts and containers sorted and distinct (1.34+)', () => {
  const check = checkAt('hostProbesAndHostLifecycle', 34);
  expectForbidden(
    check(pod({ containers: [{ name: 'a', livenessProbe: { httpGet: { host: 'localhost' } }, readinessProbe: { tcpSocket: { host: '127.0.0.1' } }, startupProbe: { httpGet: { host: '::1' } } }] })),
    'probe or lifecycle host',
    'container "a" uses probe or lifecycle hosts "127.0.0.1", "::1", "localhost"',
  );
  expectForbidden(
    check(pod({ containers: [{ name: 'invalid2', lifecycle: { preStop: { httpGet: { host: 'b.com' } } } }, { name: 'invalid1', lifecycle: { postStart: { tcpSocket: { host: 'a.com' } } } }] })),
    'probe or lifecycle host',
    'containers "invalid1", "invalid2" use probe or lifecycle hosts "a.com", "b.com"',
  );
  assert.equal(check(pod({ containers: [{ name: 'a', livenessProbe: { httpGet: { host: '' } } }] })).allowed, true);
});

test('check_seccompProfile_restricted_test.go and check_allowPrivilegeEscalation_test.go: the restricted words', () => {
  expectForbidden(
    checkAt('seccompProfile_restricted', 25)(pod({ containers: [{ name: 'a' }, { name: 'b', securityContext: { seccompProfile: { type: 'Unconfined' } } }] })),
    'seccompProfile',
    'container "b" must not set securityContext.seccompProfile.type to "Unconfined"',
  );
  expectForbidden(checkAt('seccompProfile_restricted', 25)(pod({ containers: [{ name: 'a' }, { name: 'b' }] })), 'seccompProfile', 'pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"');
  assert.equal(checkAt('seccompProfile_restricted', 25)(pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'a' }] })).allowed, true);
  expectForbidden(
    checkAt('allowPrivilegeEscalation', 25)(pod({ initContainers: [{ name: 'init' }], containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: true } }, { name: 'b', securityContext: { allowPrivilegeEscalation: false } }] })),
    'allowPrivilegeEscalation != false',
    'containers "init", "a" must set securityContext.allowPrivilegeEscalation=false',
  );
});

test('check_seccompProfile_baseline_test.go: the alpha annotations before 1.19, the field from 1.19', () => {
  expectForbidden(
    checkAt('seccompProfile_baseline', 0)(pod({ containers: [{ name: 'a' }] }, { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/a': 'runtime/default' } })),
    'seccompProfile',
    'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"',
  );
  expectForbidden(checkAt('seccompProfile_baseline', 19)(pod({ securityContext: { seccompProfile: { type: 'Unconfined' } } })), 'seccompProfile', 'pod must not set securityContext.seccompProfile.type to "Unconfined"');
});

test('the baseline checks that have no cases above: privileged, host namespaces, hostPath, procMount, runAsUser, hostProcess, capabilities', () => {
  expectForbidden(checkAt('privileged', 0)(pod({ containers: [{ name: 'a', securityContext: { privileged: true } }, { name: 'b', securityContext: { privileged: false } }] })), 'privileged', 'container "a" must not set securityContext.privileged=true');
  expectForbidden(checkAt('hostNamespaces', 0)(pod({ hostNetwork: true, hostPID: false, hostIPC: true })), 'host namespaces', 'hostNetwork=true, hostIPC=true');
  expectForbidden(checkAt('hostPathVolumes', 0)(pod({ volumes: [{ name: 'a', hostPath: { path: '/' } }, { name: 'b', emptyDir: {} }, { name: 'c', hostPath: {} }] })), 'hostPath volumes', 'volumes "a", "c"');
  expectForbidden(checkAt('procMount', 0)(pod({ containers: [{ name: 'a', securityContext: { procMount: 'Unmasked' } }, { name: 'b', securityContext: { procMount: 'Default' } }] })), 'procMount', 'container "a" must not set securityContext.procMount to "Unmasked"');
  assert.equal(checkAt('procMount', 35)(pod({ hostUsers: false, containers: [{ name: 'a', securityContext: { procMount: 'Unmasked' } }] })).allowed, true);
  expectForbidden(checkAt('runAsUser', 23)(pod({ securityContext: { runAsUser: 0 }, containers: [{ name: 'a', securityContext: { runAsUser: 0 } }, { name: 'b', securityContext: { runAsUser: 1000 } }] })), 'runAsUser=0', 'pod and container "a" must not set runAsUser=0');
  expectForbidden(
    checkAt('windowsHostProcess', 0)(pod({ securityContext: { windowsOptions: { hostProcess: true } }, containers: [{ name: 'a', securityContext: { windowsOptions: { hostProcess: true } } }] })),
    'hostProcess',
    'pod and container "a" must not set securityContext.windowsOptions.hostProcess=true',
  );
  expectForbidden(checkAt('capabilities_baseline', 0)(pod({ containers: [{ name: 'a', securityContext: { capabilities: { add: ['SYS_ADMIN', 'CHOWN', 'NET_ADMIN'] } } }] })), 'non-default capabilities', 'container "a" must not include "NET_ADMIN", "SYS_ADMIN" in securityContext.capabilities.add');
});

test('registry.go populate: restricted runs the baseline checks it does not override, baseline first, each level sorted by id', () => {
  const ids = (lv: LevelVersion, emulated?: number) => checksFor(lv, emulated).map((c) => c.id);
  assert.deepEqual(ids(baseline()), ['appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'hostProbesAndHostLifecycle', 'privileged', 'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess']);
  assert.deepEqual(ids(restricted()), [
    'appArmorProfile', 'hostNamespaces', 'hostPorts', 'hostProbesAndHostLifecycle', 'privileged', 'seLinuxOptions', 'sysctls', 'windowsHostProcess',
    'allowPrivilegeEscalation', 'capabilities_restricted', 'procMount_restricted', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted',
  ]);
  // before 1.22 restricted has no capabilities check of its own, so the baseline one runs; before 1.8 no allowPrivilegeEscalation
  assert.ok(ids(restricted({ minor: 21 })).includes('capabilities_baseline'));
  assert.ok(!ids(restricted({ minor: 21 })).includes('capabilities_restricted'));
  assert.ok(!ids(restricted({ minor: 7 })).includes('allowPrivilegeEscalation'));
  // procMount: restricted keeps the unconditional check from 1.35 and replaces baseline's
  assert.ok(ids(restricted({ minor: 34 })).includes('procMount') && !ids(restricted({ minor: 34 })).includes('procMount_restricted'));
  // an API server of 1.33 has no 1.34 check, even for `latest`
  assert.ok(!ids(baseline(), 33).includes('hostProbesAndHostLifecycle'));
  assert.ok(ids(baseline(), 34).includes('hostProbesAndHostLifecycle'));
  assert.ok(!ids(baseline({ minor: 36 }), 33).includes('hostProbesAndHostLifecycle'), 'a version newer than the server is clamped to the server');
  assert.deepEqual(ids({ level: 'privileged', version: LATEST }), []);
});

test('a check with several versions runs the revision of the version asked for (registry_test.go TestCheckRegistry, on synthetic checks)', () => {
  const tag = (id: string, minor: number) => ({ minimumVersion: minor, checkPod: () => ({ allowed: false, forbiddenReason: `${id}:v1.${minor}` }) });
  const make = (id: string, level: Check['level'], minors: number[], overrides?: string[]): Check => ({ id, level, versions: minors.map((m) => ({ ...tag(id, m), overrideCheckIds: overrides })) });
  const checks: Check[] = [
    make('a', 'baseline', [0]),
    make('b', 'baseline', [10]),
    make('c', 'baseline', [0, 5, 10]),
    make('d', 'baseline', [11, 15, 20]),
    make('e', 'restricted', [0]),
    make('f', 'restricted', [12, 16, 21]),
    make('g', 'restricted', [10], ['a']),
    make('h', 'restricted', [0], ['b']),
    { id: 'i', level: 'restricted', versions: [{ ...tag('i', 10), overrideCheckIds: ['c'] }, { ...tag('i', 21), overrideCheckIds: ['d'] }] },
  ];
  const run = (lv: LevelVersion) => checksFor(lv, undefined, checks).map((c) => c.revision.checkPod(pod({})).forbiddenReason).sort();
  assert.deepEqual(run(baseline({ minor: 0 })), ['a:v1.0', 'c:v1.0']);
  assert.deepEqual(run(baseline({ minor: 5 })), ['a:v1.0', 'c:v1.5']);
  assert.deepEqual(run(baseline({ minor: 11 })), ['a:v1.0', 'b:v1.10', 'c:v1.10', 'd:v1.11']);
  assert.deepEqual(run(baseline()), ['a:v1.0', 'b:v1.10', 'c:v1.10', 'd:v1.20']);
  assert.deepEqual(run(restricted({ minor: 5 })), ['a:v1.0', 'c:v1.5', 'e:v1.0', 'h:v1.0']);
  assert.deepEqual(run(restricted({ minor: 10 })), ['e:v1.0', 'g:v1.10', 'h:v1.0', 'i:v1.10']);
  assert.deepEqual(run(restricted({ minor: 11 })), ['d:v1.11', 'e:v1.0', 'g:v1.10', 'h:v1.0', 'i:v1.10']);
  assert.deepEqual(run(restricted()), ['c:v1.10', 'e:v1.0', 'f:v1.21', 'g:v1.10', 'h:v1.0', 'i:v1.21']);
  assert.deepEqual(run(restricted({ minor: 10000 })), ['c:v1.10', 'e:v1.0', 'f:v1.21', 'g:v1.10', 'h:v1.0', 'i:v1.21']);
});

test('admission.go EvaluatePod: the enforce and warn messages, reasons joined in check order', () => {
  const spec = { hostNetwork: true, containers: [{ name: 'web', image: 'nginx', securityContext: { privileged: true } }] };
  const result = evaluatePod(restricted(), pod(spec), 35);
  assert.equal(
    violatesMessage('web-0', restricted(), result),
    'pods "web-0" is forbidden: violates PodSecurity "restricted:latest": host namespaces (hostNetwork=true), privileged (container "web" must not set securityContext.privileged=true), ' +
      'allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), ' +
      'runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  );
  const v135 = { level: 'baseline' as const, version: { minor: 35 } };
  assert.equal(wouldViolateMessage(v135, evaluatePod(v135, pod(spec), 35)), 'would violate PodSecurity "baseline:v1.35": host namespaces (hostNetwork=true), privileged (container "web" must not set securityContext.privileged=true)');
  assert.equal(forbiddenDetail(evaluatePod(restricted(), pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'web', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] }), 35)), '');
});

test('api/helpers.go PolicyToEvaluate: levels, versions, warn following enforce, invalid labels', () => {
  const P = 'pod-security.kubernetes.io/';
  const { policy } = policyToEvaluate({ [`${P}enforce`]: 'restricted', [`${P}enforce-version`]: 'v1.30' });
  assert.equal(levelVersionString(policy.enforce), 'restricted:v1.30');
  assert.equal(levelVersionString(policy.warn), 'restricted:v1.30', 'warn defaults to a more restrictive enforce level and its version');
  assert.equal(levelVersionString(policy.audit), 'privileged:latest');
  assert.equal(levelVersionString(policyToEvaluate({ [`${P}enforce`]: 'baseline', [`${P}warn`]: 'restricted' }).policy.warn), 'restricted:latest');
  assert.equal(levelVersionString(policyToEvaluate({ [`${P}enforce`]: 'baseline', [`${P}warn-version`]: 'v1.29' }).policy.warn), 'baseline:v1.29');
  const bad = policyToEvaluate({ [`${P}enforce`]: 'strict', [`${P}warn`]: 'loud', [`${P}audit-version`]: '1.30' });
  assert.equal(bad.policy.enforce.level, 'restricted', 'an invalid enforce level fails closed');
  assert.equal(bad.policy.warn.level, 'privileged', 'an invalid warn level fails open');
  assert.deepEqual(
    bad.errors.map((e) => `${e.label}=${e.value}: ${e.detail}`),
    [`${P}enforce=strict: must be one of privileged, baseline, restricted`, `${P}audit-version=1.30: must be "latest" or "v1.x"`, `${P}warn=loud: must be one of privileged, baseline, restricted`],
  );
  const assumed = policyToEvaluate({}, { enforce: { level: 'baseline', version: LATEST }, warn: { level: 'privileged', version: LATEST }, audit: { level: 'privileged', version: LATEST } });
  assert.equal(levelVersionString(assumed.policy.enforce), 'baseline:latest', 'no labels: the defaults');
});
