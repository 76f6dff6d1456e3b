// Every semantic rule, in the order their findings are listed. server.ts and cli.ts consume this.
import type { Rule } from './types';
import { selectorMismatch } from './selector-mismatch';
import { misplacedRolloutFields } from './misplaced-rollout-fields';
import { rollingUpdateParams } from './rolling-update-params';
import { statefulsetServiceName } from './statefulset-service-name';
import { serviceSelectsNothing } from './service-selects-nothing';
import { serviceTargetPort } from './service-target-port';
import { duplicateContainerName } from './duplicate-container-name';
import { duplicatePortName } from './duplicate-port-name';
import { minReadySecondsDeadline } from './min-ready-seconds-deadline';
import { cronjobSchedule } from './cronjob-schedule';
import { invalidName } from './invalid-name';
import { invalidLabel } from './invalid-label';
import { removedApiVersion } from './removed-api-version';
import { imageLatestTag } from './image-latest-tag';
import { restartPolicy } from './restart-policy';
import { podSpecValidation } from './pod-spec-validation';
import { containerImage } from './container-image';
import { unknownKind } from './unknown-kind';
import { numberRange } from './number-range';
import { volumeMountName } from './volume-mount-name';
import { missingReference } from './missing-reference';
import { missingConfigKey } from './missing-config-key';
import { unknownScheduler } from './unknown-scheduler';
import { ingressBackendPort } from './ingress-backend-port';
import { httpRoutePort } from './httproute-port';
import { httpRouteReferenceGrant } from './httproute-reference-grant';
import { hpaResourceRequests } from './hpa-resource-requests';
import { hpaManagedReplicas } from './hpa-managed-replicas';
import { pdbBlocksEviction } from './pdb-blocks-eviction';
import { selectorSelectsNothing } from './selector-selects-nothing';
import { networkPolicyNamedPort } from './network-policy-named-port';
import { customResource } from './custom-resource';
import { crdDefinition } from './crd-definition';
import { admissionPolicy } from './admission-policy';
import { podSecurity } from './pod-security';
import { limitRange } from './limit-range';
import { resourceQuota } from './resource-quota';
import { apiServerWarnings } from './api-server-warnings';

export const ALL_RULES: Rule[] = [
  selectorMismatch,
  misplacedRolloutFields,
  rollingUpdateParams,
  statefulsetServiceName,
  serviceSelectsNothing,
  serviceTargetPort,
  missingReference,
  missingConfigKey,
  unknownScheduler,
  volumeMountName,
  ingressBackendPort,
  httpRoutePort,
  httpRouteReferenceGrant,
  hpaResourceRequests,
  hpaManagedReplicas,
  pdbBlocksEviction,
  selectorSelectsNothing,
  networkPolicyNamedPort,
  duplicateContainerName,
  duplicatePortName,
  minReadySecondsDeadline,
  cronjobSchedule,
  invalidName,
  invalidLabel,
  removedApiVersion,
  imageLatestTag,
  restartPolicy,
  podSpecValidation,
  apiServerWarnings,
  containerImage,
  unknownKind,
  numberRange,
  customResource,
  crdDefinition,
  admissionPolicy,
  podSecurity,
  limitRange,
  resourceQuota,
];

export * from './types';
export { runRules, ruleApplies } from './run';
export { applyTextEdits } from '../text-edits';
/** For hovers: which pod templates a Service selects, and every template of a namespace. */
export { templatesSelectedBy, podTemplatesNear, type WorkloadTemplate } from '../scope/workspace-lookup';
