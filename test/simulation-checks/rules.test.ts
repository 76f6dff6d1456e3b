// Each simulation-backed rule against the engine's real behaviour: fixtures, the scheduler's own
// message on the line that causes it, and fixes that make the finding go away.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SIMULATION_RULES } from '../../server/src/simulation-checks';
import { simulationRuleFixtures } from '../../server/src/simulation-checks/fixture-files';
import { deployment, container } from './manifests';
import { fixed, node, nodes, simulate } from './helpers';
import { fixesOf } from '../../server/src/findings';
import { placeTogether } from '../../server/src/engine';
import { parse } from 'yaml';

describe('simulation-backed rules: fixtures on the embedded default cluster', () => {
  for (const rule of SIMULATION_RULES) {
    it(`${rule.id}: good fixtures give none, bad ones give one`, () => {
      const fixtures = simulationRuleFixtures(rule.id);
      assert.ok(fixtures.good.length > 0 && fixtures.bad.length > 0);
      for (const good of fixtures.good) assert.deepEqual(simulate(good, undefined, rule.id).findings.map((f) => f.message), [], good);
      for (const bad of fixtures.bad) assert.ok(simulate(bad, undefined, rule.id).findings.length > 0, bad);
    });
  }
});

const requests = (cpu: string, memory = '256Mi') => container(`        resources:\n          requests:\n            cpu: ${cpu}\n            memory: ${memory}\n`);

describe('unschedulable-replicas', () => {
  it("puts kube-scheduler's message on `cpu:` and lowers the request to what the largest node offers", () => {
    const checked = simulate(deployment('web', requests('"8"')), undefined, 'unschedulable-replicas');
    assert.equal(checked.findings.length, 1);
    const [f] = checked.findings;
    assert.equal(checked.at(f), 'cpu');
    // FitError.Error() (pkg/scheduler/framework/types.go): the reasons counted per node, sorted.
    assert.ok(f.message.includes('0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu.'), f.message);
    assert.match(f.message, /^3 of 3 replicas can never be scheduled on the embedded default cluster \(4 nodes\)/);
    assert.match(f.message, /largest node it may run on offers 4 cpu; one pod requests 8/);
    const after = fixed(checked, f);
    assert.match(after, /cpu: "4"/);
    assert.deepEqual(simulate(after, undefined, 'unschedulable-replicas').findings, []);
  });

  it('counts replicas crowded out by their own siblings, without a fix (each pod fits a node)', () => {
    const checked = simulate(deployment('web', requests('"3"'), '', 4), undefined, 'unschedulable-replicas');
    assert.equal(checked.findings.length, 1);
    assert.match(checked.findings[0].message, /^1 of 4 replicas can never be scheduled/);
    assert.deepEqual(fixesOf(checked.findings[0]), []);
  });

  it('blames the nodeSelector no node matches', () => {
    const checked = simulate(deployment('web', `      nodeSelector:\n        disktype: ssd\n${requests('100m')}`), undefined, 'unschedulable-replicas');
    assert.equal(checked.at(checked.findings[0]), 'nodeSelector');
    assert.ok(checked.findings[0].message.includes("3 node(s) didn't match Pod's node affinity/selector"), checked.findings[0].message);
  });

  it('adds the toleration for the taint every node carries', () => {
    const tainted = nodes(['a', 'b'].map((n) => node(`batch-${n}`, '8', '32Gi', 'spec:\n  taints:\n  - key: dedicated\n    value: batch\n    effect: NoSchedule\n')).join(''));
    const checked = simulate(deployment('web', requests('100m')), tainted, 'unschedulable-replicas');
    const [f] = checked.findings;
    assert.equal(checked.at(f), 'spec', 'the pod spec that lacks the toleration');
    assert.ok(f.message.includes('0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: batch}.'), f.message);
    const after = fixed(checked, f);
    assert.match(after, /      tolerations:\n      - key: dedicated\n        operator: Equal\n        value: batch\n        effect: NoSchedule\n/);
    assert.deepEqual(simulate(after, tainted, 'unschedulable-replicas').findings, []);
  });

  it('uses the cluster in force: fits on big nodes, not on small ones', () => {
    const big = nodes(node('big-1', '16') + node('big-2', '16'));
    assert.deepEqual(simulate(deployment('web', requests('"8"')), big, 'unschedulable-replicas').findings, []);
    const small = nodes(node('small-1', '1'));
    const [f] = simulate(deployment('web', requests('"2"')), small, 'unschedulable-replicas').findings;
    assert.ok(f.message.startsWith('3 of 3 replicas can never be scheduled on the cluster in nodes.yaml (1 nodes): 0/1 nodes are available: 1 Insufficient cpu.'), f.message);
  });
});

