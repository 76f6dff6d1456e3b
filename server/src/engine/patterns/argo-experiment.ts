// An Argo Rollouts canary `experiment` step (rollout/experiment.go GetExperimentFromTemplate, and
// the experiment controller, experiments/experiment.go): ReplicaSets run from the canary's or the
// stable's pod template beside the rollout, for `duration` once they are available; the
// experiment's analyses start then. The experiment ends Successful when the duration has passed
// and its analyses completed (or, without a duration, when every analysis marked
// `requiredForCompletion` succeeded); an analysis that fails fails it at once (calculateStatus,
// assessAnalysisRuns: the run's message becomes the experiment's). Its ReplicaSets go
// scaleDownDelaySeconds (default 30) after it ends.
import type { LabelSelector } from '../../k8s/labels';
import type { OwnerRef, PodTemplate, StatusRow, World } from '../types';
import { nonNegativeInt, ReplicaSetController } from '../controllers/replicaset/controller';
import { POD_TEMPLATE_HASH_LABEL } from '../controllers/deployment/controller';
import { computePodTemplateHash } from '../controllers/deployment/util';
import { parseArgoDuration } from './argo-duration';
import { analysisOutcome, type AnalysisRef, type AnalysisRunState, type AnalysisTemplates } from './argo-analysis';
import { isObj } from '../objects';
import type { AnalysisFaultPhase } from '../result';

/** experiments/utils DefaultExperimentScaleDownDelaySeconds. */
const EXPERIMENT_SCALE_DOWN_DELAY_SECONDS = 30;

export interface ExperimentStep {
  /** Seconds; undefined runs until its required analyses succeed. */
  duration?: number;
  templates: { name: string; specRef: 'canary' | 'stable'; replicas: number }[];
  analyses: { name: string; ref: AnalysisRef; requiredForCompletion: boolean }[];
}

export function parseExperimentStep(value: unknown): ExperimentStep | undefined {
  if (!isObj(value)) return undefined;
  const templates = (Array.isArray(value.templates) ? value.templates : []).filter(isObj).flatMap((t) =>
    typeof t.name === 'string' && (t.specRef === 'canary' || t.specRef === 'stable') ? [{ name: t.name, specRef: t.specRef as 'canary' | 'stable', replicas: nonNegativeInt(t.replicas, 1) }] : [],
  );
  if (templates.length === 0) return undefined;
  const analyses = (Array.isArray(value.analyses) ? value.analyses : []).filter(isObj).flatMap((a) =>
    typeof a.name === 'string' && typeof a.templateName === 'string' ? [{ name: a.name, ref: { templates: [{ name: a.templateName, clusterScope: a.clusterScope === true }] }, requiredForCompletion: a.requiredForCompletion === true }] : [],
  );
  const duration = parseArgoDuration(value.duration);
  return { ...(duration !== undefined ? { duration } : {}), templates, analyses };
}

/** What an experiment template copies from the rollout's ReplicaSets. */
export interface ExperimentSources {
  canary: { template: PodTemplate; selector?: LabelSelector; minReadySeconds: number };
  stable: { template: PodTemplate; selector?: LabelSelector; minReadySeconds: number };
}

export type ExperimentPhase = 'Pending' | 'Running' | 'Successful' | AnalysisFaultPhase;

export class ArgoExperiment {
  readonly sets: ReplicaSetController[] = [];
  phase: ExperimentPhase = 'Pending';
  message = '';
  private availableAt?: number;
  private readonly runs: AnalysisRunState[] = [];
  private scaleDownAt?: number;

