// Untagged or :latest images make rollouts unrepeatable.
import { valueRange } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding } from '../findings';
import { defineRule } from './define-rule';
import { podTemplate } from '../manifest/pod-template';
import { imageTag } from '../k8s/image-reference';

export const imageLatestTag: Rule = defineRule({
  id: 'image-latest-tag',
  title: 'Image without a fixed tag',
  severity: 'info',
  partialObjects: true,
  templates: true,
  kinds: ['apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob', 'v1/Pod'],
  description: [
    'An image without a tag means `:latest`. The kubelet then defaults `imagePullPolicy` to `Always`, pods of the same ReplicaSet can run different code depending on when they started,',
    'and since the pod template does not change when a new image is pushed, the Deployment controller sees nothing to roll out and `kubectl rollout undo` cannot return to the previous image.',
  ].join(' '),
  remediation: 'Pin a version tag (`nginx:1.27.3`) or a digest (`nginx@sha256:...`).',
  check,
});

function check({ doc }: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const c of podTemplate(doc, true)?.containers ?? []) {
    const image = c.value.image;
    if (typeof image !== 'string' || image === '') continue;
    const tag = imageTag(image);
    if (tag !== undefined && tag !== 'latest') continue;
    findings.push({
      ruleId: imageLatestTag.id,
      range: valueRange(doc, [...c.path, 'image'])!,
      message: `${tag === 'latest' ? 'The tag `latest`' : 'No tag (so `latest`)'} on "${image}": imagePullPolicy defaults to Always, pods may run different builds, and a new push does not trigger a rollout or allow a rollback. Pin a version or digest.`,
    });
  }
  return findings;
}
