// `kdry simulate --fail ...`: the faults a run injects, one option each.
//   new-revision                     the new revision never becomes ready
//   node:NAME                        NAME is NotReady from the start
//   drain:NODE[,at=DURATION]         kubectl drain NODE --ignore-daemonsets: a second after the
//                                    workload is up, or at the time given (30, 30s, 2m)
//   pods:exit=CODE[,index=I][,share=P%]
//                                    containers exit with CODE (1-255); only completion index I
//                                    (or a range I-J) of an Indexed Job; only P percent of the pods,
//                                    spread evenly in the order they start
//   analysis[:step=N][,inconclusive] an Argo Rollout's AnalysisRuns fail: every one, or only those
//                                    of canary step N (1-based, as `Rollout step N/M` counts);
//                                    `inconclusive`: they end Inconclusive instead (the Rollout pauses);
//                                    then `promote` or `abort`: the person's command at that pause
import type { Faults } from '../engine';
import { seconds } from './then-option';

export const FAIL_SYNTAX = 'new-revision, node:NAME, drain:NODE[,at=DURATION], pods:exit=CODE[,index=I[-J]][,share=P%] or analysis[:step=N][,inconclusive[,promote|abort]]';

export class FailOptionError extends Error {}

/** Every `--fail` value merged into one Faults; throws FailOptionError naming the bad value. */
export function parseFailOptions(values: readonly string[]): Faults | undefined {
  if (values.length === 0) return undefined;
  const faults: Faults = {};
  for (const value of values) {
    if (value === 'new-revision') faults.neverReadyRevision = 'new';
    else if (/^node:.+/.test(value)) (faults.nodeNotReady ??= []).push({ node: value.slice('node:'.length), at: 0 });
    else if (value.startsWith('drain:')) (faults.drain ??= []).push(drainFault(value));
    else if (value.startsWith('pods:')) {
      if (faults.podExit) throw new FailOptionError(`--fail pods:... may be given once; got "${value}" as well`);
      faults.podExit = podExitFault(value);
    } else if (value === 'analysis' || value.startsWith('analysis:')) {
      if (faults.analysis) throw new FailOptionError(`--fail analysis... may be given once; got "${value}" as well`);
      faults.analysis = analysisFault(value);
    } else throw new FailOptionError(`--fail takes ${FAIL_SYNTAX}, not "${value}"`);
  }
  return faults;
}

function drainFault(value: string): { node: string; at?: number } {
  const [node, ...rest] = value.slice('drain:'.length).split(',');
  const bad = (why: string) => new FailOptionError(`--fail ${value}: ${why} (${FAIL_SYNTAX})`);
  if (node.trim() === '') throw bad('a node name is needed');
  if (rest.length === 0) return { node };
  const at = rest.length === 1 && rest[0].trim().startsWith('at=') ? seconds(rest[0].trim().slice(3)) : undefined;
  if (at === undefined) throw bad(`after the node only at=DURATION (30s, 2m) may follow, not "${rest.join(',')}"`);
  return { node, at };
}

function analysisFault(value: string): NonNullable<Faults['analysis']> {
  if (value === 'analysis') return {};
  const fault: NonNullable<Faults['analysis']> = {};
  for (const part of value.slice('analysis:'.length).split(',')) {
    const step = /^step=(\d{1,5})$/.exec(part.trim());
    if (step && Number(step[1]) >= 1 && fault.step === undefined) fault.step = Number(step[1]);
    else if (part.trim() === 'inconclusive' && fault.phase === undefined) fault.phase = 'Inconclusive';
    // what the person does at the Inconclusive pause: kubectl argo rollouts promote / abort
    else if ((part.trim() === 'promote' || part.trim() === 'abort') && fault.phase === 'Inconclusive' && fault.then === undefined) fault.then = part.trim() as 'promote' | 'abort';
    else throw new FailOptionError(`--fail ${value}: after analysis only :step=N (a canary step from 1), inconclusive and then promote or abort may follow, each once (${FAIL_SYNTAX})`);
  }
  return fault;
}

function podExitFault(value: string): NonNullable<Faults['podExit']> {
  const bad = (why: string) => new FailOptionError(`--fail ${value}: ${why} (${FAIL_SYNTAX})`);
  const fields = new Map<string, string>();
  for (const part of value.slice('pods:'.length).split(',')) {
    const m = /^([a-z]+)=(.*)$/.exec(part.trim());
    if (!m) throw bad(`"${part}" is not key=value`);
    if (fields.has(m[1])) throw bad(`${m[1]} is given twice`);
    fields.set(m[1], m[2]);
  }
  for (const key of fields.keys()) if (!['exit', 'index', 'share'].includes(key)) throw bad(`unknown key "${key}"`);
  const exit = fields.get('exit');
  if (exit === undefined) throw bad('exit=CODE is required');
  if (!/^\d+$/.test(exit) || Number(exit) < 1 || Number(exit) > 255) throw bad(`exit takes a code from 1 to 255, not "${exit}"`);
  const fault: NonNullable<Faults['podExit']> = { exitCode: Number(exit) };
  const index = fields.get('index');
  if (index !== undefined) {
    const m = /^(\d{1,6})(?:-(\d{1,6}))?$/.exec(index);
    const from = m ? Number(m[1]) : NaN;
    const to = m?.[2] === undefined ? from : Number(m[2]);
    if (!m || to < from || to - from >= 1000) throw bad(`index takes a completion index or a range such as 2-4 (at most 1,000), not "${index}"`);
    fault.indexes = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }
  const share = fields.get('share');
  if (share !== undefined) {
    const m = /^(\d{1,3})%$/.exec(share);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > 100) throw bad(`share takes a percentage from 1% to 100%, not "${share}"`);
    fault.sharePercent = Number(m[1]);
  }
  return fault;
}
