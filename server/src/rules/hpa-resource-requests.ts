// A HorizontalPodAutoscaler with a `Resource` utilization metric divides the pods' usage by their
// requests, so every container needs a request for that resource. Upstream:
// pkg/controller/podautoscaler/replica_calculator.go, calculatePodRequests, which fails with
// "missing request for %s in container %s of Pod %s" (the HPA then reports FailedGetResourceMetric
// and does not scale on the metric). Regular containers and restartable init containers (sidecars)
// count; a `ContainerResource` metric needs only its container. With pod-level requests (PodLevelResources,
// on from 1.34) a `Resource` metric reads the pod's requests instead (calculateRequests ->
// calculatePodLevelRequests: component-helpers PodRequests, the pod's own request else the containers'
// total), failing only with "missing pod-level request for %s in Pod %s".
import { isRecord, valueRange, keyRange, type ObjectPath } from '../manifest';
import type { Finding } from '../findings';
import { referencesOf } from '../scope/references';
import { resolveReference } from '../scope/resolve';
import { Ring, unitIndex, whereFrom } from '../scope/scope';
import { builtDocument, buildsOf } from '../scope/built-document';
import type { IndexedDocument } from '../workspace';
import { findingsPerBuild } from './lookup/per-build';
import { admittedPod } from '../scope/namespace-policies';
import type { Rule, RuleContext } from './types';
import { defineRule } from './define-rule';
import { valueAt } from '../manifest/pod-template';

export const hpaResourceRequests: Rule = defineRule({
  id: 'hpa-resource-requests',
  title: 'Autoscaler metric needs resource requests',
  severity: 'error',
  kinds: ['autoscaling/v2/HorizontalPodAutoscaler', 'autoscaling/v1/HorizontalPodAutoscaler'],
  crossDocument: true,
  description: [
    'A `Resource` metric with a `Utilization` target (or `targetCPUUtilizationPercentage` in autoscaling/v1) is usage divided by the pods\' requests.',
    'When a container of the target\'s pod template (sidecar init containers included) has no request for that resource, and neither a limit (a request defaults to the limit)',
    'nor a LimitRange in scope supplies one, the controller fails with `missing request for cpu in container web of Pod web-...`: the autoscaler reports `FailedGetResourceMetric` and never scales on that metric.',
    'A `ContainerResource` metric needs the request only on its container.',
  ].join(' '),
  remediation: 'Set `resources.requests` for that resource on every container of the pod template (or use a `ContainerResource` metric, or an `AverageValue` target).',
  check,
});

interface UtilizationMetric {
  resource: string;
  /** Only this container (ContainerResource). */
  container?: string;
  /** Where to report. */
  path: ObjectPath;
}

function utilizationMetrics(doc: RuleContext['doc']): UtilizationMetric[] {
  if (doc.apiVersion === 'autoscaling/v1') {
    return typeof valueAt(doc.value, ['spec', 'targetCPUUtilizationPercentage']) === 'number' ? [{ resource: 'cpu', path: ['spec', 'targetCPUUtilizationPercentage'] }] : [];
  }
  const metrics = valueAt(doc.value, ['spec', 'metrics']);
  if (!Array.isArray(metrics)) return [];
  const out: UtilizationMetric[] = [];
  metrics.forEach((m, i) => {
    if (!isRecord(m)) return;
    const field = m.type === 'Resource' ? 'resource' : m.type === 'ContainerResource' ? 'containerResource' : undefined;
    const source = field && m[field];
    if (!isRecord(source) || typeof source.name !== 'string' || valueAt(source, ['target', 'type']) !== 'Utilization') return;
    out.push({ resource: source.name, container: field === 'containerResource' && typeof source.container === 'string' ? source.container : undefined, path: ['spec', 'metrics', i, field!, 'name'] });
  });
  return out;
}

function check(ctx: RuleContext): Finding[] {
  const { file, doc, workspace } = ctx;
  const metrics = utilizationMetrics(doc);
  const ref = referencesOf(doc).find((r) => r.via === 'scaleTargetRef');
  if (metrics.length === 0 || !ref) return [];
  const { matches, ring } = resolveReference(workspace, { uri: file.uri, doc }, ref);
  if (matches.length !== 1) return [];
  // The controller reads the requests of the pods the target's build creates (an overlay may patch them in).
  return findingsPerBuild(buildsOf(workspace, file.uri, doc), (build) => {
    const target = matches[0];
    const builds = build.root && unitIndex(workspace).fileOf(target.uri).units.includes(build.root);
    return buildFindings(ctx, metrics, builds ? { ...target, doc: builtDocument(workspace, target.uri, target.doc, build.root) } : target, ring);
  });
}

function buildFindings({ file, doc, workspace, kubernetes }: RuleContext, metrics: UtilizationMetric[], target: IndexedDocument, ring: Ring): Finding[] {
  // the pod as admitted: a limit without a request is the request, and the namespace's LimitRanges fill in defaults
  const admitted = admittedPod(workspace, target, kubernetes.version);
  if (!admitted) return [];
  const containers = [...admitted.pod.resources.containers, ...admitted.pod.resources.initContainers.filter((c) => c.restartable)];
  const findings: Finding[] = [];
  const podLevelRequests = admitted.pod.podLevel?.requests;
  for (const metric of metrics) {
    if (podLevelRequests && podLevelRequests.size > 0 && metric.container === undefined) {
      const requested = (c: { requests: Map<string, unknown> }) => c.requests.has(metric.resource);
      if (podLevelRequests.has(metric.resource) || [...admitted.pod.resources.containers, ...admitted.pod.resources.initContainers].some(requested)) continue;
      const range = valueRange(doc, metric.path) ?? keyRange(doc, metric.path);
      if (!range) continue;
      findings.push({
        ruleId: hpaResourceRequests.id,
        severity: ring === Ring.Workspace ? 'warning' : undefined,
        range,
        message:
          `${target.doc.kind} "${target.doc.name}"${whereFrom(workspace, file.uri, target, ring)}: its pod-level resources and its containers request no ${metric.resource}, ` +
          `so the autoscaler cannot compute ${metric.resource} utilization (FailedGetResourceMetric: \`missing pod-level request for ${metric.resource} in Pod ${target.doc.name}-...\`) and never scales on this metric.`,
      });
      continue;
    }
    const lacking = containers.filter((c) => (metric.container === undefined || c.name === metric.container) && !c.requests.has(metric.resource));
    if (lacking.length === 0) continue;
    const range = valueRange(doc, metric.path) ?? keyRange(doc, metric.path);
    if (!range) continue;
    const names = lacking.map((c) => `"${c.name}"`).join(', ');
    findings.push({
      ruleId: hpaResourceRequests.id,
      severity: ring === Ring.Workspace ? 'warning' : undefined,
      range,
      message:
        `${target.doc.kind} "${target.doc.name}"${whereFrom(workspace, file.uri, target, ring)}: container${lacking.length > 1 ? 's' : ''} ${names} request${lacking.length > 1 ? '' : 's'} no ${metric.resource}, ` +
        `so the autoscaler cannot compute ${metric.resource} utilization (FailedGetResourceMetric: \`missing request for ${metric.resource} in container ${lacking[0].name} of Pod ${target.doc.name}-...\`) and never scales on this metric.`,
    });
  }
  return findings;
}
