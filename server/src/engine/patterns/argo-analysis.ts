// Argo Rollouts AnalysisRuns as the Rollout controller sees them: when one ends and how.
//
// kdry cannot measure a metric (no Prometheus, no web endpoint), so a run succeeds unless the user
// asks for it to fail (`--fail analysis`, `--fail analysis:step=N`); what the run's AnalysisTemplate
// says decides *when* it ends. A metric takes its first measurement after `initialDelay`, then one
// every `interval`, `count` in all (analysis/analysis.go; `count` defaults to 1 without an
// interval, and a metric with an interval but no count runs until the run is terminated). Under the
// fault every measurement fails, so a metric fails at measurement failureLimit + 1
// (assessMetricFailureInconclusiveOrError: `failed (N) > failureLimit (L)`; a negative limit never fails).
//
// Worked example: interval 1m, count 5, failureLimit 2: passing, the run ends Successful after 4 min
// (measurements at 0, 1, 2, 3, 4 min); failing, the third failed measurement (at 2 min) is one more
// than the limit, and the run ends Failed with `Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)`.
//
// Without its AnalysisTemplate in scope (the templates often live elsewhere), a run ends at once,
// Successful, or Failed with no message.
import { parseArgoDuration } from './argo-duration';
import { type Obj, isObj } from '../objects';
import { intOrStringIntValue } from '../../k8s/intstr';

/** `templates:` of a step's or strategy's analysis: the AnalysisTemplate (or ClusterAnalysisTemplate) names. */
export interface AnalysisRef {
  templates: { name: string; clusterScope: boolean }[];
}

export function parseAnalysisRef(value: unknown): AnalysisRef | undefined {
  if (!isObj(value) || !Array.isArray(value.templates)) return undefined;
  const templates = value.templates.filter(isObj).flatMap((t) => (typeof t.templateName === 'string' && t.templateName !== '' ? [{ name: t.templateName, clusterScope: t.clusterScope === true }] : []));
  return templates.length > 0 ? { templates } : undefined;
}

/** AnalysisTemplates and ClusterAnalysisTemplates in scope, by name. */
export interface AnalysisTemplates {
  namespaced: Map<string, Obj>;
  cluster: Map<string, Obj>;
}

export function analysisTemplatesFrom(objects: readonly unknown[]): AnalysisTemplates {
  const found: AnalysisTemplates = { namespaced: new Map(), cluster: new Map() };
  for (const o of objects) {
    if (!isObj(o) || !isObj(o.metadata) || typeof o.metadata.name !== 'string') continue;
    if (o.kind === 'AnalysisTemplate') found.namespaced.set(o.metadata.name, o);
    if (o.kind === 'ClusterAnalysisTemplate') found.cluster.set(o.metadata.name, o);
  }
  return found;
}

/** How one run ends, seconds after it starts; `never` when a metric measures until terminated. */
export type AnalysisOutcome = { phase: 'Successful' | 'Failed'; after: number; message: string } | { phase: 'Running'; after: typeof Infinity; message: '' };

interface MetricTiming {
  name: string;
  initialDelay: number;
  interval: number;
  /** undefined: measures until the run is terminated. */
  count?: number;
  failureLimit: number;
}

function metricTimings(template: Obj): MetricTiming[] {
  const spec = isObj(template.spec) ? template.spec : {};
  const metrics = Array.isArray(spec.metrics) ? spec.metrics.filter(isObj) : [];
  return metrics.map((m) => {
    const interval = parseArgoDuration(m.interval);
    // Metric.EffectiveCount (pkg/apis/rollouts/v1alpha1/analysis_types.go): a count unset or 0 is 1
    // without an interval, and none (measure until terminated) with one. count and failureLimit are
    // read as IntValue reads them: a `{{args.x}}` reference Argo substitutes first reads 0 here, as
    // kdry does not resolve the run's arguments.
    const given = intOrStringIntValue(m.count);
    const count = given > 0 ? given : interval === undefined ? 1 : undefined;
    const failureLimit = intOrStringIntValue(m.failureLimit);
    return { name: typeof m.name === 'string' ? m.name : 'metric', initialDelay: parseArgoDuration(m.initialDelay) ?? 0, interval: interval ?? 0, ...(count !== undefined ? { count } : {}), failureLimit };
  });
}

/**
 * The outcome of a run of `ref`'s templates: failing, the metric that fails first (its message as
 * analysis.go words it); passing, Successful once every metric has taken its measurements.
 */
export function analysisOutcome(ref: AnalysisRef, templates: AnalysisTemplates, fails: boolean): AnalysisOutcome {
  const metrics = ref.templates.flatMap((t) => {
    const template = (t.clusterScope ? templates.cluster : templates.namespaced).get(t.name);
    return template ? metricTimings(template) : [];
  });
  if (fails) {
    let first: { after: number; message: string } | undefined;
    for (const m of metrics) {
      if (m.failureLimit < 0 || (m.count !== undefined && m.count <= m.failureLimit)) continue;
      const after = m.initialDelay + m.failureLimit * m.interval;
      if (!first || after < first.after) first = { after, message: `Metric "${m.name}" assessed Failed due to failed (${m.failureLimit + 1}) > failureLimit (${m.failureLimit})` };
    }
    if (first) return { phase: 'Failed', ...first };
    if (metrics.length === 0) return { phase: 'Failed', after: 0, message: '' };
  }
  if (metrics.some((m) => m.count === undefined)) return { phase: 'Running', after: Infinity, message: '' };
  const after = Math.max(0, ...metrics.map((m) => m.initialDelay + Math.max(0, (m.count as number) - 1) * m.interval));
  return { phase: 'Successful', after, message: '' };
}

/** One AnalysisRun the Rollout owns: its name, kind (the event's prefix) and when it ends. */
export interface AnalysisRunState {
  name: string;
  /** RolloutTypeStepLabel and friends: Step, Background, PrePromotion, PostPromotion. */
  type: 'Step' | 'Background' | 'PrePromotion' | 'PostPromotion';
  startedAt: number;
  outcome: AnalysisOutcome;
  phase: 'Running' | 'Successful' | 'Failed';
}

/**
 * emitAnalysisRunStatusChanges (rollout/analysis.go): `Step Analysis Run 'demo-6d8f5-2-1' Status
 * New: 'Failed' Previous: 'Running'`, a Warning when it failed.
 */
export function analysisRunEvent(run: AnalysisRunState, previous: string): { message: string; type: 'Normal' | 'Warning' } {
  return { message: `${run.type} Analysis Run '${run.name}' Status New: '${run.phase}' Previous: '${previous}'`, type: run.phase === 'Failed' ? 'Warning' : 'Normal' };
}

/** The abort message prefix per run type (reconcileStepBasedAnalysisRun, reconcileBackgroundAnalysisRun, setPauseOrAbortForBlueGreen). */
export function analysisAbortMessage(run: AnalysisRunState): string {
  const prefix = {
    Step: 'Step-based analysis phase error/failed',
    Background: 'Background analysis phase error/failed',
    PrePromotion: 'Blue/green pre-promotion analysis phase error/failed',
    PostPromotion: 'Blue/green post-promotion analysis phase error/failed',
  }[run.type];
  return run.outcome.message ? `${prefix}: ${run.outcome.message}` : prefix;
}
