// `kdry simulate`: the engine's timeline for one workload of a file, as text or JSON.
import type * as ChildProcess from 'node:child_process';
import { basename, dirname, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseManifest, isRecord } from '../manifest';
import * as engine from '../engine';
import type { SimulateOptions, StrategyChoice } from '../engine';
import { parseFailOptions } from './fail-option';
import { parseThenOptions } from './then-option';
import { json6902Subject, scopeOfFile, SimulateScopeError } from './simulate-scope';
import { readFileBounded } from '../workspace/read-file';
import { readClusterFile } from '../workspace/cluster-file';
import { explicitFileRoot, MAX_FILE_BYTES } from './inputs';
import { readCrdSources } from './crd-sources';
import { formatTimelineText } from './format/timeline-text';
import { writeJsonText } from './format/json-pieces';
import type { Command } from './args';
import type { CheckIo } from './check-command';
import { clusterFileInForce, shownPath } from './cluster-in-force';
import { releaseForCommand, type LoadedSettings } from './config';

export class SimulateInputError extends Error {}

export async function runSimulate(cmd: Extract<Command, { name: 'simulate' }>, config: LoadedSettings, io: CheckIo): Promise<number> {
  try {
    return await simulateCommand(cmd, config, io);
  } catch (e) {
    throw e instanceof SimulateScopeError ? new SimulateInputError(e.message) : e;
  }
}

