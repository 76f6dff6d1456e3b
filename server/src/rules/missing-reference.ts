// An object named by a pod template (ConfigMap, Secret, PersistentVolumeClaim, ServiceAccount,
// PriorityClass, RuntimeClass, ResourceClaim, ResourceClaimTemplate), an Ingress backend or an autoscaler that is nowhere in scope. It
// may be created outside the repository (an operator, External Secrets, `kubectl create secret`),
// so this is a warning that says where kdry looked and what the cluster does without it.
import { valueRange } from '../manifest';
import { suggestNames } from '../schema/did-you-mean';
import { referencesOf, type ObjectReference } from '../scope/references';
import { isResolved, resolveReference } from '../scope/resolve';
import { templatedNamesNote } from '../scope/chart-templates';
import { lookedIn, namespacedName, placementOf, unsetNote, type Placement } from '../scope/scope';
import { fixesFor, type Finding } from '../findings';
import type { Rule, RuleContext } from './types';
import { defineRule } from './define-rule';
import { yamlScalar } from '../text-edits';

export const missingReference: Rule = defineRule({
  id: 'missing-reference',
  title: 'Referenced object not found',
  severity: 'warning',
  crossDocument: true,
  description: [
    'A pod template names other objects: ConfigMaps and Secrets (`env`, `envFrom`, volumes, `imagePullSecrets`), PersistentVolumeClaims, a ServiceAccount, a PriorityClass, a RuntimeClass, ResourceClaims and ResourceClaimTemplates (`resourceClaims`);',
    'an Ingress names Services, an HTTPRoute its parent Gateway and backend Services (in the namespace it names, else its own), an autoscaler its target. When none is in scope (the same file, kustomization or chart, folder, then the workspace, in the same namespace; see docs/scope.md),',
    'the cluster behaves as the message says: pods stuck in `CreateContainerConfigError` or `ContainerCreating`, Pending on a missing claim, never created when admission rejects them.',
    'The object may come from outside the repository (an operator, External Secrets, `kubectl create secret`), so this is a warning; `optional: true` references are not reported.',
    'In a Helm chart whose templates name objects of that kind with template actions (`{{ include "app.fullname" . }}-config`), the message says so: kdry does not render charts, so it cannot tell whether the reference names one of them.',
  ].join(' '),
  remediation: 'Add the object to the application (or fix the name); mark a ConfigMap or Secret reference `optional: true` if the pod can start without it.',
  check,
});

/**
 * What the cluster does when the object is missing (kubelet, scheduler and admission messages), for
 * a pod placed as `placement` says (its namespace undefined when nothing in scope sets it).
 */
export function consequence(ref: ObjectReference, placement: Pick<Placement, 'namespace' | 'units'>): string {
  const quoted = `"${ref.name}"`;
  const lower = ref.kind.toLowerCase();
  switch (ref.via) {
    case 'env':
    case 'envFrom':
      return `the container${ref.container ? ` "${ref.container}"` : ''} is never started: the pod stays in CreateContainerConfigError (\`${lower} ${quoted} not found\`).`;
    case 'volume':
    case 'projected volume':
      return `the volume cannot be mounted: the pod stays in ContainerCreating (FailedMount: \`${lower} ${quoted} not found\`).`;
    case 'imagePullSecrets':
      return `the kubelet warns \`Unable to retrieve some image pull secrets (${ref.name}); attempting to pull the image may not succeed.\` and a private image is not pulled (ErrImagePull).`;
    case 'persistentVolumeClaim':
      return `the pod stays Pending (\`0/N nodes are available: persistentvolumeclaim ${quoted} not found.\`).`;
    case 'resourceClaimTemplateName':
      // pkg/controller/resourceclaim/controller.go handleClaim: the claim is made from the template; the scheduler's DynamicResources plugin waits for it.
      return 'the resourceclaim controller cannot create the pod\'s ResourceClaim from it, and the scheduler keeps the pod Pending waiting for that claim.';
    case 'resourceClaimName':
      return 'the scheduler cannot find the claim and keeps the pod Pending (DynamicResources: `resourceclaim.resource.k8s.io "' + ref.name + '" not found`).';
    case 'serviceAccountName':
      // plugin/pkg/admission/serviceaccount/admission.go, Admit: "error looking up service account %s/%s: %w".
      return `admission rejects every pod, so none is created (FailedCreate: \`error looking up service account ${namespacedName(placement.namespace, ref.name)}: serviceaccount ${quoted} not found\`${unsetNote(placement)}).`;
    case 'priorityClassName':
      return `admission rejects every pod, so none is created (FailedCreate: \`no PriorityClass with name ${ref.name} was found\`).`;
    case 'runtimeClassName':
      return `admission rejects every pod, so none is created (FailedCreate: \`pod rejected: RuntimeClass ${quoted} not found\`).`;
    case 'ingress backend':
      return 'the ingress controller has no endpoints for this path and answers with an error (typically 503).';
    case 'route backend':
      // HTTPRouteRule.backendRefs: "When a HTTPBackendRef is invalid, 500 status codes MUST be returned".
      return 'the route reports ResolvedRefs=False (BackendNotFound) and the Gateway answers 500 for the requests this backend would get.';
    case 'route parent':
      return ref.kind === 'Gateway'
        ? 'no Gateway attaches the route: it serves no traffic and its status lists no parent.'
        : 'the route has no Service to attach to and applies to no traffic.';
    case 'serviceName':
      return 'its pods get no stable DNS names.';
    case 'scaleTargetRef':
      return `the autoscaler cannot read its target and never scales (FailedGetScale: \`${lower}s ${quoted} not found\`).`;
  }
}

function check({ file, doc, workspace }: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const ref of referencesOf(doc)) {
    if (ref.optional || ref.via === 'serviceName') continue; // statefulset-service-name explains that one
    const at = `${ref.path.join('.')}`;
    if (seen.has(at)) continue; // a volume with `items` lists its object once per key
    seen.add(at);
    const resolution = resolveReference(workspace, { uri: file.uri, doc }, ref);
    if (isResolved(resolution)) continue;
    const range = valueRange(doc, ref.path);
    if (!range) continue;
    const placement = placementOf(workspace, file.uri, doc);
    const suggestion = suggestNames(ref.name, [...workspace.namesOf(ref.kind)]);
    const unrewritten = resolution.notRewritten
      ? ` Its generator names it "${resolution.notRewritten.generatedAs}", and kustomize does not rewrite a ${doc.kind}'s references (its built-in name references know the built-in kinds only: builtinpluginconsts/namereference.go; add the kind's fields under \`configurations:\`, as Argo Rollouts' rollout-transform.yaml does).`
      : '';
    findings.push({
      ruleId: missingReference.id,
      range,
      message: `${ref.kind} "${ref.name}" is not in scope (${lookedIn(workspace, file.uri, doc, ref.namespace?.name)}).${unrewritten}${templatedNamesNote(workspace, { uri: file.uri, doc }, ref.kind)} Unless it is created outside the repository, ${consequence(ref, placement)}${suggestion.names.length ? ` Did you mean "${suggestion.names[0]}"?` : ''}`,
      fixes: fixesFor(suggestion.names.slice(0, 3), (name, i) => ({ title: `Change to "${name}"`, edits: [{ range, newText: yamlScalar(name) }], preferred: (suggestion.clear && i === 0) || undefined })),
    });
  }
  return findings;
}
