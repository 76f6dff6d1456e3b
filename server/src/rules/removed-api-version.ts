// An apiVersion/kind the target Kubernetes release does not serve: removed (extensions/v1beta1
// Deployments, policy/v1beta1 PodDisruptionBudgets, flowcontrol v1beta3), or not yet added
// (admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy before 1.30). And an alpha API, which
// or a beta API new since 1.24, which a release serves only when the cluster enables it.
import { isRecord, valueRange } from '../manifest';
import type { Finding, Fix } from '../findings';
import { apiAvailability, servedVersionOf } from '../schema/api-availability';
import type { KubernetesTarget } from '../schema/target';
import type { Rule, RuleContext } from './types';
import { defineRule } from './define-rule';
import { setMapEntries } from './edits/map-edit';
import { podTemplatePath, stringMap, valueAt } from '../manifest/pod-template';
import { deprecatedApi, deprecationWarning } from '../schema/deprecated-apis';
import { compareVersions } from '../k8s/release-version';

export const removedApiVersion: Rule = defineRule({
  id: 'removed-api-version',
  title: 'apiVersion not served by the target Kubernetes release',
  severity: 'error',
  partialObjects: true,
  templates: true,
  description: [
    'Every Kubernetes release serves a set of apiVersions; an object of a kind at an apiVersion the cluster does not serve is refused with `no matches for kind "Deployment" in version "extensions/v1beta1"`, and nothing is created.',
    'kdry knows what each release 1.29 to 1.35 serves from its API data, and the apiVersions removed before 1.29 from the Kubernetes deprecated API migration guide',
    '(`extensions/v1beta1`, `apps/v1beta1`/`v1beta2` workloads and Ingress; `batch/v1beta1` CronJob, `policy/v1beta1` PodDisruptionBudget and PodSecurityPolicy, `autoscaling/v2beta1` in 1.25; `autoscaling/v2beta2` and flowcontrol `v1beta1` in 1.26; ...).',
    'The finding names the release that removed (or added) the apiVersion and offers the apiVersion the target release serves the kind at. apps/v1 also requires `spec.selector`, which the old workload versions defaulted from the template labels, and its defaults differ',
    '(an extensions/v1beta1 Deployment kept every old ReplicaSet and rolled with maxSurge 1 / maxUnavailable 1; apps/v1 keeps 10 and uses 25% / 25%). An alpha apiVersion, and a beta one new since 1.24 (KEP-3136: `storage.k8s.io/v1beta1` VolumeAttributesClass, `resource.k8s.io/v1beta1`/`v1beta2`, `admissionregistration.k8s.io/v1beta1`, ...), is served only when the cluster enables it (`--runtime-config`): an information note says so.',
    'A served apiVersion the release has deprecated is stored, with the API server\'s warning, which kdry repeats as a warning: `v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice` (KEP-4974), `flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is deprecated in v1.29+, unavailable in v1.32+; use flowcontrol.apiserver.k8s.io/v1 FlowSchema`.',
  ].join(' '),
  remediation: 'Change `apiVersion` to the one the target release serves (the quick-fix does; for workloads it also adds `spec.selector.matchLabels` from the template labels), or set `kdry.kubernetesVersion` to the release your cluster runs.',
  check,
});

function check({ file, doc, kubernetes }: RuleContext): Finding[] {
  const { apiVersion, kind } = doc;
  if (!apiVersion || !kind) return [];
  const availability = apiAvailability(apiVersion, kind, kubernetes);
  if (!availability) return [];
  if (availability.served && !availability.offByDefault) return deprecation(doc, apiVersion, kind, kubernetes);
  // Located only for a finding: most documents have none, and a range costs a read of the document.
  const range = valueRange(doc, ['apiVersion'])!;
  const release = `Kubernetes ${kubernetes.version}`;
  if (availability.served) {
    return [
      {
        ruleId: removedApiVersion.id,
        severity: 'info',
        range,
        message: `${apiVersion} is ${availability.offByDefault === 'alpha' ? 'an alpha API' : 'a beta API that is off by default (since 1.24 new beta APIs are, KEP-3136)'}: ${release} serves ${kind} at it only when the API server enables it (--runtime-config=${apiVersion}=true, off by default and on most managed clusters); without it the API server answers \`no matches for kind "${kind}" in version "${apiVersion}"\`.${servedAlso(apiVersion, kind, kubernetes)}`,
      },
    ];
  }
  const { addedIn, removedIn, replacement, note } = availability;
  const when = addedIn ? `is not served by ${release} (added in ${addedIn})` : removedIn ? `was removed in Kubernetes ${removedIn}` : `is not served by ${release}`;
  const refused = `${release} answers \`no matches for kind "${kind}" in version "${apiVersion}"\` and creates nothing.`;
  const advice = replacement ? ` ${release} serves ${kind} at ${replacement}.` : '';
  const spec = valueAt(doc.value, ['spec']);
  const template = podTemplatePath(doc);
  const needsSelector = replacement === 'apps/v1' && template !== undefined && isRecord(spec) && spec.selector === undefined;
  const selectorNote = needsSelector ? ' apps/v1 also requires spec.selector, which the old version defaulted from the template labels.' : '';
  const fixes = (to: string) => (): Fix[] => {
    const fix: Fix = { title: `Change apiVersion to ${to}`, edits: [{ range, newText: to }], preferred: true };
    if (!needsSelector) return [fix];
    const labels = stringMap(valueAt(doc.value, [...template!, 'metadata', 'labels'])) ?? {};
    const edits = Object.keys(labels).length ? setMapEntries(file.text, doc, ['spec', 'selector', 'matchLabels'], labels) : undefined;
    if (edits) {
      fix.title += ' and add spec.selector from the template labels';
      fix.edits.push(...edits);
    } else fix.preferred = undefined;
    return [fix];
  };
  return [{ ruleId: removedApiVersion.id, range, message: `${apiVersion} ${kind} ${when}: ${refused}${advice}${selectorNote}${note ? ` ${note}` : ''}`, ...(replacement ? { fixes: fixes(replacement) } : {}) }];
}

/**
 * A served apiVersion the release has deprecated: the API server stores the object and answers with
 * its deprecation warning (apiserver deprecation.go IsDeprecated: deprecated release <= current).
 */
function deprecation(doc: RuleContext['doc'], apiVersion: string, kind: string, kubernetes: KubernetesTarget): Finding[] {
  const api = deprecatedApi(apiVersion, kind);
  if (!api || compareVersions(api.deprecatedIn, kubernetes.version) > 0) return [];
  const range = valueRange(doc, ['apiVersion'])!;
  const to = api.replacement && !api.replacement.kind ? api.replacement.apiVersion : undefined;
  return [
    {
      ruleId: removedApiVersion.id,
      severity: 'warning',
      range,
      message: `Kubernetes ${kubernetes.version} accepts ${kind} at ${apiVersion} and warns: "${deprecationWarning(api, kind)}".`,
      ...(to ? { fixes: () => [{ title: `Change apiVersion to ${to}`, edits: [{ range, newText: to }], preferred: true }] } : {}),
    },
  ];
}

/** " Kubernetes 1.34 serves ResourceClaim at resource.k8s.io/v1 by default." when a version of the group is on by default. */
function servedAlso(apiVersion: string, kind: string, kubernetes: KubernetesTarget): string {
  const served = servedVersionOf(apiVersion, kind, kubernetes);
  if (!served || served === apiVersion) return '';
  const availability = apiAvailability(served, kind, kubernetes);
  return availability?.served && !availability.offByDefault ? ` Kubernetes ${kubernetes.version} serves ${kind} at ${served} by default.` : '';
}
