// Command-line parsing for `kdry` (node:util parseArgs; no hand-rolled option parser).
import { parseArgs } from 'node:util';
import { releaseOf } from '../k8s/release-version';
import { excludePatternProblem } from '../workspace/exclude';
import { FailOptionError, parseFailOptions } from './fail-option';
import { parseThenOptions, ThenOptionError } from './then-option';

export class UsageError extends Error {}

export const USAGE = `Usage:
  kdry check [files|dirs|globs...|-] [--format stylish|json|sarif] [--max-warnings N] [--config FILE] [--no-schema]
             [--crds FILE|DIR]... [--kubernetes-version 1.31] [--upgrade-to 1.35]
             [--assume-pod-security privileged|baseline|restricted]
             [--allow-unchecked] [--exclude GLOB]... [--cluster FILE] [--no-simulation] [--jobs N]
  kdry simulate <file> [--workload [KIND/]NAME] [--kustomization PATH] [--cluster FILE] [--from FILE|git:REV]
                [--strategy manifest|rolling|recreate|canary|bluegreen|ab|shadow]
                [--fail new-revision|node:NAME|drain:NODE[,at=DURATION]|pods:exit=CODE[,index=I][,share=P%]|analysis[:step=N][,inconclusive[,promote|abort]]]...
                [--then at=DURATION,replicas=N|image=[CONTAINER=]IMAGE]... [--window DURATION] [--format text|json]
                [--kubernetes-version 1.31] [--config FILE] [--crds FILE|DIR]...
  kdry capacity [DIR|files|globs...] [--cluster FILE] [--format text|json] [--kubernetes-version 1.31] [--config FILE]
  kdry rules [--format text|markdown|json]
  kdry --version | --help

Exit codes: 0 clean, 1 errors or warnings over the limit, or files not (or only partly) checked without
--allow-unchecked (check), or a rollout that did not complete (simulate), or pods that fit on no node (capacity), 2 usage or I/O error.`;

export type Command =
  | { name: 'check'; inputs: string[]; format: 'stylish' | 'json' | 'sarif'; maxWarnings?: number; config?: string; schema: boolean; allowUnchecked: boolean; crds: string[]; exclude: string[]; kubernetesVersion?: string; upgradeTo?: string; assumePodSecurity?: 'privileged' | 'baseline' | 'restricted'; cluster?: string; simulation: boolean; jobs?: number }
  | {
      name: 'simulate';
      file: string;
      workload?: string;
      /** The kustomization (a file or its folder) whose build runs the file: an overlay of its base. */
      kustomization?: string;
      cluster?: string;
      from?: string;
      strategy?: string;
      fail: string[];
      then: string[];
      /** --kubernetes-version, over the config file's kubernetesVersion. */
      kubernetesVersion?: string;
      config?: string;
      /** CustomResourceDefinitions (files or folders) that judge a custom workload, beside those of the file's folder. */
      crds?: string[];
      window?: string;
      format: 'text' | 'json';
    }
  | { name: 'capacity'; inputs: string[]; cluster?: string; config?: string; format: 'text' | 'json'; kubernetesVersion?: string }
  | { name: 'rules'; format: 'text' | 'markdown' | 'json' }
  | { name: 'help' }
  | { name: 'version' };

