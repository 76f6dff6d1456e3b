// The LimitRanger and ResourceQuota admission ports (server/src/k8s/limit-range.ts,
// resource-quota.ts) and the quantity arithmetic they print with (quantity-amount.ts), against
// upstream: plugin/pkg/admission/limitranger/admission.go, plugin/pkg/admission/resourcequota/
// controller.go (checkRequest, prettyPrint), pkg/quota/v1/evaluator/core/pods.go and
// k8s.io/apimachinery/pkg/api/resource (Quantity.Add, Quantity.String / CanonicalizeBytes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addAmounts, amountOf, formatAmount, timesAmount, ZERO, type Amount } from '../../server/src/k8s/quantity-amount';
import { aggregateMessage, applyLimitRangeDefaults, limitRangeItems, podResourcesOf, validateLimitRange } from '../../server/src/k8s/limit-range';
import { checkQuota, podUsage, prettyPrint, quotaConstraints, quotaMatchesPod, quotaOf, quotaPodOf } from '../../server/src/k8s/resource-quota';
import { podTotal } from '../../server/src/k8s/resource-list';
import { dropDisabledPodLevelResources, podLevelResourcesOf } from '../../server/src/k8s/pod-level-resources';

const q = (text: string | number): Amount => amountOf(text)!;

test('Quantity.String: canonical forms per format (CanonicalizeBytes)', () => {
  const cases: [string | number, string][] = [
    ['0.5', '500m'], ['500m', '500m'], ['1.5', '1500m'], ['2', '2'], [2, '2'], ['1500', '1500'], ['2000', '2k'], ['1.5M', '1500k'],
    ['2048Mi', '2Gi'], ['1536Mi', '1536Mi'], ['1Ki', '1Ki'], ['0.5Gi', '512Mi'], ['1e3', '1e3'], ['0', '0'], ['100n', '100n'], ['0.1m', '100u'],
  ];
  for (const [input, printed] of cases) assert.equal(formatAmount(q(input)), printed, `${input}`);
  // BinarySI under 1024 or not whole prints as DecimalSI
  assert.equal(formatAmount({ numerator: 512n, denominator: 1n, format: 'BinarySI' }), '512');
  assert.equal(formatAmount({ numerator: 3n, denominator: 2n, format: 'BinarySI' }), '1500m');
});

test('Quantity.Add keeps the receiver\'s format, a zero receiver takes the other\'s', () => {
  assert.equal(formatAmount(addAmounts(q('100m'), q('900m'))), '1');
  assert.equal(formatAmount(addAmounts(ZERO, q('512Mi'))), '512Mi');
  assert.equal(formatAmount(timesAmount(q('512Mi'), 4)), '2Gi');
  assert.equal(formatAmount(addAmounts(q('1'), q('512Mi'))), '536870913');
});