describe('unschedulable-replicas with pod-level resources (PodLevelResources, on by default from 1.34)', () => {
  // noderesources/fit.go computePodResourceRequest counts component-helpers PodRequests, whose
  // applyPodLevelResources puts the pod's own spec.resources requests over the containers' sum.
  const podLevel = deployment('web', `      resources:\n        requests:\n          cpu: "8"\n${requests('500m')}`);
  it("blames the pod-level request and lowers it to what the largest node offers", () => {
    const checked = simulate(podLevel, undefined, 'unschedulable-replicas', '1.35');
    const [f] = checked.findings;
    assert.equal(checked.at(f), 'cpu');
    assert.equal(f.range[0], checked.text.indexOf('cpu: "8"'), 'the pod-level cpu, not the container\'s');
    assert.match(f.message, /largest node it may run on offers 4 cpu; one pod requests 8/);
    const after = fixed(checked, f);
    assert.match(after, /      resources:\n        requests:\n          cpu: "4"\n/);
    assert.deepEqual(simulate(after, undefined, 'unschedulable-replicas', '1.35').findings, []);
  });
  it('on 1.33 the API server drops the pod-level resources (gate off by default): the containers\' 500m fits', () => {
    assert.deepEqual(simulate(podLevel, undefined, 'unschedulable-replicas', '1.33').findings, []);
  });
});

