// The schema yaml-language-server validates the bench files against: kdry's schemas (its newest
// bundled Kubernetes release) of every kind the bench inputs hold, in one file, each applied to
// the documents of its apiVersion and kind (draft-07 if/then, which yaml-language-server
// supports), so both servers check the same documents against the same schemas.
import { writeFileSync } from 'node:fs';
import { schemaCatalog } from '../../../server/src/schema';
import { selfContainedSchema } from '../../../server/src/schema/self-contained';

/** The kinds of the mixed file, the chart and the workspace (Kustomization is not an API kind). */
const KINDS = [
  'apps/v1/Deployment',
  'apps/v1/ReplicaSet',
  'apps/v1/StatefulSet',
  'apps/v1/DaemonSet',
  'batch/v1/Job',
  'batch/v1/CronJob',
  'v1/Pod',
  'v1/Service',
  'v1/ConfigMap',
  'v1/Secret',
  'v1/ServiceAccount',
  'rbac.authorization.k8s.io/v1/Role',
  'networking.k8s.io/v1/Ingress',
  'autoscaling/v2/HorizontalPodAutoscaler',
  'policy/v1/PodDisruptionBudget',
];

/** Writes the combined schema to `path` (once per bench run) and returns the path. */
export function writeWorkloadSchema(path: string): string {
  const catalog = schemaCatalog();
  const definitions: Record<string, unknown> = {};
  const branches: unknown[] = [];
  for (const kindKey of KINDS) {
    const schema = selfContainedSchema(catalog, kindKey);
    if (!schema) throw new Error(`Kubernetes ${catalog.version} does not serve ${kindKey}`);
    const { definitions: reached, $schema: _, title: __, ...root } = schema;
    Object.assign(definitions, reached);
    const name = kindKey.replace(/[./]/g, '-');
    definitions[name] = root;
    const apiVersion = kindKey.slice(0, kindKey.lastIndexOf('/'));
    const kind = kindKey.slice(kindKey.lastIndexOf('/') + 1);
    branches.push({
      if: { properties: { apiVersion: { const: apiVersion }, kind: { const: kind } }, required: ['apiVersion', 'kind'] },
      then: { $ref: `#/definitions/${name}` },
    });
  }
  writeFileSync(path, JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', title: `Kubernetes ${catalog.version}`, allOf: branches, definitions }));
  return path;
}
