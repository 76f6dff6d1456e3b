// What `kubectl apply` prints as `Warning:` for a pod or pod template: the API server accepts the
// object but says something is deprecated, ignored or ambiguous. Reproduces
// kubernetes/kubernetes pkg/api/pod/warnings.go warningsForPodSpecAndMeta (release-1.35) and
// pkg/api/node/util.go GetNodeLabelDeprecatedMessage; each warning text is upstream's, with the same
// field path. Not reproduced: overlapping projected-volume paths and the ephemeral volume claim's
// own warnings.
import { isRecord, keyRange, valueRange, type ManifestDocument, type ObjectPath } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding, Fix, Severity } from '../findings';
import { defineRule } from './define-rule';
import { podTemplatePath, valueAt } from '../manifest/pod-template';
import { fieldPath } from './lookup/field-path';
import { amountOf, formatAmount } from '../k8s/quantity-amount';
import { isWholeUnits } from '../k8s/quantity';
import { compareVersions } from '../k8s/release-version';
import { FEATURE_GATES, gateOnByDefault } from '../k8s/feature-gates';

/** pkg/api/node/util.go deprecatedNodeLabels, with the label that replaces each where there is one. */
const DEPRECATED_NODE_LABELS: Record<string, { message: string; replacement?: string }> = {
  'beta.kubernetes.io/arch': { message: 'deprecated since v1.14; use "kubernetes.io/arch" instead', replacement: 'kubernetes.io/arch' },
  'beta.kubernetes.io/os': { message: 'deprecated since v1.14; use "kubernetes.io/os" instead', replacement: 'kubernetes.io/os' },
  'failure-domain.beta.kubernetes.io/region': { message: 'deprecated since v1.17; use "topology.kubernetes.io/region" instead', replacement: 'topology.kubernetes.io/region' },
  'failure-domain.beta.kubernetes.io/zone': { message: 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead', replacement: 'topology.kubernetes.io/zone' },
  'beta.kubernetes.io/instance-type': { message: 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead', replacement: 'node.kubernetes.io/instance-type' },
  'app.kubernetes.io/created-by': { message: 'deprecated since v1.9' },
  'scheduler.alpha.kubernetes.io/preferAvoidPods': { message: 'deprecated since v1.22; use Taints and Tolerations instead' },
  'node-role.kubernetes.io/master': { message: 'use "node-role.kubernetes.io/control-plane" instead', replacement: 'node-role.kubernetes.io/control-plane' },
};

/** warnings.go deprecatedAnnotations. */
const DEPRECATED_ANNOTATIONS: [key: string, message: string][] = [
  ['scheduler.alpha.kubernetes.io/critical-pod', 'non-functional in v1.16+; use the "priorityClassName" field instead'],
  ['security.alpha.kubernetes.io/sysctls', 'non-functional in v1.11+; use the "sysctls" field instead'],
  ['security.alpha.kubernetes.io/unsafe-sysctls', 'non-functional in v1.11+; use the "sysctls" field instead'],
];

/** warnings.go "deprecated and removed volume plugins", in its order. */
const DEPRECATED_VOLUMES: [field: string, message: string][] = [
  ['photonPersistentDisk', 'deprecated in v1.11, non-functional in v1.16+'],
  ['gitRepo', 'deprecated in v1.11'],
  ['scaleIO', 'deprecated in v1.16, non-functional in v1.22+'],
  ['flocker', 'deprecated in v1.22, non-functional in v1.25+'],
  ['storageOS', 'deprecated in v1.22, non-functional in v1.25+'],
  ['quobyte', 'deprecated in v1.22, non-functional in v1.25+'],
  ['glusterfs', 'deprecated in v1.25, non-functional in v1.26+'],
  ['cephfs', 'deprecated in v1.28, non-functional in v1.31+'],
  ['rbd', 'deprecated in v1.28, non-functional in v1.31+'],
];

/**
 * GitRepoVolumeDriver turned off by default in 1.33 (kube_features.go, deprecated stage): the kubelet
 * then refuses the mount (pkg/volume/git_repo/git_repo.go) and the pod never starts.
 */
const GIT_REPO_OFF_SINCE = '1.33';
const GIT_REPO_DISABLED = 'git-repo volume plugin has been disabled; if necessary, it may be re-enabled by enabling the feature-gate GitRepoVolumeDriver';

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const APPARMOR_CONTAINER_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export const apiServerWarnings: Rule = defineRule({
  id: 'api-server-warnings',
  title: 'The API server accepts this with a warning',
  severity: 'warning',
  kinds: ['apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob', 'v1/Pod', 'v1/ReplicationController', 'v1/PodTemplate'],
  description: [
    'For a pod or a pod template the API server returns warnings beside the created object, and `kubectl apply` prints each as `Warning: …` (pkg/api/pod/warnings.go):',
    'deprecated node labels in `nodeSelector`, node affinity and `topologySpreadConstraints`; a missing `labelSelector` that matches no pod;',
    'deprecated annotations (critical-pod, sysctls, seccomp, AppArmor from Kubernetes 1.30); deprecated volume plugins; a repeated `hostAliases` IP or `imagePullSecrets` name, or an empty one;',
    'fractional byte amounts of memory or ephemeral storage; an `env` entry that hides an earlier one of the same name (`kubectl apply` may drop it);',
    'container ports that repeat, overlap or are ambiguous, and `hostIP` without `hostPort`; a negative `terminationGracePeriodSeconds`.',
    'A `gitRepo` volume is an error from Kubernetes 1.33: the kubelet no longer mounts it (GitRepoVolumeDriver off by default) and the pod never starts.',
  ].join(' '),
  remediation: 'Do what the warning says: use the replacement label or field, remove the repeated entry, write whole bytes (`512Mi`, not `0.5Gi` of a non-whole byte count). Replace a `gitRepo` volume with an `emptyDir` that an init container clones into.',
  check,
});

interface Warning {
  path: ObjectPath;
  text: string;
  /** Mark the key (the default) or the value. */
  on?: 'key' | 'value';
  severity?: Severity;
  fixes?: () => Fix[];
}

function check({ doc, kubernetes }: RuleContext): Finding[] {
  const templatePath = doc.kind === 'PodTemplate' ? ['template'] : podTemplatePath(doc);
  if (!templatePath) return [];
  const template = valueAt(doc.value, templatePath);
  if (!isRecord(template)) return [];
  const warnings = warningsFor(template, templatePath, kubernetes.version, doc);
  const findings: Finding[] = [];
  for (const w of warnings) {
    const range = (w.on === 'value' ? valueRange(doc, w.path) : keyRange(doc, w.path)) ?? valueRange(doc, w.path);
    if (!range) continue;
    findings.push({
      ruleId: apiServerWarnings.id,
      range,
      ...(w.severity ? { severity: w.severity } : {}),
      message: w.severity === 'error' ? w.text : `The API server accepts this ${doc.kind} with a warning: \`${w.text}\`.`,
      ...(w.fixes ? { fixes: w.fixes } : {}),
    });
  }
  return findings;
}

/** The upstream field path of `path` as the API server names it (a Pod's own fields start at `spec`, `metadata`). */
const shown = (path: ObjectPath) => fieldPath(path);
const keyed = (path: ObjectPath, key: string) => `${fieldPath(path)}[${key}]`;

// Every document with a pod template goes through warningsFor, and most have no warning: paths are
// built only for a warning (a path per label, container, port and resource list, built up front,
// was about 45 MB of allocation per 10,000 documents, issue #11), and the loops are indexed (a
// `for...of` in code V8 has not optimised allocates an iterator result per element).
const RESOURCE_LISTS = ['limits', 'requests'];
const BYTE_RESOURCES = ['memory', 'ephemeral-storage'];
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];
const POD_AFFINITIES = ['podAffinity', 'podAntiAffinity'];

/** A field of a map, if the value is a map (valueAt for a one-segment path). */
function fieldOf(value: unknown, field: string): unknown {
  return isRecord(value) ? value[field] : undefined;
}

function warningsFor(template: Record<string, unknown>, at: ObjectPath, release: string, doc: ManifestDocument): Warning[] {
  const spec = isRecord(template.spec) ? template.spec : {};
  const annotations = isRecord(template.metadata) && isRecord(template.metadata.annotations) ? template.metadata.annotations : undefined;
  const specAt = [...at, 'spec'];
  const annotationsAt = [...at, 'metadata', 'annotations'];
  const out: Warning[] = [];

  // deprecated node labels in selectors, affinity and topology
  if (isRecord(spec.nodeSelector)) {
    for (const key of Object.keys(spec.nodeSelector)) {
      const deprecated = DEPRECATED_NODE_LABELS[key];
      if (deprecated) out.push({ path: [...specAt, 'nodeSelector', key], text: `${keyed([...specAt, 'nodeSelector'], key)}: ${deprecated.message}`, fixes: renameKey(doc, [...specAt, 'nodeSelector', key], deprecated.replacement) });
    }
  }
  const nodeAffinity = valueAt(spec, ['affinity', 'nodeAffinity']);
  if (isRecord(nodeAffinity)) {
    const required = valueAt(nodeAffinity, ['requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms']);
    if (Array.isArray(required)) {
      required.forEach((term, i) => out.push(...nodeSelectorTermWarnings(term, [...specAt, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms', i], doc)));
    }
    const preferred = nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    if (Array.isArray(preferred)) {
      preferred.forEach((term, i) => isRecord(term) && out.push(...nodeSelectorTermWarnings(term.preference, [...specAt, 'affinity', 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution', i, 'preference'], doc)));
    }
  }
  if (Array.isArray(spec.topologySpreadConstraints)) {
    spec.topologySpreadConstraints.forEach((t, i) => {
      if (!isRecord(t)) return;
      const path = [...specAt, 'topologySpreadConstraints', i];
      const deprecated = typeof t.topologyKey === 'string' ? DEPRECATED_NODE_LABELS[t.topologyKey] : undefined;
      if (deprecated) out.push({ path: [...path, 'topologyKey'], on: 'value', text: `${shown([...path, 'topologyKey'])}: ${t.topologyKey} is ${deprecated.message}`, fixes: replaceValue(doc, [...path, 'topologyKey'], deprecated.replacement) });
      if (t.labelSelector === undefined || t.labelSelector === null) out.push({ path: onScalar(t, path, 'topologyKey'), text: `${shown([...path, 'labelSelector'])}: a null labelSelector results in matching no pod` });
    });
  }

  // deprecated annotations
  if (annotations) {
    for (let i = 0; i < DEPRECATED_ANNOTATIONS.length; i++) {
      const [key, message] = DEPRECATED_ANNOTATIONS[i];
      if (key in annotations) out.push({ path: [...annotationsAt, key], text: `${keyed(annotationsAt, key)}: ${message}` });
    }
  }

  // deprecated and removed volume plugins
  const gitRepoOff = compareVersions(release, GIT_REPO_OFF_SINCE) >= 0;
  if (Array.isArray(spec.volumes)) {
    spec.volumes.forEach((v, i) => {
      if (!isRecord(v)) return;
      for (const [field, message] of DEPRECATED_VOLUMES) {
        if (v[field] === undefined || v[field] === null) continue;
        const path = [...specAt, 'volumes', i, field];
        const text = `${shown(path)}: ${message}`;
        if (field === 'gitRepo' && gitRepoOff) {
          out.push({ path, severity: 'error', text: `From Kubernetes ${GIT_REPO_OFF_SINCE} the kubelet no longer mounts a \`gitRepo\` volume (GitRepoVolumeDriver off by default): the pod stays ContainerCreating with \`FailedMount\`: \`${GIT_REPO_DISABLED}\`. The API server also warns \`${text}\`.` });
        } else {
          out.push({ path, text });
        }
      }
    });
  }

  // duplicate hostAliases IPs and imagePullSecrets names, empty imagePullSecrets names
  repeated(out, spec.hostAliases, specAt, 'hostAliases', 'ip', 'duplicate ip');
  repeated(out, spec.imagePullSecrets, specAt, 'imagePullSecrets', 'name', 'duplicate name');
  if (Array.isArray(spec.imagePullSecrets)) {
    spec.imagePullSecrets.forEach((s, i) => {
      if (isRecord(s) && (s.name === undefined || s.name === '')) out.push({ path: onScalar(s, [...specAt, 'imagePullSecrets', i], 'name'), text: `${shown([...specAt, 'imagePullSecrets', i, 'name'])}: invalid empty name ""` });
    });
  }

  // fractional memory/ephemeral-storage in the pod's overhead
  if (isRecord(spec.overhead)) fractionalBytes(out, spec.overhead, specAt, 'overhead');

  // seccomp annotations without the field (non-functional since 1.27)
  const podSecurity = spec.securityContext;
  const podSeccomp = fieldOf(podSecurity, 'seccompProfile') !== undefined;
  if (!podSeccomp && annotations && SECCOMP_POD_ANNOTATION in annotations) {
    out.push({ path: [...annotationsAt, SECCOMP_POD_ANNOTATION], text: `${keyed(annotationsAt, SECCOMP_POD_ANNOTATION)}: non-functional in v1.27+; use the "seccompProfile" field instead` });
  }
  // AppArmor annotations on a template, once the fields exist (AppArmorFields, on by default from 1.30)
  const appArmorFields = gateOnByDefault(FEATURE_GATES.AppArmorFields, release) && at.length > 0;
  const podAppArmor = fieldOf(podSecurity, 'appArmorProfile') !== undefined;

  const ports: Port[] = [];
  // pods.VisitContainersWithPath order: init containers, then containers (ephemeral ones are not in templates).
  for (let l = 0; l < CONTAINER_LISTS.length; l++) {
    const field = CONTAINER_LISTS[l];
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    for (let c = 0; c < list.length; c++) {
      const container: unknown = list[c];
      if (isRecord(container)) containerWarnings(out, ports, container, [...specAt, field, c], annotations, annotationsAt, appArmorFields && !podAppArmor);
    }
  }
  if (ports.length > 1) portClashes(out, ports);

  const grace = spec.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace < 0) {
    out.push({ path: [...specAt, 'terminationGracePeriodSeconds'], text: `${shown([...specAt, 'terminationGracePeriodSeconds'])}: must be >= 0; negative values are invalid and will be treated as 1` });
  }

  for (let k = 0; k < POD_AFFINITIES.length; k++) {
    const kind = POD_AFFINITIES[k];
    const affinity = fieldOf(spec.affinity, kind);
    if (!isRecord(affinity)) continue;
    const required = affinity.requiredDuringSchedulingIgnoredDuringExecution;
    if (Array.isArray(required)) {
      required.forEach((t, i) => {
        const path = [...specAt, 'affinity', kind, 'requiredDuringSchedulingIgnoredDuringExecution', i];
        if (isRecord(t) && (t.labelSelector === undefined || t.labelSelector === null)) out.push({ path: onScalar(t, path, 'topologyKey'), text: `${shown([...path, 'labelSelector'])}: a null labelSelector results in matching no pod` });
      });
    }
    const preferred = affinity.preferredDuringSchedulingIgnoredDuringExecution;
    if (Array.isArray(preferred)) {
      preferred.forEach((t, i) => {
        const path = [...specAt, 'affinity', kind, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'podAffinityTerm'];
        const term = isRecord(t) ? t.podAffinityTerm : undefined;
        if (isRecord(term) && (term.labelSelector === undefined || term.labelSelector === null)) out.push({ path, text: `${shown([...path, 'labelSelector'])}: a null labelSelector results in matching no pod` });
      });
    }
  }
  return out;
}

/**
 * Where to mark a warning about a list item: one of its scalar fields, which the fast loader
 * locates without the document's YAML tree; the item itself when that field is absent.
 */
function onScalar(item: Record<string, unknown>, path: ObjectPath, field: string): ObjectPath {
  return item[field] !== undefined && item[field] !== null && typeof item[field] !== 'object' ? [...path, field] : path;
}

/** A container port, as the pod's port clashes compare them; `container` is the container's path. */
interface Port {
  container: ObjectPath;
  index: number;
  containerPort: unknown;
  protocol: string;
  hostPort: number;
  hostIP: string;
}

/**
 * One container's warnings: seccomp and AppArmor annotations (`appArmor`: the fields exist and the
 * pod sets none), fractional bytes, hidden env entries, hostIP without hostPort; its ports go into `ports`.
 */
function containerWarnings(out: Warning[], ports: Port[], container: Record<string, unknown>, path: ObjectPath, annotations: Record<string, unknown> | undefined, annotationsAt: ObjectPath, appArmor: boolean): void {
  const security = container.securityContext;
  if (annotations) {
    const name = typeof container.name === 'string' ? container.name : '';
    const seccompKey = SECCOMP_CONTAINER_PREFIX + name;
    if (fieldOf(security, 'seccompProfile') === undefined && seccompKey in annotations) {
      out.push({ path: [...annotationsAt, seccompKey], text: `${keyed(annotationsAt, seccompKey)}: non-functional in v1.27+; use the "seccompProfile" field instead` });
    }
    const appArmorKey = APPARMOR_CONTAINER_PREFIX + name;
    if (appArmor && fieldOf(security, 'appArmorProfile') === undefined && appArmorKey in annotations) {
      out.push({ path: [...annotationsAt, appArmorKey], text: `${keyed(annotationsAt, appArmorKey)}: deprecated since v1.30; use the "appArmorProfile" field instead` });
    }
  }
  for (let k = 0; k < RESOURCE_LISTS.length; k++) {
    const list = fieldOf(container.resources, RESOURCE_LISTS[k]);
    if (isRecord(list)) fractionalBytes(out, list, path, 'resources', RESOURCE_LISTS[k]);
  }
  hiddenEnv(out, container.env, path);
  const list = container.ports;
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const p: unknown = list[i];
    if (!isRecord(p)) continue;
    const hostPort = typeof p.hostPort === 'number' ? p.hostPort : 0;
    const hostIP = typeof p.hostIP === 'string' ? p.hostIP : '';
    const protocol = typeof p.protocol === 'string' ? p.protocol : 'TCP'; // SetDefaults_ContainerPort
    ports.push({ container: path, index: i, containerPort: p.containerPort, protocol, hostPort, hostIP });
    if (hostIP !== '' && hostPort === 0) {
      // Go's %+v of the defaulted core.ContainerPort
      const port = `{Name:${typeof p.name === 'string' ? p.name : ''} HostPort:0 ContainerPort:${String(p.containerPort ?? 0)} Protocol:${protocol} HostIP:${hostIP}}`;
      out.push({ path: [...path, 'ports', i, 'hostIP'], text: `${shown([...path, 'ports', i])}: hostIP set without hostPort: ${port}` });
    }
  }
}

/** pkg/api/node/util.go GetWarningsForNodeSelectorTerm: deprecated keys in matchExpressions. */
function nodeSelectorTermWarnings(term: unknown, at: ObjectPath, doc: ManifestDocument): Warning[] {
  if (!isRecord(term) || !Array.isArray(term.matchExpressions)) return [];
  const out: Warning[] = [];
  term.matchExpressions.forEach((e, i) => {
    const key = isRecord(e) && typeof e.key === 'string' ? e.key : undefined;
    const deprecated = key === undefined ? undefined : DEPRECATED_NODE_LABELS[key];
    if (!deprecated) return;
    const path = [...at, 'matchExpressions', i, 'key'];
    out.push({ path, on: 'value', text: `${shown(path)}: ${key} is ${deprecated.message}`, fixes: replaceValue(doc, path, deprecated.replacement) });
  });
  return out;
}

/** `spec.<listField>[i].<field>` repeating an earlier item's. */
function repeated(out: Warning[], list: unknown, specAt: ObjectPath, listField: string, field: string, what: string): void {
  if (!Array.isArray(list) || list.length < 2) return;
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const value = isRecord(item) && typeof item[field] === 'string' ? item[field] : '';
    if (!seen.has(value)) return void seen.add(value);
    const path = [...specAt, listField, i, field];
    out.push({ path, on: 'value', text: `${shown(path)}: ${what} ${JSON.stringify(value)}` });
  });
}

/**
 * Memory and ephemeral storage are bytes: a quantity whose milli-value is not a multiple of 1000 is
 * not whole. `list` is at `[...parent, field, kind]` (`kind`, if given).
 */
function fractionalBytes(out: Warning[], list: Record<string, unknown>, parent: ObjectPath, field: string, kind?: string): void {
  for (let r = 0; r < BYTE_RESOURCES.length; r++) {
    const resource = BYTE_RESOURCES[r];
    const value = list[resource];
    if ((typeof value !== 'string' && typeof value !== 'number') || isWholeUnits(value) !== false) continue;
    const at = kind === undefined ? [...parent, field] : [...parent, field, kind];
    const amount = amountOf(value)!;
    out.push({ path: [...at, resource], on: 'value', text: `${keyed(at, resource)}: fractional byte value ${JSON.stringify(formatAmount(amount))} is invalid, must be an integer` });
  }
}

/** warnings.go: a later env entry of the same name that does not build on the earlier value (`env` of the container at `container`). */
function hiddenEnv(out: Warning[], env: unknown, container: ObjectPath): void {
  if (!Array.isArray(env) || env.length < 2) return;
  const seen = new Set<string>();
  env.forEach((item, i) => {
    if (!isRecord(item) || typeof item.name !== 'string') return;
    if (!seen.has(item.name)) {
      seen.add(item.name);
      return;
    }
    const ref = `$(${item.name})`;
    const value = typeof item.value === 'string' ? item.value : '';
    const bad = item.valueFrom !== undefined || value === ref || !value.includes(ref);
    if (bad) out.push({ path: [...container, 'env', i, 'name'], on: 'value', text: `${shown([...container, 'env', i])}: hides previous definition of ${JSON.stringify(item.name)}, which may be dropped when using apply` });
  });
}

/** warnings.go: ports of the pod with the same containerPort/protocol. */
function portClashes(out: Warning[], ports: Port[]): void {
  const byKey = new Map<string, Port[]>();
  const pathOf = (port: Port): ObjectPath => [...port.container, 'ports', port.index];
  for (const port of ports) {
    const key = `${String(port.containerPort)}/${port.protocol}`;
    const others = byKey.get(key);
    if (!others) {
      byKey.set(key, [port]);
      continue;
    }
    for (const other of others) {
      const here = shown(pathOf(port));
      const there = shown(pathOf(other));
      const aEmpty = port.hostIP === '';
      const bEmpty = other.hostIP === '';
      const at = [...pathOf(port), 'containerPort'];
      if (port.hostIP === other.hostIP && port.hostPort === other.hostPort) out.push({ path: at, text: `${here}: duplicate port definition with ${there}` });
      else if (port.hostPort === 0 || other.hostPort === 0) out.push({ path: at, text: `${here}: overlapping port definition with ${there}` });
      else if (port.hostPort === other.hostPort && aEmpty !== bEmpty) out.push({ path: at, text: `${here}: dangerously ambiguous port definition with ${there}` });
    }
    others.push(port);
  }
}

function renameKey(doc: ManifestDocument, path: ObjectPath, replacement: string | undefined): (() => Fix[]) | undefined {
  if (!replacement) return undefined;
  return () => {
    const range = keyRange(doc, path);
    return range ? [{ title: `Use ${replacement}`, edits: [{ range, newText: replacement }] }] : [];
  };
}

function replaceValue(doc: ManifestDocument, path: ObjectPath, replacement: string | undefined): (() => Fix[]) | undefined {
  if (!replacement) return undefined;
  return () => {
    const range = valueRange(doc, path);
    return range ? [{ title: `Use ${replacement}`, edits: [{ range, newText: replacement }] }] : [];
  };
}