export function parseCommand(argv: string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') return { name: 'help' };
  if (name === '--version' || name === '-v') return { name: 'version' };
  try {
    switch (name) {
      case 'check':
        return parseCheck(rest);
      case 'simulate':
        return parseSimulate(rest);
      case 'capacity':
        return parseCapacity(rest);
      case 'rules':
        return parseRules(rest);
      default:
        throw new UsageError(`unknown command "${name}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message); // parseArgs' own messages name the bad option
  }
}

function parseCheck(args: string[]): Command {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f', default: 'stylish' },
      'max-warnings': { type: 'string' },
      config: { type: 'string', short: 'c' },
      'no-schema': { type: 'boolean', default: false },
      crds: { type: 'string', multiple: true, default: [] },
      'kubernetes-version': { type: 'string' },
      'upgrade-to': { type: 'string' },
      'allow-unchecked': { type: 'boolean', default: false },
      exclude: { type: 'string', multiple: true, default: [] },
      'assume-pod-security': { type: 'string' },
      cluster: { type: 'string' },
      'no-simulation': { type: 'boolean', default: false },
      jobs: { type: 'string', short: 'j' },
    },
  });
  const format = oneOf(values.format!, ['stylish', 'json', 'sarif'] as const, '--format');
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new UsageError(`--jobs takes a whole number of threads, 1 or more, not "${values.jobs}"`);
  const assumePodSecurity = values['assume-pod-security'] === undefined ? undefined : oneOf(values['assume-pod-security'], ['privileged', 'baseline', 'restricted'] as const, '--assume-pod-security');
  const kubernetesVersion = releaseOption(values['kubernetes-version'], '--kubernetes-version');
  const upgradeTo = releaseOption(values['upgrade-to'], '--upgrade-to');
  for (const pattern of values.exclude!) {
    const problem = excludePatternProblem(pattern);
    if (problem) throw new UsageError(`--exclude ${JSON.stringify(pattern)} ${problem.replace('project folder', 'working directory')}`);
  }
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < -1) throw new UsageError(`--max-warnings takes a whole number, not "${values['max-warnings']}"`);
  }
  return { name: 'check', inputs: positionals.length ? positionals : ['.'], format, maxWarnings, config: values.config, schema: !values['no-schema'], allowUnchecked: values['allow-unchecked']!, crds: values.crds!, exclude: values.exclude!, kubernetesVersion, upgradeTo, assumePodSecurity, cluster: values.cluster, simulation: !values['no-simulation'], jobs };
}

function parseSimulate(args: string[]): Command {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      workload: { type: 'string', short: 'w' },
      kustomization: { type: 'string', short: 'k' },
      cluster: { type: 'string' },
      from: { type: 'string' },
      strategy: { type: 'string', short: 's' },
      fail: { type: 'string', multiple: true, default: [] },
      then: { type: 'string', multiple: true, default: [] },
      'kubernetes-version': { type: 'string' },
      config: { type: 'string', short: 'c' },
      crds: { type: 'string', multiple: true, default: [] },
      window: { type: 'string' },
      format: { type: 'string', short: 'f', default: 'text' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('simulate takes exactly one file');
  const format = oneOf(values.format!, ['text', 'json'] as const, '--format');
  if (values.strategy !== undefined) oneOf(values.strategy, ['manifest', 'rolling', 'recreate', 'canary', 'bluegreen', 'ab', 'shadow'] as const, '--strategy');
  try {
    parseFailOptions(values.fail!);
    parseThenOptions(values.then!);
  } catch (e) {
    if (e instanceof FailOptionError || e instanceof ThenOptionError) throw new UsageError(e.message);
    throw e;
  }
  const kubernetesVersion = releaseOption(values['kubernetes-version'], '--kubernetes-version');
  return { name: 'simulate', file: positionals[0], ...values, fail: values.fail!, then: values.then!, format, kubernetesVersion } as Command;
}

function parseCapacity(args: string[]): Command {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      cluster: { type: 'string' },
      config: { type: 'string', short: 'c' },
      format: { type: 'string', short: 'f', default: 'text' },
      'kubernetes-version': { type: 'string' },
    },
  });
  const kubernetesVersion = releaseOption(values['kubernetes-version'], '--kubernetes-version');
  return { name: 'capacity', inputs: positionals.length ? positionals : ['.'], cluster: values.cluster, config: values.config, format: oneOf(values.format!, ['text', 'json'] as const, '--format'), kubernetesVersion };
}

function parseRules(args: string[]): Command {
  const { values } = parseArgs({ args, options: { format: { type: 'string', short: 'f', default: 'text' } } });
  return { name: 'rules', format: oneOf(values.format!, ['text', 'markdown', 'json'] as const, '--format') };
}

/** A Kubernetes release (`1.31`, `v1.31.4`), or undefined when the option is not given. */
function releaseOption(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  const release = releaseOf(value);
  if (!release) throw new UsageError(`${option} takes a Kubernetes release such as 1.31, not "${value}"`);
  return release;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${option} must be one of ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}