test('SetDefaults_LimitRangeItem: a Container item\'s max is its default limit, the default limit its default request, min a default request', () => {
  const [item] = limitRangeItems({ limits: [{ type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' }, default: { memory: '256Mi' } }] });
  assert.deepEqual([...item.default.keys()].sort(), ['cpu', 'memory']);
  assert.equal(formatAmount(item.default.get('cpu')!), '1');
  assert.equal(formatAmount(item.defaultRequest.get('cpu')!), '1');
  assert.equal(formatAmount(item.defaultRequest.get('memory')!), '256Mi', 'the default limit wins over min for the request');
  const [pod] = limitRangeItems({ limits: [{ type: 'Pod', max: { cpu: '2' } }] });
  assert.equal(pod.default.size, 0, 'Pod items get no defaults');
});

test('SetDefaults_Pod then PodMutateLimitFunc: a limit is the request; missing ones come from the LimitRanges in order', () => {
  const resources = podResourcesOf({
    containers: [
      { name: 'web', resources: { limits: { cpu: '500m' } } },
      { name: 'log', resources: {} },
    ],
  });
  assert.equal(formatAmount(resources.containers[0].requests.get('cpu')!), '500m');
  const first = limitRangeItems({ limits: [{ type: 'Container', defaultRequest: { cpu: '100m' }, default: { cpu: '200m', memory: '128Mi' } }] });
  const second = limitRangeItems({ limits: [{ type: 'Container', default: { memory: '1Gi', 'ephemeral-storage': '1Gi' } }] });
  const { pod, set } = applyLimitRangeDefaults([first, second], resources);
  const log = pod.containers[1];
  assert.deepEqual([...log.requests].map(([k, v]) => `${k}=${formatAmount(v)}`).sort(), ['cpu=100m', 'ephemeral-storage=1Gi', 'memory=128Mi']);
  assert.deepEqual([...log.limits].map(([k, v]) => `${k}=${formatAmount(v)}`).sort(), ['cpu=200m', 'ephemeral-storage=1Gi', 'memory=128Mi']);
  assert.equal(formatAmount(pod.containers[0].limits.get('cpu')!), '500m', 'what is set is kept');
  assert.ok(set.some((s) => s.container === 'log' && s.side === 'request' && s.resource === 'cpu'));
});

test('PodValidateLimitFunc: min, max and ratio in the plugin\'s words, Container then Pod items', () => {
  const items = limitRangeItems({
    limits: [
      { type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' }, maxLimitRequestRatio: { cpu: '2' } },
      { type: 'Pod', max: { memory: '1Gi' } },
    ],
  });
  const pod = podResourcesOf({
    containers: [
      { name: 'a', resources: { requests: { cpu: '250m', memory: '32Mi' }, limits: { cpu: '2', memory: '600Mi' } } },
      { name: 'b', resources: { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '1', memory: '600Mi' } } },
    ],
  });
  assert.deepEqual(
    validateLimitRange(items, pod).map((v) => v.message),
    [
      'minimum memory usage per Container is 64Mi, but request is 32Mi',
      'maximum cpu usage per Container is 1, but limit is 2',
      'cpu max limit to request ratio per Container is 2, but provided ratio is 8.000000',
      'maximum memory usage per Pod is 1Gi, but limit is 1200Mi',
    ],
  );
  const none = podResourcesOf({ containers: [{ name: 'a' }] });
  assert.deepEqual(
    validateLimitRange(limitRangeItems({ limits: [{ type: 'Pod', max: { cpu: '1' }, min: { cpu: '100m' } }] }), none).map((v) => v.message),
    ['minimum cpu usage per Pod is 100m.  No request is specified', 'maximum cpu usage per Pod is 1.  No limit is specified'],
  );
  assert.equal(aggregateMessage(['x']), 'x');
  assert.equal(aggregateMessage(['x', 'y']), '[x, y]');
});

test('PodValidateLimitFunc with pod-level resources: podRequests/podLimits take the pod\'s own cpu and memory (not hugepages), defaulted when decoded', () => {
  // admission.go PodValidateLimitFunc, Pod item: podRequests(pod, opts) and podLimits(pod, opts) with
  // opts.PodLevelResourcesEnabled; each of the plugin's isSupportedPodLevelResource (cpu, memory) set in
  // pod.Spec.Resources replaces the containers' aggregate. Container items still judge each container.
  const items = limitRangeItems({
    limits: [
      { type: 'Pod', max: { cpu: '2', memory: '1Gi', 'hugepages-2Mi': '4Mi' }, maxLimitRequestRatio: { memory: '2' } },
      { type: 'Container', max: { cpu: '2' } },
    ],
  });
  const spec = {
    resources: { requests: { cpu: '1', memory: '256Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    containers: [
      { name: 'a', resources: { requests: { cpu: '1500m' }, limits: { cpu: '2', memory: '600Mi', 'hugepages-2Mi': '4Mi' } } },
      { name: 'b', resources: { requests: { cpu: '1500m' }, limits: { cpu: '2', memory: '700Mi', 'hugepages-2Mi': '4Mi' } } },
    ],
  };
  const pod = podResourcesOf(spec);
  const podLevel = podLevelResourcesOf(spec)!;
  // Containers alone: cpu limit 4 over the Pod max of 2, memory 1300Mi over 1Gi, hugepages 8Mi over
  // 4Mi; the memory requests default to the limits (SetDefaults_Pod), a ratio of 1.
  assert.deepEqual(validateLimitRange(items, pod).map((v) => v.message), [
    'maximum cpu usage per Pod is 2, but limit is 4',
    'maximum hugepages-2Mi usage per Pod is 4Mi, but limit is 8Mi',
    'maximum memory usage per Pod is 1Gi, but limit is 1300Mi',
  ]);
  // With the pod's own resources: cpu 2 and memory 1Gi are within bounds; hugepages stay the
  // containers' (8Mi), as the plugin's own list has no hugepages; the memory ratio is 1Gi / 256Mi = 4.
  assert.deepEqual(validateLimitRange(items, pod, podLevel).map((v) => v.message), [
    'maximum hugepages-2Mi usage per Pod is 4Mi, but limit is 8Mi',
    'memory max limit to request ratio per Pod is 2, but provided ratio is 4.000000',
  ]);
  // defaultPodRequests: pod-level limits only -> the memory request is the pod-level limit (no
  // container requests memory), the cpu request the container's 500m (overcommit allowed).
  const limitsOnly = { resources: { limits: { cpu: '2', memory: '1Gi' } }, containers: [{ name: 'a', resources: { requests: { cpu: '500m' } } }] };
  const minimum = limitRangeItems({ limits: [{ type: 'Pod', min: { cpu: '1', memory: '2Gi' } }] });
  assert.deepEqual(validateLimitRange(minimum, podResourcesOf(limitsOnly), podLevelResourcesOf(limitsOnly)).map((v) => v.message), ['minimum cpu usage per Pod is 1, but request is 500m', 'minimum memory usage per Pod is 2Gi, but request is 1Gi']);
});

test('podRequests: sidecars add up, an init container counts with the sidecars started before it, the larger side wins', () => {
  const pod = podResourcesOf({
    initContainers: [
      { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } },
      { name: 'migrate', resources: { requests: { cpu: '2' } } },
    ],
    containers: [{ name: 'web', resources: { requests: { cpu: '500m', memory: '1Gi' } } }],
  });
  const total = podTotal(pod.containers, pod.initContainers, 'requests');
  assert.equal(formatAmount(total.get('cpu')!), '2100m', 'max(500m + 100m, 2 + 100m)');
  assert.equal(formatAmount(total.get('memory')!), '1Gi');
});

test('pods.go PodUsageFunc and Constraints; controller.go checkRequest and prettyPrint', () => {
  const spec = { containers: [{ name: 'web', resources: { requests: { cpu: '250m' }, limits: { memory: '512Mi' } } }, { name: 'log', resources: { limits: { memory: '64Mi' } } }] };
  const pod = quotaPodOf(spec, podResourcesOf(spec));
  const usage = podUsage(pod);
  assert.equal(prettyPrint(usage), 'count/pods=1,cpu=250m,limits.memory=576Mi,memory=576Mi,pods=1,requests.cpu=250m,requests.memory=576Mi', 'a limit without a request is the request (SetDefaults_Pod)');
  const quota = quotaOf('compute', { hard: { 'requests.cpu': '1', 'limits.cpu': '2', pods: '10' } });
  assert.equal(quotaConstraints(quota, pod), 'must specify limits.cpu for: log,web; requests.cpu for: log');
  const used = new Map([['requests.cpu', q('900m')]]);
  assert.equal(checkQuota(quota, used, new Map([['requests.cpu', q('250m')], ['pods', q('1')]]))?.message, 'exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=900m, limited: requests.cpu=1');
  assert.equal(checkQuota(quota, new Map(), new Map([['pods', q('11')]]))?.message, 'exceeded quota: compute, requested: pods=11, used: pods=0, limited: pods=10', 'nothing used reads 0');
  assert.equal(checkQuota(quota, used, new Map([['requests.cpu', q('100m')]])), undefined, 'exactly at the limit is allowed');
});

test('PodUsageFunc with pod-level resources (PodLevelResources on): PodRequests/PodLimits take the pod\'s own cpu and memory, defaultPodRequests fills a missing request', () => {
  // component-helpers/resource/helpers.go PodRequests -> applyPodLevelResources; pods.go PodUsageFunc
  // passes SkipPodLevelResources: !PodLevelResources.
  const spec = {
    resources: { requests: { cpu: '1' }, limits: { cpu: '2', memory: '1Gi' } },
    containers: [{ name: 'a', resources: { requests: { cpu: '3', 'ephemeral-storage': '1Gi' } } }, { name: 'b' }],
  };
  const withGate = quotaPodOf(spec, podResourcesOf(spec));
  // cpu: the pod-level request (1), not the containers' 3; memory: no container requests it, so
  // defaultPodRequests takes the pod-level limit (1Gi); ephemeral-storage is not a pod-level resource.
  assert.equal(prettyPrint(podUsage(withGate)), 'count/pods=1,cpu=1,ephemeral-storage=1Gi,limits.cpu=2,limits.memory=1Gi,memory=1Gi,pods=1,requests.cpu=1,requests.ephemeral-storage=1Gi,requests.memory=1Gi');
  // Before 1.34 the API server drops spec.resources (dropDisabledPodLevelResources): the containers count.
  const withoutGate = quotaPodOf(dropDisabledPodLevelResources(spec, '1.33'), podResourcesOf(spec));
  assert.equal(prettyPrint(podUsage(withoutGate)), 'count/pods=1,cpu=3,ephemeral-storage=1Gi,pods=1,requests.cpu=3,requests.ephemeral-storage=1Gi');
  // With pod-level limits, a cpu request the containers make is the pod's default request (overcommit allowed).
  const defaulted = { resources: { limits: { cpu: '2', memory: '1Gi' } }, containers: [{ name: 'a', resources: { requests: { cpu: '500m' } } }] };
  assert.equal(prettyPrint(podUsage(quotaPodOf(defaulted, podResourcesOf(defaulted)))), 'count/pods=1,cpu=500m,limits.cpu=2,limits.memory=1Gi,memory=1Gi,pods=1,requests.cpu=500m,requests.memory=1Gi');
  // hugepages: a container's limit becomes the pod-level limit (defaultHugePagePodLimits), then the request.
  const huge = { resources: { requests: { cpu: '1' } }, containers: [{ name: 'a', resources: { limits: { 'hugepages-2Mi': '4Mi' } } }] };
  assert.equal(formatAmount(podUsage(quotaPodOf(huge, podResourcesOf(huge))).get('requests.hugepages-2Mi')!), '4Mi');
});

test('Constraints and BestEffort with pod-level resources: containers need not set cpu or memory; the pod\'s own resources decide the QoS', () => {
  const quota = quotaOf('compute', { hard: { 'requests.cpu': '4', 'limits.memory': '4Gi' } });
  const spec = { resources: { requests: { cpu: '1' }, limits: { memory: '1Gi' } }, containers: [{ name: 'a' }, { name: 'b' }] };
  // pods.go Constraints returns nil when PodLevelResources is on and IsPodLevelResourcesSet
  assert.equal(quotaConstraints(quota, quotaPodOf(spec, podResourcesOf(spec))), undefined);
  assert.equal(quotaConstraints(quota, quotaPodOf(dropDisabledPodLevelResources(spec, '1.33'), podResourcesOf(spec))), 'must specify limits.memory for: a,b; requests.cpu for: a,b');
  // qos.ComputePodQOS: the pod-level resources alone (containers without any are not BestEffort then)
  const bestEffort = quotaOf('be', { hard: { pods: '10' }, scopes: ['BestEffort'] });
  assert.equal(quotaMatchesPod(bestEffort, quotaPodOf(spec, podResourcesOf(spec))), false);
  assert.equal(quotaMatchesPod(bestEffort, quotaPodOf(dropDisabledPodLevelResources(spec, '1.33'), podResourcesOf(spec))), true);
  // a pod-level resource kdry does not count as supported (ephemeral-storage) leaves the containers in charge
  const unsupported = { resources: { requests: { 'ephemeral-storage': '1Gi' } }, containers: [{ name: 'a' }] };
  assert.equal(quotaPodOf(unsupported, podResourcesOf(unsupported)).podLevel, undefined);
});

test('podMatchesScopeFunc: BestEffort, Terminating and PriorityClass scopes decide which quotas count a pod', () => {
  const bestEffort = quotaPodOf({ containers: [{ name: 'a' }] }, podResourcesOf({ containers: [{ name: 'a' }] }));
  const burstableSpec = { priorityClassName: 'high', activeDeadlineSeconds: 60, containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }] };
  const burstable = quotaPodOf(burstableSpec, podResourcesOf(burstableSpec));
  const scoped = (spec: unknown) => quotaOf('q', { hard: { pods: '1' }, ...(spec as object) });
  assert.equal(quotaMatchesPod(scoped({ scopes: ['BestEffort'] }), bestEffort), true);
  assert.equal(quotaMatchesPod(scoped({ scopes: ['BestEffort'] }), burstable), false);
  assert.equal(quotaMatchesPod(scoped({ scopes: ['NotBestEffort', 'Terminating'] }), burstable), true);
  assert.equal(quotaMatchesPod(scoped({ scopes: ['NotTerminating'] }), burstable), false);
  assert.equal(quotaMatchesPod(scoped({ scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } }), burstable), true);
  assert.equal(quotaMatchesPod(scoped({ scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'NotIn', values: ['high'] }] } }), burstable), false);
  assert.equal(quotaMatchesPod(scoped({ scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'NotIn', values: ['high'] }] } }), bestEffort), true);
  assert.equal(quotaMatchesPod(quotaOf('q', { hard: { services: '1' } }), burstable), false, 'a quota on no pod resource does not match');
});
