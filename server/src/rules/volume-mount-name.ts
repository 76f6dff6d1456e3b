// Every `volumeMounts[].name` (and `volumeDevices[].name`) must name a volume of the same pod.
// Upstream: pkg/apis/core/validation/validation.go, validateVolumeMounts / validateVolumeDevices
// (`field.NotFound(idxPath.Child("name"), mnt.Name)`). A StatefulSet's claim templates count as
// volumes; the API server does not validate a StatefulSet's pod spec (apps validation,
// ValidatePodTemplateSpecForStatefulSet), so there every pod creation fails instead.
import { isRecord, valueRange, type ObjectPath } from '../manifest';
import { suggestNames } from '../schema/did-you-mean';
import { fixesFor, type Finding } from '../findings';
import type { Rule, RuleContext } from './types';
import { defineRule } from './define-rule';
import { yamlScalar } from '../text-edits';
import { fieldPath } from './lookup/field-path';
import { podTemplatePath, valueAt } from '../manifest/pod-template';

export const volumeMountName: Rule = defineRule({
  id: 'volume-mount-name',
  title: 'Volume mount names no volume of the pod',
  severity: 'error',
  description: [
    'A container mounts volumes by name: each `volumeMounts[].name` and `volumeDevices[].name` must be the name of an entry in the pod\'s `volumes`',
    '(for a StatefulSet, also of a `volumeClaimTemplates` entry). Otherwise the API server rejects the object',
    '(`spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"`); for a StatefulSet it accepts the object and then rejects every pod it creates.',
  ].join(' '),
  remediation: 'Mount a volume the pod declares, or add the volume under `spec.volumes` (a claim template for a StatefulSet).',
  check,
});

/** Volumes a fix offers one by one when none is near the mounted name. */
const MAX_UNRANKED_CHOICES = 5;

function check({ doc }: RuleContext): Finding[] {
  const template = podTemplatePath(doc);
  if (!template) return [];
  const spec = [...template, 'spec'];
  const podSpec = valueAt(doc.value, spec);
  if (!isRecord(podSpec)) return [];
  const volumes = names(podSpec.volumes, ['name']);
  const claims = doc.kind === 'StatefulSet' ? names(valueAt(doc.value, ['spec', 'volumeClaimTemplates']), ['metadata', 'name']) : [];
  const declared = [...volumes, ...claims];
  // A list that is not written yet (or not a list) declares nothing we can trust.
  if (podSpec.volumes !== undefined && !Array.isArray(podSpec.volumes)) return [];
  const findings: Finding[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    const containers = podSpec[field];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, ci) => {
      if (!isRecord(c)) return;
      for (const list of ['volumeMounts', 'volumeDevices']) {
        const mounts = c[list];
        if (!Array.isArray(mounts)) continue;
        mounts.forEach((m, mi) => {
          if (!isRecord(m) || typeof m.name !== 'string' || m.name === '' || declared.includes(m.name)) return;
          const path: ObjectPath = [...spec, field, ci, list, mi, 'name'];
          const range = valueRange(doc, path);
          if (!range) return;
          const error = `\`${fieldPath(path)}: Not found: ${JSON.stringify(m.name)}\``;
          const suggestion = suggestNames(m.name, declared);
          findings.push({
            ruleId: volumeMountName.id,
            range,
            message:
              (doc.kind === 'StatefulSet'
                ? `The StatefulSet is accepted, but every pod it creates is rejected (FailedCreate): ${error}`
                : `The API server rejects this ${doc.kind ?? 'object'}: ${error}`) +
              `. The pod declares ${declared.length ? declared.map((n) => `"${n}"`).join(', ') : 'no volumes'}.`,
            // No near name among a few volumes: each of them is a choice, none preferred.
            fixes: fixesFor(suggestion.names.length ? suggestion.names.slice(0, 3) : declared.length <= MAX_UNRANKED_CHOICES ? declared : [], (name, i) => ({
              title: `Mount "${name}"`,
              edits: [{ range, newText: yamlScalar(name) }],
              preferred: (suggestion.names.length > 0 && suggestion.clear && i === 0) || undefined,
            })),
          });
        });
      }
    });
  }
  return findings;
}

function names(list: unknown, path: ObjectPath): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => valueAt(item, path)).filter((n): n is string => typeof n === 'string');
}
