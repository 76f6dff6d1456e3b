// Pod Security Admission: a Namespace labelled `pod-security.kubernetes.io/enforce|warn|audit`
// (with `-version`) puts every pod in it under a level, judged by the built-in admission plugin
// (k8s.io/pod-security-admission, ported in k8s/pod-security/). Under `enforce` a workload is
// accepted but each pod its controller creates is forbidden (FailedCreate); `warn` is a warning
// kubectl prints; `audit` a line in the audit log. Without a labelled Namespace in scope,
// `kdry.podSecurity.assumeLevel` names the level the cluster enforces by default.
import { YAMLSeq } from 'yaml';
import { isRecord, keyRange, valueRange, type ManifestDocument, type ObjectPath, type Offsets } from '../manifest';
import type { Finding, Fix, Severity, TextEdit } from '../findings';
import {
  LATEST,
  MODES,
  PRIVILEGED_POLICY,
  evaluatePod,
  labelErrorString,
  levelLabel,
  levelVersionString,
  policyToEvaluate,
  versionLabel,
  violatesMessage,
  wouldViolateMessage,
  type AggregateCheckResult,
  type LevelVersion,
  type Mode,
  type Policy,
  type TemplatePath,
} from '../k8s/pod-security';
import { podTemplatePath, stringMap, valueAt } from '../manifest/pod-template';
import { namespaceObjectOf } from '../scope/namespace-object';
import { buildsOf, type Build } from '../scope/built-document';
import { Ring, whereFrom } from '../scope/scope';
import type { IndexedDocument } from '../workspace';
import { defineRule } from './define-rule';
import { setMapEntries } from './edits/map-edit';
import { everyPodForbidden, podNameOf } from './lookup/failed-create';
import { findingsPerBuild } from './lookup/per-build';
import { writtenPath } from './lookup/written-path';
import type { Rule, RuleContext } from './types';

const WORKLOAD_KINDS = ['v1/Pod', 'v1/ReplicationController', 'apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob'];

export const podSecurity: Rule = defineRule({
  id: 'pod-security',
  title: 'Pods the namespace\'s Pod Security level forbids',
  severity: 'error',
  kinds: [...WORKLOAD_KINDS, 'v1/Namespace'],
  crossDocument: true,
  description: [
    'A Namespace labelled `pod-security.kubernetes.io/enforce: baseline|restricted` (optionally `pod-security.kubernetes.io/enforce-version: v1.30`) makes the API server judge every pod created in it by the Pod Security Standards.',
    'A Deployment, StatefulSet, Job or other controller whose pod template breaks them is still accepted, but every pod it creates is forbidden: the controller records `FailedCreate` with',
    '`pods "web-..." is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), ...` and no pod ever runs.',
    'The `warn` label makes kubectl print `Warning: would violate PodSecurity ...` (a warning here) and `audit` records the violation in the audit log (information here).',
    'kdry runs the same checks as the admission plugin for the level and version (`latest` is the newest policy the target Kubernetes release knows), with its words.',
    'Where no Namespace in scope says, `kdry.podSecurity.assumeLevel` (`podSecurity: {assumeLevel: restricted}` in .kdry/config.yaml, `--assume-pod-security` for `kdry check`) names the level the cluster enforces by default.',
    'A Namespace whose labels name no valid level or version is refused (`Namespace "shop" is invalid: metadata.labels[...]: Invalid value: ...`). See docs/pod-security.md.',
  ].join(' '),
  remediation:
    'Set what the message asks in the pod template: `securityContext.allowPrivilegeEscalation: false`, `runAsNonRoot: true`, `seccompProfile: {type: RuntimeDefault}` and `capabilities: {drop: ["ALL"]}` on each container for `restricted`; drop host namespaces, hostPath volumes, host ports and privileged containers for `baseline`. Or run the workload in a namespace with a lower level.',
  check,
});

function check(ctx: RuleContext): Finding[] {
  return ctx.doc.kind === 'Namespace' ? namespaceLabelFindings(ctx.doc) : workloadFindings(ctx);
}

/** The API server refuses a Namespace whose Pod Security labels it cannot read (ValidateNamespace on create). */
function namespaceLabelFindings(doc: ManifestDocument): Finding[] {
  const labels = stringMap(valueAt(doc.value, ['metadata', 'labels']));
  if (!labels) return [];
  const { errors } = policyToEvaluate(labels);
  if (errors.length === 0) return [];
  const all = errors.map(labelErrorString);
  const text = all.length === 1 ? all[0] : `[${all.join(', ')}]`;
  return errors.flatMap((e) => {
    const range = valueRange(doc, ['metadata', 'labels', e.label]);
    return range ? [{ ruleId: podSecurity.id, range, message: `The API server refuses this Namespace: Namespace ${JSON.stringify(doc.name ?? '')} is invalid: ${text}` }] : [];
  });
}

interface PolicySource {
  policy: Policy;
  /** Why these levels: the Namespace and its labels, or the setting. */
  describe(mode: Mode): string;
  namespace?: IndexedDocument;
  ring: Ring;
}