async function simulateCommand(cmd: Extract<Command, { name: 'simulate' }>, config: LoadedSettings, io: CheckIo): Promise<number> {
  let path = resolve(io.cwd, cmd.file);
  let text = await readOrThrow(path, cmd.file, io.cwd);
  let shown = cmd.file;
  let kustomization = cmd.kustomization;
  // A JSON 6902 patch file names no object: its kustomization entry's target is run, as that kustomization builds it.
  const subject = await json6902Subject(path, text, io.cwd, cmd.workload);
  if (subject) {
    path = subject.path;
    text = subject.text;
    kustomization ??= subject.kustomization;
    shown = relative(io.cwd, subject.path) || subject.path;
  }
  const objects = documentsOf(text, shown);
  const target = pickWorkload(objects, cmd.workload, shown);

  // The objects of the folder that act on the workload join the file's objects, all as the folder's kustomization builds them;
  // a custom workload its CRD (the folder's, --crds, else kdry's bundled schema) rejects is refused.
  const crds = await readCrdSources((cmd.crds ?? []).map((p) => ({ path: resolve(io.cwd, p) })), io.cwd);
  if (crds.problems.length) throw new SimulateInputError(crds.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  const scope = target ? await scopeOfFile(path, text, io.cwd, target, crds.files, kustomization) : { actingOn: [], build: (value: unknown) => value, refusals: () => [] };
  const built = target && (scope.build({ kind: target.kind, metadata: { name: target.name } }) as { metadata: { name: string } });
  const options: SimulateOptions = {
    objects: [...objects.map(scope.build), ...scope.actingOn],
    // Without a named workload (one lacks its name), the engine picks it and says what is missing.
    workload: target && built && { kind: target.kind, name: built.metadata.name },
    strategy: cmd.strategy as StrategyChoice | undefined,
    faults: parseFailOptions(cmd.fail),
    then: parseThenOptions(cmd.then),
    windowSeconds: cmd.window ? parseDuration(cmd.window) : undefined,
  };
  if (cmd.from && target) options.before = scope.build(await beforeObject(cmd.from, path, io.cwd, target)) as Record<string, unknown>;
  // The cluster in force, with kdry check's precedence (cluster-in-force.ts): --cluster, else the
  // config's clusterFile, else .kdry/cluster.yaml in the project folder, else the embedded default.
  const where = await clusterFileInForce(cmd.cluster, config, io.cwd);
  if (where) {
    const loaded = await readClusterFile(where.path, where.root);
    if (loaded.errors.length) throw new SimulateInputError(loaded.errors.join('\n'));
    options.nodes = loaded.nodes;
    options.clusterSource = where.shown;
  }
  // The release simulated, in kdry check's order; the kubelets are those of the cluster in force.
  const release = await releaseForCommand(cmd.kubernetesVersion, config, config.source && shownPath(config.source, io.cwd), async () => (where && options.nodes ? { shown: where.shown, cluster: { nodes: options.nodes, source: where.shown } } : undefined));
  options.kubernetesVersion = release.version;
  options.kubernetesVersionReason = release.reason;
  // The schema's CEL rules judged as the API server of that release runs them (CRDValidationRatcheting).
  options.refusals = scope.refusals(release.version);

  // JSON: pods as changes after the first step (PodChange, see docs/cli.md), on one line.
  if (cmd.format === 'json') options.snapshotMode = 'delta';
  const result = engine.simulate(options);
  if (cmd.format === 'json') {
    writeJsonText(result, io.out);
    io.out('\n');
  } else io.out(formatTimelineText(result, io.color));
  return result.problems.length === 0 && result.summary.completed ? 0 : 1;
}

async function readOrThrow(path: string, shown: string, cwd: string): Promise<string> {
  const read = await readFileBounded(path, { maxBytes: MAX_FILE_BYTES, root: await explicitFileRoot(path, cwd), text: true });
  if (!read.ok) throw new SimulateInputError(`${shown}: ${read.reason}`);
  return read.text;
}

function documentsOf(text: string, shown: string): Record<string, unknown>[] {
  const file = parseManifest(text, shown);
  const broken = file.documents.flatMap((d) => d.problems.filter((p) => p.severity === 'error'));
  if (broken.length && file.documents.every((d) => d.value === undefined)) throw new SimulateInputError(`${shown}: not valid YAML: ${broken[0].message}`);
  return file.documents.map((d) => d.value).filter(isRecord);
}

/** `--workload [KIND/]NAME`, else the engine's default choice (chooseWorkload). */
function pickWorkload(objects: Record<string, unknown>[], wanted: string | undefined, shown: string): engine.WorkloadCandidate | undefined {
  const workloads = engine.simulatableWorkloads(objects);
  if (!objects.some((o) => engine.isSimulatedKind(o.kind))) {
    throw new SimulateInputError(`${shown}: no workload to simulate (looked for ${engine.SIMULATED_KINDS.join(', ')})`);
  }
  if (!wanted) return engine.chooseWorkload(workloads);
  const [kind, name] = wanted.includes('/') ? wanted.split('/', 2) : [undefined, wanted];
  const hit = engine.chooseWorkload(workloads, { kind, name });
  if (!hit) {
    const list = workloads.map((w) => `${w.kind}/${w.name}`).join(', ');
    throw new SimulateInputError(`${shown}: no workload named "${wanted}"; the file has: ${list}`);
  }
  return hit;
}

/** `--from FILE` or `--from git:REV` (the same path at that revision). */
async function beforeObject(from: string, path: string, cwd: string, workload: { kind: string; name: string }): Promise<Record<string, unknown>> {
  let text: string;
  let shown: string;
  if (from.startsWith('git:')) {
    ({ text, shown } = await fileAtRevision(from.slice(4) || 'HEAD', path));
  } else {
    shown = from;
    text = await readOrThrow(resolve(cwd, from), from, cwd);
  }
  const match = engine.findBeforeWorkload(documentsOf(text, shown), workload);
  if (!match) throw new SimulateInputError(`${shown}: has no ${workload.kind} to roll out from`);
  return match;
}

/**
 * The file at a git revision. The revision comes from the command line, which CI may fill from a
 * pull request: one starting with `-` would reach git as an option (`--output=FILE` writes a file),
 * so it is refused, then resolved to a commit with --end-of-options, and only the commit's hash is
 * passed on. git runs without a shell, with a timeout and an output cap.
 */
async function fileAtRevision(rev: string, path: string): Promise<{ text: string; shown: string }> {
  if (rev.startsWith('-')) throw new SimulateInputError(`--from git:${rev}: a revision cannot start with "-"`);
  const cwd = dirname(path);
  const sha = (await git(['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`], cwd, `--from git:${rev}`)).trim();
  if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new SimulateInputError(`--from git:${rev}: not a commit`);
  const shown = `${sha}:./${basename(path)}`;
  return { text: await git(['show', shown], cwd, `--from git:${rev}`), shown };
}

async function git(args: string[], cwd: string, what: string): Promise<string> {
  // Required here, for --from git: only: node:child_process brings net, dgram and the stream classes,
  // about 5 ms of CPU that every other run of kdry simulate would pay at load.
  const execFileAsync = promisify((require('node:child_process') as typeof ChildProcess).execFile);
  try {
    const { stdout } = await execFileAsync('git', args, { cwd, encoding: 'utf8', timeout: 10_000, maxBuffer: MAX_FILE_BYTES, windowsHide: true });
    return stdout;
  } catch (e) {
    const msg = String((e as { stderr?: string }).stderr || (e as Error).message).trim().split('\n')[0];
    throw new SimulateInputError(`${what}: ${msg}`);
  }
}

/** `90`, `90s`, `15m`, `12h`, `7d`, `1y` -> seconds. */
export function parseDuration(s: string): number {
  const m = /^(\d+)(s|m|h|d|w|y)?$/.exec(s.trim());
  if (!m) throw new SimulateInputError(`--window takes a duration such as 90s, 15m, 12h, 7d or 1y, not "${s}"`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[(m[2] ?? 's') as 's'];
  return Number(m[1]) * unit;
}
