// The server's boundary: every custom request's parameters are checked against a schema before
// any handler sees them (finite numbers in range, bounded strings and arrays, known enums), and
// unknown fields are dropped. A request without a time once reached the engine as NaN and ran
// for 34 s; an applyChange with index 1e7 built a list of ten million entries.
import { MAX_ANALYSIS_STEP, MAX_POD_PAGE } from '../protocol/wire';
import type { ApplyChangeParams, CapacityParams, KubernetesVersionParams, SimulateParams, SimulatePodsParams, UpgradeReportParams, WorkloadsParams } from '../protocol/requests';
import type { Faults, SpecChange, StrategyChoice } from '../engine/types';

export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

class Invalid extends Error {}

type Check<T> = (value: unknown, path: string) => T;

/** Texts the server is asked to read: as large as a file the CLI reads, no larger. */
const MAX_TEXT = 20 * 1024 * 1024;
const MAX_NAME = 253; // a DNS subdomain, the longest Kubernetes object name
const MAX_URI = 32 * 1024;
/** An image reference: registry host, path, tag and digest stay well within this. */
const MAX_IMAGE = 4096;
/** A year of virtual time: longer than any rollout or CronJob window worth previewing. */
const MAX_SECONDS = 366 * 86400;

const text =
  (max: number): Check<string> =>
  (v, path) => {
    if (typeof v !== 'string') throw new Invalid(`${path} must be a string`);
    if (v.length > max) throw new Invalid(`${path} is longer than ${max} characters`);
    return v;
  };

const number =
  (min: number, max: number, unit = ''): Check<number> =>
  (v, path) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new Invalid(`${path} must be a finite number${unit} from ${min} to ${max}, not ${JSON.stringify(v) ?? String(v)}`);
    return v;
  };

const integer =
  (min: number, max: number): Check<number> =>
  (v, path) => {
    const n = number(min, max)(v, path);
    if (!Number.isInteger(n)) throw new Invalid(`${path} must be a whole number, not ${n}`);
    return n;
  };

const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (v, path) => {
    if (!(values as readonly unknown[]).includes(v)) throw new Invalid(`${path} must be one of ${values.join(', ')}, not ${JSON.stringify(v) ?? String(v)}`);
    return v as T;
  };

const list =
  <T>(item: Check<T>, max: number): Check<T[]> =>
  (v, path) => {
    if (!Array.isArray(v)) throw new Invalid(`${path} must be a list`);
    if (v.length > max) throw new Invalid(`${path} has ${v.length} entries; at most ${max} are accepted`);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };

type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

/** An object with these fields (each optional unless `required` names it); other fields are dropped. */
function object<T>(shape: Shape<T>, required: (keyof T)[] = []): Check<T> {
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Invalid(`${path} must be an object`);
    const input = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
      if (input[key] === undefined || input[key] === null) {
        if (required.includes(key)) throw new Invalid(`${path}.${key} is missing`);
        continue;
      }
      out[key] = shape[key](input[key], `${path}.${key}`);
    }
    return out as T;
  };
}

const union =
  <A, B>(a: Check<A>, b: Check<B>, what: string): Check<A | B> =>
  (v, path) => {
    try {
      return a(v, path);
    } catch {
      try {
        return b(v, path);
      } catch {
        throw new Invalid(`${path} must be ${what}`);
      }
    }
  };

export const STRATEGY_CHOICES: readonly StrategyChoice[] = ['manifest', 'rolling', 'recreate', 'canary', 'bluegreen', 'ab', 'shadow'];

const workloadRef = object<{ kind: string; name: string }>({ kind: text(MAX_NAME), name: text(MAX_NAME) }, ['kind', 'name']);
const percent = number(0, 100, ' (percent)');
const seconds = number(0, MAX_SECONDS, ' of seconds');

const strategyParams = object<NonNullable<SimulateParams['strategyParams']>>({
  canaryWeights: list(percent, 100),
  canaryPauseSeconds: seconds,
  abRule: text(1024),
  abShare: percent,
  shadowPercent: percent,
});

const analysisShape = object<NonNullable<Faults['analysis']>>({ step: integer(1, MAX_ANALYSIS_STEP), phase: oneOf(['Failed', 'Inconclusive'] as const), then: oneOf(['promote', 'abort'] as const) });

