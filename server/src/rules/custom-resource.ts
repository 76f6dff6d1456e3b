// Custom resources judged by their CRD's schema and CEL rules (server/src/crd/), or by kdry's
// bundled schema of popular projects when the workspace has no CRD for them.
import { checkCustomResource, checkTemplatedCustomResource } from '../crd/check-resource';
import { CUSTOM_RESOURCE_RULE_ID } from '../crd/findings';
import type { Rule, RuleContext } from './types';
import type { Finding } from '../findings';
import { keyRange, type ManifestDocument } from '../manifest';
import { notAppliedCustomObject } from '../crd/unjudged';
import { defineRule } from './define-rule';

export const customResource: Rule = defineRule({
  id: CUSTOM_RESOURCE_RULE_ID,
  title: 'Custom resource rejected by its CRD',
  severity: 'error',
  crossDocument: true,
  // A bundled schema waits for the scan (a CRD not read yet replaces it); a CRD already read judges.
  judgesWhileScanning: true,
  description: [
    'A custom resource is validated by the API server against the `openAPIV3Schema` of the CRD version it names, with structural-schema semantics (unknown fields fail kubectl\'s strict field validation, int-or-string, embedded resources, nullable, defaults, list-type set/map uniqueness, formats),',
    'then by the CEL rules of its `x-kubernetes-validations`. kdry does the same offline, with the CRD from the workspace (any CustomResourceDefinition document, a chart\'s `crds/` folder or a template that writes the CRD literally, `kdry check --crds`) or, failing that, its bundled schemas of popular projects (Argo Rollouts and Argo CD, KEDA, cert-manager, Prometheus Operator, Gateway API, External Secrets, Istio, Flux, VPA, volume snapshots).',
    'In a Go/Helm template, what is written literally is judged by the schema (unknown fields, types, enums), not the required fields nor the CEL rules, which may depend on what the template renders.',
    'A version the CRD does not serve fails with `no matches for kind`; a deprecated one gets its deprecation warning. Rules kdry cannot evaluate are noted once, as information. See docs/custom-resources.md.',
  ].join(' '),
  remediation: 'Correct the field as the message says; each message names the schema that judged it, and the CEL rule that failed.',
  check: ({ doc, workspace, kubernetes }) => notApplied(doc, workspace, kubernetes) ?? checkCustomResource(doc, workspace, kubernetes.version),
  // A chart's template: what it writes literally, against the chart's crds/ (or another workspace) CRD.
  checkTemplate: ({ doc, workspace }) => checkTemplatedCustomResource(doc, workspace),
});

/** A tool's configuration or a local-config object (k8s/tool-configs.ts) is no custom resource to judge: said once, as information. */
function notApplied(doc: ManifestDocument, workspace: RuleContext['workspace'], kubernetes: RuleContext['kubernetes']): Finding[] | undefined {
  const what = notAppliedCustomObject(doc, workspace, kubernetes);
  if (!what) return undefined;
  return [{ ruleId: CUSTOM_RESOURCE_RULE_ID, severity: 'info', range: keyRange(doc, ['kind']) ?? [doc.offset, doc.offset], message: `${doc.kind} (${doc.apiVersion}) ${what}: no API server receives it, so kdry does not validate it.` }];
}