function policySource(ctx: RuleContext, build: Build): PolicySource | undefined {
  const assumed = ctx.settings?.podSecurityAssumeLevel;
  const defaults: Policy = assumed ? { ...PRIVILEGED_POLICY, enforce: { level: assumed, version: LATEST } } : PRIVILEGED_POLICY;
  const { namespace: nsName = '', matches, ring } = namespaceObjectOf(ctx.workspace, { uri: ctx.file.uri, doc: ctx.doc }, build);
  const labelSets = matches.map((m) => stringMap(valueAt(m.doc.value, ['metadata', 'labels'])) ?? {});
  // Namespaces of that name equally near that disagree on their labels: kdry cannot tell which is applied.
  const podSecurityLabels = (labels: Record<string, string>) => JSON.stringify(MODES.flatMap((m) => [labels[levelLabel(m)], labels[versionLabel(m)]]));
  if (labelSets.some((l) => podSecurityLabels(l) !== podSecurityLabels(labelSets[0]))) return undefined;
  const namespace = matches[0];
  const labels = labelSets[0] ?? {};
  const { policy } = policyToEvaluate(labels, defaults);
  return {
    policy,
    namespace,
    // without a Namespace the verdict rests on the setting alone, as certain as the user made it
    ring: namespace ? ring : Ring.File,
    describe(mode) {
      const label = labels[levelLabel(mode)];
      if (namespace && label !== undefined) {
        const version = labels[versionLabel(mode)];
        return `Namespace "${nsName}"${whereFrom(ctx.workspace, ctx.file.uri, namespace, ring)} ${mode === 'enforce' ? 'enforces' : mode === 'warn' ? 'warns at' : 'audits at'} ${levelVersionString(policy[mode])} (label ${levelLabel(mode)}: ${label}${version !== undefined ? `, ${versionLabel(mode)}: ${version}` : ''})`;
      }
      if (namespace && mode === 'warn' && labels[levelLabel('enforce')] !== undefined) return `Namespace "${nsName}" warns at its enforce level`;
      const where = namespace ? `Namespace "${nsName}" has no ${levelLabel(mode)} label` : nsName !== '' ? `no Namespace "${nsName}" in the workspace` : 'the namespace is not set';
      return `${where}; kdry.podSecurity.assumeLevel assumes the cluster enforces ${levelVersionString(policy.enforce)}`;
    },
  };
}

/**
 * The pods of the object each build applies (an overlay's patch may add or drop what the levels
 * forbid, and its `namespace:` chooses the Namespace whose labels judge them): the admission
 * plugin judges the pod the controller creates from the applied template.
 */
function workloadFindings(ctx: RuleContext): Finding[] {
  const templatePath = podTemplatePath(ctx.doc);
  if (!templatePath) return [];
  return findingsPerBuild(buildsOf(ctx.workspace, ctx.file.uri, ctx.doc), (build) => buildFindings(ctx, build, templatePath));
}

function buildFindings(ctx: RuleContext, build: Build, templatePath: ObjectPath): Finding[] {
  const { doc } = ctx;
  const template = templatePath.length ? valueAt(build.doc.value, templatePath) : build.doc.value;
  if (!isRecord(template) || !isRecord(template.spec)) return [];
  const source = policySource(ctx, build);
  if (!source) return [];
  const pod = { metadata: isRecord(template.metadata) ? template.metadata : {}, spec: template.spec };
  const emulated = Number(ctx.kubernetes.version.split('.')[1]);
  const results = new Map<string, AggregateCheckResult>();
  const resultOf = (lv: LevelVersion) => {
    const key = levelVersionString(lv);
    if (!results.has(key)) results.set(key, evaluatePod(lv, pod, emulated));
    return results.get(key)!;
  };
  const { policy } = source;
  const written = templatePath.length ? valueAt(doc.value, templatePath) : doc.value;
  const sameSpec = template === written || (isRecord(written) && JSON.stringify(written.spec) === JSON.stringify(template.spec));
  const isPod = doc.kind === 'Pod';
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const mode of MODES) {
    const lv = policy[mode];
    if (lv.level === 'privileged') continue;
    const result = resultOf(lv);
    if (result.allowed) continue;
    // A refused Pod gets no warning; a warning or audit line that repeats the enforce verdict adds nothing.
    if (mode !== 'enforce' && (reported.has(levelVersionString(lv)) || (isPod && reported.size > 0 && mode === 'warn'))) continue;
    reported.add(levelVersionString(lv));
    // The build's containers by the file's indexes (a patch may add one the file lacks, or reorder them).
    const inFile = (p: TemplatePath) => writtenPath(build.doc.value, doc.value, [...templatePath, ...p]);
    const range = rangeOf(doc, inFile(result.paths[0]) ?? templatePath);
    if (!range) continue;
    findings.push({
      ruleId: podSecurity.id,
      severity: severityOf(mode, source.ring),
      range,
      message: `${verdict(build.doc, mode, lv, result, policy)} ${source.describe(mode)}.`,
      // A fix in the file helps only where the build keeps the file's pod spec (no patch changed it).
      fixes: sameSpec ? restrictedFixes(ctx, result.paths.map(inFile)) : undefined,
    });
  }
  return findings;
}