  constructor(
    readonly name: string,
    private readonly step: ExperimentStep,
    sources: ExperimentSources,
    uid: string,
    requeueKey: string,
    /** The fault makes this experiment's analyses fail, or end Inconclusive. */
    private readonly fault: AnalysisFaultPhase | undefined,
    private readonly templates: AnalysisTemplates,
  ) {
    const owner: OwnerRef = { kind: 'Experiment', name, uid };
    for (const t of step.templates) {
      const source = sources[t.specRef];
      const setName = `${name}-${t.name}`;
      const hash = computePodTemplateHash({ name: setName, labels: source.template.labels });
      const template: PodTemplate = { ...source.template, labels: { ...source.template.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
      const selector: LabelSelector = { ...(source.selector ?? {}), matchLabels: { ...(source.selector?.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
      this.sets.push(new ReplicaSetController({ name: setName, replicas: t.replicas, selector, template, minReadySeconds: source.minReadySeconds, revision: hash }, { owner, uid: `replicaset-${setName}`, requeueKey }));
    }
  }

  get ended(): boolean {
    return this.phase === 'Successful' || this.phase === 'Failed' || this.phase === 'Inconclusive';
  }

  /** One reconcile of the experiment: its sets, then its status (calculateStatus). */
  sync(world: World, requeueKey: string): boolean {
    let changed = false;
    for (const rs of this.sets) changed = rs.sync(world) || changed;
    if (!this.ended) changed = this.assess(world, requeueKey) || changed;
    if (this.ended) changed = this.scaleDown(world, requeueKey) || changed;
    return changed;
  }

  /** Cancelled (the rollout aborted or was updated): terminated; its sets go after the scale-down delay. */
  cancel(): void {
    if (this.ended) return;
    this.phase = 'Failed';
    this.message = 'Experiment terminated';
  }

  status(world: World): StatusRow[] {
    return this.sets.flatMap((rs) => rs.status(world));
  }

  private assess(world: World, requeueKey: string): boolean {
    const available = this.sets.every((rs) => {
      const counts = rs.observe(world);
      return counts.availableReplicas >= rs.spec.replicas;
    });
    let changed = false;
    if (available && this.availableAt === undefined) {
      this.availableAt = world.now;
      this.phase = 'Running';
      changed = true;
      for (const a of this.step.analyses) {
        const run: AnalysisRunState = { name: `${this.name}-${a.name}`, type: 'Step', startedAt: world.now, outcome: analysisOutcome(a.ref, this.templates, this.fault), phase: 'Running' };
        this.runs.push(run);
      }
    }
    if (this.availableAt === undefined) return changed;
    for (const run of this.runs) {
      if (run.phase !== 'Running' || run.outcome.phase === 'Running') continue;
      const endsAt = run.startedAt + run.outcome.after;
      if (world.now < endsAt) {
        world.requeueAt(requeueKey, endsAt);
        continue;
      }
      const previous = run.phase;
      run.phase = run.outcome.phase;
      // reconcileAnalysisRun (experiments/experiment.go): the event is the Experiment's (ec.ex), not its Rollout's
      const analysis = run.name.slice(this.name.length + 1);
      const message = `AnalysisRun '${analysis}' transitioned from ${previous} -> ${run.phase}${run.outcome.message ? `: ${run.outcome.message}` : ''}`;
      world.event(`experiment.argoproj.io/${this.name}`, message, run.phase === 'Failed' ? 'Warning' : 'Normal');
      changed = true;
    }
    // a Failed, Error or Inconclusive run completes the experiment prematurely, with its phase (calculateStatus)
    const failed = this.runs.find((r) => r.phase === 'Failed') ?? this.runs.find((r) => r.phase === 'Inconclusive');
    if (failed) {
      this.phase = failed.phase as AnalysisFaultPhase;
      this.message = failed.outcome.message;
      return true;
    }
    const analysesDone = this.runs.every((r) => r.phase === 'Successful');
    const required = this.step.analyses.filter((a) => a.requiredForCompletion);
    if (this.step.duration !== undefined) {
      const endsAt = this.availableAt + this.step.duration;
      if (world.now < endsAt) world.requeueAt(requeueKey, endsAt);
      else if (analysesDone || this.runs.length === 0) {
        this.phase = 'Successful';
        return true;
      }
    } else if (required.length > 0 && required.every((a) => this.runs.find((r) => r.name === `${this.name}-${a.name}`)?.phase === 'Successful')) {
      this.phase = 'Successful';
      return true;
    }
    return changed;
  }

  private scaleDown(world: World, requeueKey: string): boolean {
    this.scaleDownAt ??= world.now + EXPERIMENT_SCALE_DOWN_DELAY_SECONDS;
    if (world.now < this.scaleDownAt) {
      world.requeueAt(requeueKey, this.scaleDownAt);
      return false;
    }
    let changed = false;
    for (const rs of this.sets) {
      if (rs.spec.replicas === 0) continue;
      rs.setReplicas(0);
      changed = rs.sync(world) || true;
    }
    return changed;
  }
}
