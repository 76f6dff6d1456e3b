// Every container needs an image: the OpenAPI marks `image` optional (so config tools can fill it
// in later), but the API server's pod validation requires it.
import { keyRange, valueRange } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding } from '../findings';
import { defineRule } from './define-rule';
import { podTemplate } from '../manifest/pod-template';

export const containerImage: Rule = defineRule({
  id: 'container-image',
  title: 'Container without an image',
  severity: 'error',
  kinds: ['apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob', 'v1/Pod'],
  description: [
    'The Kubernetes OpenAPI lists `image` as optional ("to allow higher level config management to default or override container images"),',
    'so schema validation alone accepts a container without one. The API server does not: pod validation requires an image for every container and init container,',
    'and rejects the whole object with `spec.template.spec.containers[0].image: Required value`. An empty string counts as missing.',
  ].join(' '),
  remediation: 'Set `image` on the container, ideally with a fixed tag or digest (`nginx:1.27`).',
  check,
});

function check({ doc }: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const c of podTemplate(doc, true)?.containers ?? []) {
    const image = c.value.image;
    if (image !== undefined && image !== null && image !== '') continue; // a wrong type is the schema's to report
    const field = c.path.join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
    const range = image === '' ? valueRange(doc, [...c.path, 'image']) : (keyRange(doc, [...c.path, 'name']) ?? keyRange(doc, c.path));
    if (!range) continue;
    findings.push({
      ruleId: containerImage.id,
      range,
      message: `The API server rejects this ${doc.kind}: \`${field}.image: Required value\`${typeof c.value.name === 'string' ? ` (container "${c.value.name}" has no image)` : ''}. The schema lets image out only so that tools can fill it in before the object is sent.`,
    });
  }
  return findings;
}
