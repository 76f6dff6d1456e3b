// Manifests the admission tests share: a one-validation policy with its binding, and a CRD.

/** A policy that runs `expression` on CREATE of `resources` in `group` (any version), failurePolicy Fail. */
export function policyOn(expression: string, group: string, resources: string): string {
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: p
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - { apiGroups: ["${group}"], apiVersions: ["*"], operations: ["CREATE"], resources: ["${resources}"] }
  validations:
    - expression: ${JSON.stringify(expression)}
`;
}

/** The binding of policy `p`, denying. */
export const DENY_BINDING = 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: b\nspec:\n  policyName: p\n  validationActions: [Deny]\n';

/** One version, v1, served and stored without a schema of its own; `extra`: more lines of it (such as subresources). */
export const octopusV1 = (extra = ''): string => `    - name: v1
      served: true
      storage: true
${extra}      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`;

/** The CRD of sea.example.com's Octopus (resource octopi) with `versions` (list items) and `spec` lines such as conversion. */
export function octopusCrd(versions = octopusV1(), spec = ''): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: octopi.sea.example.com }
spec:
  group: sea.example.com
  scope: Namespaced
  names: { kind: Octopus, plural: octopi, singular: octopus, listKind: OctopusList }
${spec}  versions:
${versions}`;
}