/** `then` is the person's promote or abort at an Inconclusive pause: refused without it, as `--fail analysis:...,promote` is (fail-option.ts). */
const analysisFault: Check<NonNullable<Faults['analysis']>> = (v, path) => {
  const analysis = analysisShape(v, path);
  if (analysis.then && analysis.phase !== 'Inconclusive') throw new Invalid(`${path}.then (${analysis.then}) needs phase Inconclusive: promote and abort are what a person does at an Inconclusive pause`);
  return analysis;
};

const faults = object<NonNullable<SimulateParams['faults']>>({
  neverReadyRevision: text(MAX_NAME),
  crashLoopRevision: text(MAX_NAME),
  nodeNotReady: list(object<{ node: string; at: number }>({ node: text(MAX_NAME), at: seconds }, ['node', 'at']), 1000),
  drain: list(object<{ node: string; at?: number }>({ node: text(MAX_NAME), at: seconds }, ['node']), 1000),
  podExit: object<NonNullable<Faults['podExit']>>({ exitCode: integer(1, 255), indexes: list(integer(0, 100_000), 1000), sharePercent: percent }, ['exitCode']),
  analysis: analysisFault,
});

const simulateParams = object<SimulateParams>(
  {
    uri: text(MAX_URI),
    text: text(MAX_TEXT),
    workload: workloadRef,
    offset: integer(0, MAX_TEXT),
    beforeText: text(MAX_TEXT),
    strategy: oneOf(STRATEGY_CHOICES),
    strategyParams,
    faults,
    then: list(object<SpecChange>({ at: seconds, replicas: integer(0, 1_000_000), image: text(MAX_IMAGE), container: text(MAX_NAME) }, ['at']), 100),
    windowSeconds: number(1, MAX_SECONDS, ' of seconds'),
    podWindow: integer(1, MAX_POD_PAGE),
    kustomization: text(MAX_URI),
  },
  ['uri'],
);

/** A run's id is a UUID (simulation-worker.ts); a step index and a page within the bounds a run has. */
const simulatePodsParams = object<SimulatePodsParams>(
  { id: text(64), step: integer(0, 10_000_000), node: text(MAX_NAME), offset: integer(0, 10_000_000), limit: integer(1, MAX_POD_PAGE) },
  ['id', 'step', 'offset', 'limit'],
);

const capacityParams = object<CapacityParams>({ uri: text(MAX_URI), extent: oneOf(['scope', 'workspace'] as const) }, ['uri']);

const workloadsParams = object<WorkloadsParams>({ uri: text(MAX_URI), text: text(MAX_TEXT) }, ['uri']);
const kubernetesVersionParams = object<KubernetesVersionParams>({ uri: text(MAX_URI) }, ['uri']);
const upgradeReportParams = object<UpgradeReportParams>({ to: text(MAX_NAME) }, ['to']);

/** A path into a workload: keys, or list indexes (bounded again by the list's length when applied). */
const changePath = list(union<string | number, string | number>(text(MAX_NAME), integer(0, 1_000_000), 'a key or a list index'), 64);

const applyChangeParams = object<ApplyChangeParams>(
  {
    uri: text(MAX_URI),
    text: text(MAX_TEXT),
    workload: workloadRef,
    path: changePath,
    value: union<string | number, string | number>(text(64 * 1024), number(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), 'a string or a finite number'),
  },
  ['uri', 'workload', 'path', 'value'],
);

function validate<T>(check: Check<T>, request: string, params: unknown): Validated<T> {
  try {
    return { ok: true, value: check(params, 'params') };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: `Invalid ${request} request: ${e.message}.` };
    throw e;
  }
}

export const validateSimulateParams = (params: unknown) => validate(simulateParams, 'kdry/simulate', params);
export const validateSimulatePodsParams = (params: unknown) => validate(simulatePodsParams, 'kdry/simulatePods', params);
export const validateCapacityParams = (params: unknown) => validate(capacityParams, 'kdry/capacity', params);
export const validateWorkloadsParams = (params: unknown) => validate(workloadsParams, 'kdry/workloads', params);
export const validateKubernetesVersionParams = (params: unknown) => validate(kubernetesVersionParams, 'kdry/kubernetesVersion', params);
export const validateUpgradeReportParams = (params: unknown) => validate(upgradeReportParams, 'kdry/upgradeReport', params);
export const validateApplyChangeParams = (params: unknown) => validate(applyChangeParams, 'kdry/applyChange', params);
