// The custom resources of the bench (npm run bench custom-resource), 1,000 lines each: a `Fleet`
// with the CRD that judges it (a list-type map of 200 items, CEL rules at the list, the item and
// the string level: a two-variable comprehension, an optional path, the format library,
// quantity), and an Argo Rollout that kdry's bundled schema judges (600 canary steps, 200
// environment variables).

import { crdYaml } from '../../../test/fixtures/crd';

const ITEMS = 200;

export function fleetCrd(message = 'item names are unique DNS labels'): string {
  return crdYaml({
    group: 'bench.kdry.dev',
    kind: 'Fleet',
    plural: 'fleets',
    spec: `              type: object
              required: [items]
              x-kubernetes-validations:
                - rule: "self.items.all(i, item, item.weight <= 100 || i == 0)"
                  message: only the first item may weigh more than 100
                - rule: "self.?maxItems.orValue(1000) >= size(self.items)"
                  message: more items than maxItems
              properties:
                maxItems: { type: integer }
                items:
                  type: array
                  maxItems: 1000
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [name]
                  items:
                    type: object
                    required: [name, port]
                    x-kubernetes-validations:
                      - rule: "!format.dns1123Label().validate(self.name).hasValue()"
                        message: ${message}
                      - rule: "quantity(self.memory).isLessThan(quantity('64Gi'))"
                        message: memory must stay under 64Gi
                    properties:
                      name: { type: string, maxLength: 63 }
                      port: { type: integer, minimum: 1, maximum: 65535 }
                      weight: { type: integer, default: 1 }
                      memory: { type: string, default: "1Gi", pattern: '^[0-9]+(Mi|Gi)$' }
                      zone: { type: string, enum: [a, b, c] }
`,
  });
}

/** A Fleet of ITEMS items, 5 lines each: 1,000 lines with the header. */
export function fleet(): string {
  const items = Array.from({ length: ITEMS }, (_, i) => `    - name: item-${i}\n      port: ${8000 + i}\n      weight: ${i % 50}\n      memory: ${(i % 8) + 1}Gi\n      zone: ${'abc'[i % 3]}\n`).join('');
  return `apiVersion: bench.kdry.dev/v1\nkind: Fleet\nmetadata:\n  name: fleet\nspec:\n  maxItems: 500\n  items:\n${items}`;
}

/** An Argo Rollout with ITEMS x 3 canary steps and ITEMS environment variables: about 1,000 lines. */
export function rollout(): string {
  const steps = Array.from({ length: ITEMS * 3 }, (_, i) => (i % 2 === 0 ? `        - setWeight: ${(i / 2) % 100}\n` : `        - pause: { duration: ${i}s }\n`)).join('');
  const envs = Array.from({ length: ITEMS }, (_, i) => `            - name: VAR_${i}\n              value: "${i}"\n`).join('');
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 4
  selector:
    matchLabels: { app: web }
  strategy:
    canary:
      steps:
${steps}  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          env:
${envs}`;
}
