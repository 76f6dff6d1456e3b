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
// `--fail analysis:inconclusive` makes every measurement Inconclusive instead: a metric is
// Inconclusive at measurement inconclusiveLimit + 1 (default limit 0, so the first; a negative limit
// too), `Metric "success-rate" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)`,
// unless its count is reached first (then it is Successful). An Inconclusive metric terminates the
// run as a failed one does (utils/analysis IsTerminating), and the Rollout pauses (rollout/analysis.go).
//
// Without its AnalysisTemplate in scope (the templates often live elsewhere), a run ends at once,
// Successful, or Failed with no message.
import { parseArgoDuration } from './argo-duration';
import { type Obj, isObj } from '../objects';
import { intOrStringIntValue } from '../../k8s/intstr';
import type { AnalysisFaultPhase } from '../result';

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
export type AnalysisOutcome = { phase: 'Successful' | AnalysisFaultPhase; after: number; message: string } | { phase: 'Running'; after: typeof Infinity; message: '' };

interface MetricTiming {
  name: string;
  initialDelay: number;
  interval: number;
  /** undefined: measures until the run is terminated. */
  count?: number;
  failureLimit: number;
  inconclusiveLimit: number;
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
    const inconclusiveLimit = intOrStringIntValue(m.inconclusiveLimit);
    return { name: typeof m.name === 'string' ? m.name : 'metric', initialDelay: parseArgoDuration(m.initialDelay) ?? 0, interval: interval ?? 0, ...(count !== undefined ? { count } : {}), failureLimit, inconclusiveLimit };
  });
}

/**
 * The outcome of a run of `ref`'s templates: under the fault, the metric whose measurements pass its
 * limit first (its message as analysis.go words it, assessMetricFailureInconclusiveOrError); else
 * Successful once every metric has taken its measurements.
 */
export function analysisOutcome(ref: AnalysisRef, templates: AnalysisTemplates, fault?: AnalysisFaultPhase): AnalysisOutcome {
  const metrics = ref.templates.flatMap((t) => {
    const template = (t.clusterScope ? templates.cluster : templates.namespaced).get(t.name);
    return template ? metricTimings(template) : [];
  });
  if (fault) {
    let first: { after: number; message: string } | undefined;
    for (const m of metrics) {
      // a negative failureLimit never fails; a negative inconclusiveLimit is passed at the first measurement
      const limit = fault === 'Failed' ? m.failureLimit : m.inconclusiveLimit;
      if ((fault === 'Failed' && limit < 0) || (m.count !== undefined && m.count <= limit)) continue;
      const after = m.initialDelay + Math.max(0, limit) * m.interval;
      const [counted, limitName] = fault === 'Failed' ? ['failed', 'failureLimit'] : ['inconclusive', 'inconclusiveLimit'];
      const message = `Metric "${m.name}" assessed ${fault} due to ${counted} (${Math.max(0, limit) + 1}) > ${limitName} (${limit})`;
      if (!first || after < first.after) first = { after, message };
    }
    if (first) return { phase: fault, ...first };
    if (metrics.length === 0) return { phase: fault, after: 0, message: '' };
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
  phase: 'Running' | 'Successful' | AnalysisFaultPhase;
  /**
   * A promote cleared the Inconclusive pause this run caused: the controller creates another run
   * in its place (rollout/analysis.go needsNewAnalysisRun), named `<name>.1`
   * (utils/analysis/helpers.go CreateWithCollisionCounter).
   */
  superseded?: boolean;
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