function severityOf(mode: Mode, ring: Ring): Severity {
  if (mode === 'audit') return 'info';
  // a Namespace found only elsewhere in the workspace may not be the one this workload is applied with
  return mode === 'warn' || ring === Ring.Workspace ? 'warning' : 'error';
}

/** What the API server (or the controller's event) says, in its words. */
function verdict(doc: ManifestDocument, mode: Mode, lv: LevelVersion, result: AggregateCheckResult, policy: Policy): string {
  const kind = doc.kind ?? '';
  if (mode === 'warn') return `kubectl prints "Warning: ${wouldViolateMessage(lv, result)}" (the ${kind} is still created).`;
  if (mode === 'audit') return `The API server admits it and records in the audit log: pod-security.kubernetes.io/audit-violations: ${wouldViolateMessage(lv, result)}.`;
  const warned = kind !== 'Pod' && policy.warn.level !== 'privileged' && levelVersionString(policy.warn) === levelVersionString(lv) ? ' (kubectl prints the same verdict as a warning)' : '';
  return everyPodForbidden(doc, violatesMessage(podNameOf(doc), lv, result), warned);
}

/**
 * The field a check names, or where it is missing: the deepest part of the path the document
 * has; a container that lacks the field entirely is shown by its name.
 */
function rangeOf(doc: ManifestDocument, path: ObjectPath): Offsets | undefined {
  for (let n = path.length; n > 0; n--) {
    const prefix = path.slice(0, n);
    if (typeof prefix[n - 1] === 'number') {
      const name = keyRange(doc, [...prefix, 'name']);
      if (name) return name;
    }
    const range = keyRange(doc, prefix);
    if (range) return range;
  }
  return keyRange(doc, ['kind']);
}

/** What a fix sets in each container whose check result ends in `tail`. */
const CONTAINER_FIXES: { title: string; tail: string[]; entries: () => Record<string, unknown> }[] = [
  { title: 'Set securityContext.allowPrivilegeEscalation: false', tail: ['securityContext', 'allowPrivilegeEscalation'], entries: () => ({ allowPrivilegeEscalation: false }) },
  {
    title: 'Set securityContext.runAsNonRoot: true (the image must then run as a non-root user)',
    tail: ['securityContext', 'runAsNonRoot'],
    entries: () => ({ runAsNonRoot: true }),
  },
  {
    title: 'Drop ALL capabilities (securityContext.capabilities.drop: ["ALL"])',
    tail: ['capabilities', 'drop'],
    entries: () => {
      const dropAll = new YAMLSeq();
      dropAll.flow = true;
      dropAll.items = ['ALL'];
      return { drop: dropAll };
    },
  },
];
const SECCOMP_TAIL = ['securityContext', 'seccompProfile'];

const ending = (p: TemplatePath, tail: string[]) => tail.every((t, i) => p[p.length - tail.length + i] === t);

/**
 * The fields the restricted level asks for, where the value to write is certain: offered when a
 * failed check names one, built on request (each edit reads the document's structure).
 */
function restrictedFixes(ctx: RuleContext, written: (ObjectPath | undefined)[]): (() => Fix[]) | undefined {
  const tails = [...CONTAINER_FIXES.map((f) => f.tail), SECCOMP_TAIL];
  // A field of a container only a patch adds: the file cannot carry its fix.
  if (written.some((p) => p === undefined)) return undefined;
  const paths = written as ObjectPath[];
  const templatePath = podTemplatePath(ctx.doc)!;
  if (!paths.some((p) => tails.some((tail) => ending(p, tail)))) return undefined;
  return () => {
    const fixes: Fix[] = [];
    const text = ctx.file.text;
    for (const { title, tail, entries } of CONTAINER_FIXES) {
      const edits: TextEdit[] = [];
      let placed = true;
      for (const p of paths.filter((x) => ending(x, tail))) {
        const set = setMapEntries(text, ctx.doc, p.slice(0, -1), entries());
        if (!set) {
          placed = false;
          break;
        }
        edits.push(...set);
      }
      if (placed && edits.length) fixes.push({ title, edits });
    }
    // a container without a seccomp profile: one pod-level RuntimeDefault profile covers every container
    if (paths.some((p) => ending(p, SECCOMP_TAIL)) && !isRecord(valueAt(ctx.doc.value, [...templatePath, 'spec', ...SECCOMP_TAIL]))) {
      const edits = setMapEntries(text, ctx.doc, [...templatePath, 'spec', ...SECCOMP_TAIL], { type: 'RuntimeDefault' });
      if (edits) fixes.push({ title: 'Set the pod\'s securityContext.seccompProfile.type: RuntimeDefault', edits });
    }
    return fixes;
  };
}