describe('daemonset-pods-do-not-fit', () => {
  it('names the nodes too small for the daemon pod, which the scheduler leaves Pending', () => {
    const mixed = nodes(node('big-1', '4') + node('small-1', '1') + node('small-2', '1'));
    const ds = simulationRuleFixtures('daemonset-pods-do-not-fit').bad[0].replace('"6"', '"2"');
    const checked = simulate(ds, mixed, 'daemonset-pods-do-not-fit');
    const [f] = checked.findings;
    assert.equal(checked.at(f), 'cpu');
    assert.match(f.message, /^2 of 3 daemon pods stay Pending on the cluster in nodes.yaml \(small-1, small-2\): 0\/3 nodes are available: 1 Insufficient cpu, 2 node\(s\) didn't satisfy plugin\(s\) \[NodeAffinity\]\./);
  });
});

describe('rollout-cannot-finish', () => {
  const full = requests('"3"');
  const strategy = (unavailable: string) => `  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: ${unavailable}\n`;

  it('a full cluster with maxUnavailable: 0: the surge pod stays Pending, ProgressDeadlineExceeded', () => {
    const checked = simulate(deployment('web', full, strategy('0')), undefined, 'rollout-cannot-finish');
    const [f] = checked.findings;
    assert.equal(checked.at(f), 'maxUnavailable');
    assert.ok(f.message.includes('3 Insufficient cpu'), f.message);
    // DeploymentTimedOut (pkg/controller/deployment/util/deployment_util.go): `%s has timed out progressing.`
    assert.match(f.message, /ProgressDeadlineExceeded after 601 s: ReplicaSet "web-[a-z0-9]+" has timed out progressing\./);
    assert.deepEqual(simulate(deployment('web', full, strategy('1')), undefined, 'rollout-cannot-finish').findings, []);
  });

  it('readiness probes slower than progressDeadlineSeconds', () => {
    const probe = container(`        readinessProbe:\n          httpGet:\n            path: /healthz\n            port: 8080\n          initialDelaySeconds: 90\n`);
    const checked = simulate(deployment('web', probe, '  progressDeadlineSeconds: 60\n'), undefined, 'rollout-cannot-finish');
    const [f] = checked.findings;
    assert.equal(checked.at(f), 'progressDeadlineSeconds');
    assert.match(f.message, /takes longer than progressDeadlineSeconds/);
    assert.deepEqual(simulate(deployment('web', probe, '  progressDeadlineSeconds: 600\n'), undefined, 'rollout-cannot-finish').findings, []);
  });

  it('a startupProbe slower than progressDeadlineSeconds holds readiness back too (prober/worker.go doProbe), shown at the probe', () => {
    const probe = container(`        startupProbe:\n          httpGet: {path: /healthz, port: 8080}\n          initialDelaySeconds: 90\n`);
    const checked = simulate(deployment('web', probe, '  minReadySeconds: 0\n  progressDeadlineSeconds: 60\n'), undefined, 'rollout-cannot-finish');
    const [f] = checked.findings;
    assert.match(f.message, /takes longer than progressDeadlineSeconds with the declared startup and readiness probes/);
    assert.equal(checked.at(f), 'progressDeadlineSeconds');
    assert.deepEqual(simulate(deployment('web', probe), undefined, 'rollout-cannot-finish').findings, [], '100 s of probes fit the default 600 s');
    const slow = container(`        startupProbe:\n          httpGet: {path: /healthz, port: 8080}\n          initialDelaySeconds: 900\n`);
    const unwritten = simulate(deployment('web', slow), undefined, 'rollout-cannot-finish');
    assert.equal(unwritten.at(unwritten.findings[0]), 'startupProbe', 'no progressDeadlineSeconds written: shown at the probe');
  });

  // daemon/update.go rollingUpdate: with maxSurge the new pod is created beside the old one, which goes only once the new one is available (trial 17 U7).
  it('a DaemonSet with maxSurge and a hostPort: the new daemon pod finds no free port beside the old one; maxUnavailable rolls', () => {
    const ds = (rolling: string) => `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  updateStrategy: {type: RollingUpdate, rollingUpdate: ${rolling}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers:\n      - name: a\n        image: "agent:2"\n        ports: [{containerPort: 9100, hostPort: 9100}]\n`;
    const checked = simulate(ds('{maxSurge: 1, maxUnavailable: 0}'), undefined, 'rollout-cannot-finish');
    const [f] = checked.findings;
    assert.equal(checked.at(f), 'hostPort');
    assert.match(f.message, /^The next rollout cannot finish on the embedded default cluster: a new daemon pod stays Pending \(0\/4 nodes are available: .*didn't have free ports for the requested pod ports.*\), and the DaemonSet controller deletes the old pod on that node only once the new one is available\. With maxSurge/);
    assert.deepEqual(simulate(ds('{maxUnavailable: 1}'), undefined, 'rollout-cannot-finish').findings, []);
    assert.deepEqual(simulate(ds('{maxSurge: 1, maxUnavailable: 0}').replace('type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}', 'type: OnDelete'), undefined, 'rollout-cannot-finish').findings, []);
  });

  it('host ports on every worker: the surge pod finds no free port (blamed on hostPort)', () => {
    const ported = container(`        ports:\n        - containerPort: 80\n          hostPort: 8080\n`);
    const checked = simulate(deployment('web', ported), undefined, 'rollout-cannot-finish');
    assert.equal(checked.at(checked.findings[0]), 'hostPort');
    assert.ok(checked.findings[0].message.includes("3 node(s) didn't have free ports for the requested pod ports"));
  });
});

describe('host-port-clash', () => {
  it('a Deployment in another file of the folder asks for the node agent\'s port 11559', () => {
    const [bad] = simulationRuleFixtures('host-port-clash').bad;
    const [agent, exporter] = bad.split('---\n');
    const checked = simulate([exporter, agent], undefined, 'host-port-clash');
    const [f] = checked.findings;
    assert.equal(checked.at(f), 'hostPort');
    assert.match(f.message, /^hostPort 11559\/TCP is also asked for by DaemonSet node-agent \(file-1\.yaml\) in the folder app\/: placed together, 3 of 3 pods stay Pending: 0\/4 nodes are available: .*3 node\(s\) didn't have free ports for the requested pod ports/);
    // Alone, nothing clashes: the rule needs the other workload.
    assert.deepEqual(simulate(exporter, undefined, 'host-port-clash').findings, []);
  });
});

describe('job-deadline-exceeded and cronjob-runs-overlap claim nothing without a run-time hint', () => {
  it('Job: the sleep gives the run time; without it, no finding', () => {
    const [bad] = simulationRuleFixtures('job-deadline-exceeded').bad;
    const [f] = simulate(bad, undefined, 'job-deadline-exceeded').findings;
    assert.match(f.message, /Job was active longer than specified deadline \(DeadlineExceeded\)\. kdry assumed 60 s per pod, from the `sleep` in its command\./);
    const annotated = bad.replace('  template:\n    spec:', '  template:\n    metadata:\n      annotations:\n        kdry.dev/run-seconds: "60"\n    spec:').replace(' && sleep 60', '');
    assert.match(simulate(annotated, undefined, 'job-deadline-exceeded').findings[0].message, /60 s per pod, from its kdry.dev\/run-seconds annotation/);
    // 10 completions at 5 s each (the engine's default) would also miss a 10 s deadline: no hint, no claim.
    const unhinted = bad.replace(' && sleep 60', '').replace('activeDeadlineSeconds: 200', 'activeDeadlineSeconds: 10');
    assert.deepEqual(simulate(unhinted, undefined, 'job-deadline-exceeded').findings, []);
  });

  it('CronJob: Allow overlaps, Forbid skips (JobAlreadyActive), none without a hint', () => {
    const [allow, forbid] = simulationRuleFixtures('cronjob-runs-overlap').bad;
    assert.match(simulate(allow, undefined, 'cronjob-runs-overlap').findings[0].message, /^Runs overlap: scheduled every 300 s, up to 2 Jobs are active at once/);
    const skipped = simulate(forbid, undefined, 'cronjob-runs-overlap').findings[0];
    assert.match(skipped.message, /Not starting job because prior execution is running and concurrency policy is Forbid/);
    assert.deepEqual(simulate(allow.replace('command: ["sh", "-c", "sleep 420"]', 'command: ["report"]'), undefined, 'cronjob-runs-overlap').findings, []);
  });
});

describe('the simulation checks simulate the release in force (the one the schema checks use)', () => {
  it('Job managedBy another controller: left to it from 1.32 (JobManagedBy on), run by the built-in controller in 1.31', () => {
    // job_controller.go syncJob -> managedByExternalController: from 1.32 a Job whose spec.managedBy
    // names another controller is skipped; in 1.31 the gate is off, the API server drops the field
    // (pkg/registry/batch/job/strategy.go dropJobDisabledFields) and the built-in controller runs it.
    const [bad] = simulationRuleFixtures('job-deadline-exceeded').bad;
    const managed = bad.replace('spec:\n  completions', 'spec:\n  managedBy: kueue.x-k8s.io/multikueue\n  completions');
    assert.deepEqual(simulate(managed, undefined, 'job-deadline-exceeded', '1.35').findings, []);
    const [f] = simulate(managed, undefined, 'job-deadline-exceeded', '1.31').findings;
    assert.match(f.message, /Job was active longer than specified deadline/);
  });

  it('a sidecar before SidecarContainers (1.28): an ordinary init container, so its request is no longer added to the app containers', () => {
    // component-helpers/resource/helpers.go AggregateContainerRequests: a restartable init container
    // (restartPolicy Always) adds to the containers' sum; an ordinary one only raises the init peak.
    // pkg/api/pod/util.go dropDisabledFields drops the restartPolicy while SidecarContainers is off.
    const sidecar = deployment(
      'web',
      `      initContainers:\n      - name: proxy\n        image: registry.example/proxy:1.0.0\n        restartPolicy: Always\n        resources:\n          requests:\n            cpu: "2"\n${requests('"3"')}`,
    );
    const [f] = simulate(sidecar, undefined, 'unschedulable-replicas', '1.35').findings;
    assert.match(f.message, /one pod requests 5/);
    // 1.28: max(2, 3) = 3 cpu fits a 4-cpu node; the pods are bound (and stay at Init:0/1, which is no scheduling finding).
    assert.deepEqual(simulate(sidecar, undefined, 'unschedulable-replicas', '1.28').findings, []);
  });

  it('places a scope together for the release too: the sidecar adds to the pod only from 1.29', () => {
    // One 4-cpu node: a 2-cpu pod, then a pod with a 1.5-cpu sidecar and a 1-cpu app container.
    // 1.35: 2 + (1.5 + 1) = 4.5 cpu, the second stays Pending; 1.28: 2 + max(1.5, 1) = 3.5 cpu, both fit.
    const one = nodes(node('only', '4'));
    const withSidecar = parse(deployment('web', `      initContainers:\n      - name: proxy\n        image: registry.example/proxy:1.0.0\n        restartPolicy: Always\n        resources:\n          requests:\n            cpu: 1500m\n${requests('"1"')}`, '', 1));
    const filler = parse(deployment('batch', requests('"2"'), '', 1));
    const pendingOf = (release: string) => placeTogether([{ key: 'batch', object: filler }, { key: 'web', object: withSidecar }], one, release)!.map((p) => p.pending);
    assert.deepEqual(pendingOf('1.35'), [0, 1]);
    assert.deepEqual(pendingOf('1.28'), [0, 0]);
  });
});

describe('resource-crowding', () => {
  it("blames the workload asking the most of the short resource, whatever the order, with the scheduler's message on its cpu request", () => {
    // Three 4-cpu workers: api's 3 pods take 3 cpu each (NodeResourcesFit, noderesources/fit.go
    // fitsRequest), leaving 1; each of reports' 2-cpu pods fits an empty worker but none is left.
    // Placed reports first, api's pods wait instead. api asks 9 cpu in all, reports 6: api is blamed.
    const [bad] = simulationRuleFixtures('resource-crowding').bad;
    const [api, reports] = bad.split('---\n');
    const checked = simulate(bad, undefined, 'resource-crowding');
    assert.equal(checked.findings.length, 1);
    const [f] = checked.findings;
    assert.equal(checked.at(f), 'cpu');
    assert.equal(f.range[0], bad.indexOf('cpu: "3"'), "on api's request");
    assert.match(f.message, /^Placed together with Deployment reports \(file-0\.yaml, 3 pods\) in the folder app\/, the cluster lacks cpu: 3 pods stay Pending: 0\/4 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 3 Insufficient cpu\..* Which workload's pods wait depends on the order they reach the scheduler; Deployment api asks for the most cpu of them \(9 cpu of 15 cpu\), and alone every pod of it fits\.$/);
    // The other order: api's pods are the ones left Pending, and the finding is the same, on the same request.
    const swapped = `${reports.trimEnd()}\n---\n${api}`;
    const [g, ...more] = simulate(swapped, undefined, 'resource-crowding').findings;
    assert.equal(more.length, 0);
    assert.equal(g.message, f.message);
    assert.equal(g.range[0], swapped.indexOf('cpu: "3"'));
    // Alone it fits: the finding needs the other workload.
    assert.deepEqual(simulate(api, undefined, 'resource-crowding').findings, []);
    // A workload that does not fit even alone is unschedulable-replicas' finding, and is never blamed here.
    assert.deepEqual(simulate(`${api}---\n${reports.replace('cpu: "2"', 'cpu: "5"')}`, undefined, 'resource-crowding').findings, []);
  });

  it('names the three largest competitors and counts the rest, however many a folder holds', () => {
    const [bad] = simulationRuleFixtures('resource-crowding').bad;
    const [api, reports] = bad.split('---\n');
    // api's 3 pods leave 1 cpu per worker; six 1-replica copies of it (1 cpu each) then fill the rest.
    const copies = [1, 2, 3, 4, 5, 6].map((i) => api.replace(/name: api/g, `name: api-${i}`).replace(/app: api/g, `app: api-${i}`).replace(/replicas: 3/, 'replicas: 1').replace(/cpu: "3"/, 'cpu: "1"'));
    const findings = simulate([api, ...copies, reports].join('---\n'), undefined, 'resource-crowding').findings;
    assert.equal(findings.length, 1);
    // Competitors by pods, then kind and name (never by document order).
    assert.match(findings[0].message, /^Placed together with Deployment reports \(file-0\.yaml, 3 pods\), Deployment api-1 \(file-0\.yaml, 1 pod\), Deployment api-2 \(file-0\.yaml, 1 pod\) and 4 other workloads \(4 pods\) in the folder app\/, the cluster lacks cpu: /);
    assert.match(findings[0].message, /Deployment api asks for the most cpu of them \(9 cpu of 21 cpu\)/);
    const reversed = simulate([reports, ...copies.reverse(), api].join('---\n'), undefined, 'resource-crowding').findings;
    assert.deepEqual(reversed.map((x) => x.message.replace(/: \d+ pods? stay Pending: .*? Which/, ': Which')), findings.map((x) => x.message.replace(/: \d+ pods? stay Pending: .*? Which/, ': Which')));
  });
});

describe('rollout-cannot-finish on a StatefulSet', () => {
  it('a partition not below replicas: the next rollout updates no pod (stateful_set_control.go updateStatefulSet updates ordinals >= partition)', () => {
    const bad = simulationRuleFixtures('rollout-cannot-finish').bad.find((t) => t.includes('kind: StatefulSet'))!;
    const checked = simulate(bad, undefined, 'rollout-cannot-finish');
    assert.equal(checked.findings.length, 1);
    const [f] = checked.findings;
    assert.equal(checked.at(f), 'partition');
    assert.match(f.message, /^The next rollout updates no pod: rollingUpdate\.partition 3 is not below replicas 3/);
    assert.match(f.message, /"partitioned roll out complete: 0 new pods have been updated\.\.\."/);
    // Below the replicas, the pods from the partition up are updated: kubectl's partitioned rollout completes.
    assert.deepEqual(simulate(bad.replace('partition: 3', 'partition: 2'), undefined, 'rollout-cannot-finish').findings, []);
    // OnDelete updates no pod by itself and is not rolled out.
    assert.deepEqual(simulate(bad.replace('type: RollingUpdate\n    rollingUpdate:\n      partition: 3', 'type: OnDelete'), undefined, 'rollout-cannot-finish').findings, []);
  });
});

describe('rollout-cannot-finish on an Argo Rollout (argoproj/argo-rollouts rollout/canary.go, bluegreen.go, sync.go)', () => {
  const rollout = (strategy: string, opts: { cpu?: string; replicas?: number; spec?: string; container?: string } = {}) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: ${opts.replicas ?? 4}
${opts.spec ?? ''}  selector:
    matchLabels: {app: web}
  strategy:
${strategy}  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources:
          requests:
            cpu: "${opts.cpu ?? '500m'}"
${opts.container ?? ''}`;
  const full = { cpu: '2', replicas: 6 };

  it('a canary step whose pod the full cluster cannot place: stops there, ProgressDeadlineExceeded after the deadline, Degraded', () => {
    // Six 2-CPU pods fill the three 4-CPU workers and maxUnavailable 0 lets no stable pod go first.
    const checked = simulate(rollout('    canary:\n      maxUnavailable: 0\n      steps:\n      - setWeight: 20\n      - pause: {}\n', full), undefined, 'rollout-cannot-finish');
    assert.equal(checked.findings.length, 1, 'the pause after it is never reached: no promotion note');
    const [f] = checked.findings;
    assert.equal(f.severity, 'warning');
    assert.equal(checked.at(f), 'setWeight');
    assert.match(f.message, /^The next update cannot finish: it stops at step 1\/2 \(setWeight: 20\), where a canary pod stays Pending on the embedded default cluster \(0\/4 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 3 Insufficient cpu\./);
    // utils/conditions ReplicaSetTimeOutMessage; CalculateRolloutPhase: TimedOutReason -> Degraded
    assert.match(f.message, /after progressDeadlineSeconds \(600 s without progress\) the Rollout reports Progressing=False, ProgressDeadlineExceeded: ReplicaSet "web-[a-z0-9]+" has timed out progressing\., and `kubectl argo rollouts status web` says Degraded\.$/);
    // One stable pod may go first: room for the canary.
    assert.deepEqual(simulate(rollout('    canary:\n      maxUnavailable: 1\n      steps:\n      - setWeight: 20\n', full), undefined, 'rollout-cannot-finish').findings, []);
  });

  it('progressDeadlineAbort: the controller aborts the update (evaluateProgressDeadlineAbort) in its words', () => {
    const checked = simulate(rollout('    canary:\n      maxUnavailable: 0\n      steps:\n      - setWeight: 50\n', { ...full, spec: '  progressDeadlineSeconds: 120\n  progressDeadlineAbort: true\n' }), undefined, 'rollout-cannot-finish');
    const [f] = checked.findings;
    assert.match(f.message, /\(120 s without progress\)/);
    assert.match(f.message, /with progressDeadlineAbort the controller aborts it: "Rollout aborted update to revision 2: ReplicaSet "web-[a-z0-9]+" has timed out progressing\."\. The canary is scaled back to 0 pods/);
  });

  it('blueGreen: the preview ReplicaSet at full size needs room for a second set of pods', () => {
    const checked = simulate(rollout('    blueGreen:\n      activeService: web\n', full), undefined, 'rollout-cannot-finish');
    const [f] = checked.findings;
    assert.equal(checked.at(f), 'blueGreen');
    assert.match(f.message, /^The next update cannot finish: it stops before the switch \(the preview ReplicaSet at full size\), where a pod of the preview ReplicaSet stays Pending/);
    assert.deepEqual(simulate(rollout('    blueGreen:\n      activeService: web\n', { cpu: '1', replicas: 6 }), undefined, 'rollout-cannot-finish').findings, []);
  });

  it('a pause without duration, and blueGreen without auto-promotion, wait for `kubectl argo rollouts promote` (information)', () => {
    const canary = simulate(rollout('    canary:\n      steps:\n      - setWeight: 20\n      - pause: {}\n      - setWeight: 50\n'), undefined, 'rollout-cannot-finish');
    const [pause, ...rest] = canary.findings;
    assert.equal(rest.length, 0);
    assert.equal(pause.severity, 'info');
    assert.equal(canary.at(pause), 'pause');
    assert.match(pause.message, /^The next update of this Rollout stops at step 2\/3, a pause without duration, until it is promoted: `kubectl argo rollouts status web` shows Paused - CanaryPauseStep until `kubectl argo rollouts promote web`; progressDeadlineSeconds does not count while it is paused\./);
    // A pause with a duration goes on by itself.
    assert.deepEqual(simulate(rollout('    canary:\n      steps:\n      - setWeight: 20\n      - pause: {duration: 30s}\n')).findings.filter((f) => f.ruleId === 'rollout-cannot-finish'), []);
    const blueGreen = simulate(rollout('    blueGreen:\n      activeService: web\n      autoPromotionEnabled: false\n'), undefined, 'rollout-cannot-finish');
    assert.equal(blueGreen.at(blueGreen.findings[0]), 'autoPromotionEnabled');
    assert.match(blueGreen.findings[0].message, /Paused - BlueGreenPause/);
  });

  it('readiness slower than the deadline: Degraded on the way, the update completes after all; an analysis step is noted as assumed to pass', () => {
    const probe = '        readinessProbe:\n          httpGet: {path: /, port: 80}\n          initialDelaySeconds: 40\n';
    const checked = simulate(rollout('    canary:\n      steps:\n      - setWeight: 50\n      - analysis:\n          templates: [{templateName: success-rate}]\n', { spec: '  progressDeadlineSeconds: 20\n', container: probe }), undefined, 'rollout-cannot-finish');
    const [slow, analysis] = checked.findings;
    assert.match(slow.message, /^The next update stalls at step 1\/2 \(setWeight: 50\), where the new pods do not become available in time: after progressDeadlineSeconds \(20 s without progress\)/);
    assert.match(slow.message, /says Degraded until it moves again \(the update itself completes after \d+ s\)\.$/);
    assert.equal(analysis.severity, 'info');
    assert.equal(checked.at(analysis), 'analysis');
    assert.equal(analysis.message, 'kdry runs step 2/2 (analysis) assuming its AnalysisRun succeeds (it cannot measure the metrics); `kdry simulate --fail analysis:step=2` shows the update Argo aborts when it fails.');
  });

  it('a step plugin kdry cannot run is noted on its step as assumed to succeed (rollout/stepplugin.go)', () => {
    const checked = simulate(rollout('    canary:\n      steps:\n      - setWeight: 50\n      - plugin:\n          name: argoproj-labs/gatekeeper\n'), undefined, 'rollout-cannot-finish');
    const f = checked.findings.find((x) => x.message.startsWith('kdry does not run'))!;
    assert.ok(f, JSON.stringify(checked.findings));
    assert.equal(f.severity, 'info');
    assert.match(f.message, /^kdry does not run step 2\/2 /);
    assert.equal(checked.at(f), 'plugin');
  });

  it('unschedulable-replicas: a Rollout asking more cpu than any node has gets the scheduler\'s message and the fix on its request', () => {
    const checked = simulate(rollout('    canary:\n      steps:\n      - setWeight: 20\n', { cpu: '8', replicas: 2 }));
    const found = checked.findings.filter((f) => f.ruleId === 'unschedulable-replicas');
    assert.equal(found.length, 1);
    assert.equal(checked.at(found[0]), 'cpu');
    assert.match(found[0].message, /^2 of 2 replicas can never be scheduled on the embedded default cluster \(4 nodes\): 0\/4 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 3 Insufficient cpu\./);
    assert.match(fixed(checked, found[0]), /cpu: "4"/);
    assert.deepEqual(checked.findings.filter((f) => f.ruleId === 'rollout-cannot-finish'), [], 'its pods never settle: no update verdict on top');
  });

  it('a Rollout its schema rejects gets no verdict (the API server never stores it)', () => {
    const bad = rollout('    canary:\n      maxUnavailable: 0\n      steps:\n      - setWeight: 20\n', { ...full, spec: '  progressDeadlineAbort: "yes"\n' });
    assert.deepEqual(simulate(bad, undefined, 'rollout-cannot-finish').findings, []);
  });
});
