// `kdry check`: the editor's checks (YAML, schema, every rule) over files, folders and globs.
import { parseManifest, type ManifestFile } from '../manifest';
import { WorkspaceIndex } from '../workspace';
import { isKustomization } from '../workspace/kustomize';
import { checkFile, fileGuard, notCheckedParts, unresolvedTemplateReferences, withUserChoices } from '../check';
import { checkSimulations, SIMULATION_RULES, simulationFindingsOf, simulationJob, VerdictCache } from '../simulation-checks';
import { loadCluster } from '../workspace/cluster-file';
import { clusterFileInForce, shownPath, simulationCluster, type SimulationCluster } from './cluster-in-force';
import { defaultJobs, PARALLEL_MIN_BYTES, parseFiles } from './check-pool';
import { EngineThread } from './check-engine-thread';
import { upgradeFindings } from './upgrade-report';
import type { KdrySettings } from '../settings';
import { BUILTIN_CHECKS, invalidUtf8Finding } from '../builtin-checks';
import { ALL_RULES } from '../rules';
import { kustomizationsAround, readInputs, type InputFile, type InputProblem, type Stdin } from './inputs';
import { crdSourcesOf, crdsNamedByKustomizations, readCrdSources, type CrdFile } from './crd-sources';
import { unjudgedCustomResources } from '../crd/unjudged';
import { kubernetesTarget } from '../schema';
import { excludeMatcher } from '../workspace/exclude';
import { type CheckRun, countExcluded, placeFindings, countBySeverity, countNotChecked, notCheckedReport, type FileReport } from './report';
import { formatStylish } from './format/stylish';
import { formatJson } from './format/json';
import { formatSarif, type RuleDescriptor } from './format/sarif';
import { escapeControls } from './format/escape';
import { releaseForCommand, type LoadedSettings } from './config';
import type { Command } from './args';

export interface CheckIo {
  cwd: string;
  stdin: Stdin;
  out: (s: string) => void;
  err: (s: string) => void;
  color: boolean;
  version: string;
}


export async function runCheck(cmd: Extract<Command, { name: 'check' }>, loaded: LoadedSettings, io: CheckIo): Promise<number> {
  const exclude = [...loaded.exclude, ...cmd.exclude.map((pattern) => ({ pattern, from: '--exclude', base: io.cwd }))];
  const { files, skipped, problems, excluded } = await readInputs(cmd.inputs, io.cwd, io.stdin, excludeMatcher(exclude));
  reportInputProblems(problems, io);
  if (files.length === 0 && skipped.length === 0 && problems.length > 0) return 2;

  const { settings } = loaded;
  const run: CheckRun = { config: loaded.source && shownPath(loaded.source, io.cwd), disabled: !settings.enable, excluded: countExcluded(excluded, exclude) };
  // The cluster file in force: the simulation checks run on it, and its kubelets give the release when none is named.
  const where = await clusterFileInForce(cmd.cluster, loaded, io.cwd);
  const readCluster = once(async () => (where ? { shown: where.shown, cluster: await loadCluster(where.path, where.root) } : undefined));
  const release = await releaseForCommand(cmd.kubernetesVersion, loaded, run.config, readCluster);
  run.kubernetes = release;
  const effective: KdrySettings = {
    ...settings,
    ...(cmd.schema ? {} : { schemaValidation: false }),
    kubernetesVersion: release.version,
    kubernetesVersionReason: release.reason,
    ...(cmd.assumePodSecurity ? { podSecurityAssumeLevel: cmd.assumePodSecurity } : {}),
  };
  // CustomResourceDefinitions from --crds and `crds:` judge custom resources; they are not checked themselves.
  // One that cannot be read fails the run (exit 2), and the resources it would have judged are reported not validated.
  const crds = await readCrdSources(await crdSourcesOf(cmd.crds, loaded, io.cwd), io.cwd);
  reportInputProblems(crds.problems, io);
  problems.push(...crds.problems);
  const upgraded: KdrySettings | undefined = cmd.upgradeTo ? { ...effective, kubernetesVersion: cmd.upgradeTo, kubernetesVersionReason: 'from --upgrade-to' } : undefined;
  // The simulation checks need the cluster in force; one that cannot be read is an input error.
  const simulate = !run.disabled && !upgraded && cmd.simulation && effective.simulationChecks;
  const cluster = simulate ? simulationCluster(where, (await readCluster())?.cluster ?? (await loadCluster(undefined))) : undefined;
  if (cluster && 'error' in cluster) {
    problems.push({ path: cluster.shown, message: cluster.error });
    reportInputProblems([{ path: cluster.shown, message: cluster.error }], io);
  }
  const reports = run.disabled
    ? files.map((f) => notCheckedReport(f.path, `checks are disabled by ${run.config} (enable: false)`))
    : await checkFiles(files, effective, io.cwd, crds.files, cmd.jobs, upgraded, cluster && !('error' in cluster) ? cluster : undefined);
  reports.push(...skipped.map((s) => notCheckedReport(s.path, s.reason)));
  run.problems = problems;
  if (upgraded && cmd.format === 'stylish') {
    io.out(`Upgrade from Kubernetes ${effective.kubernetesVersion} to ${upgraded.kubernetesVersion}: what ${upgraded.kubernetesVersion} reports that ${effective.kubernetesVersion} does not.\n`);
  }

  io.out(
    cmd.format === 'json'
      ? formatJson(reports, run)
      : cmd.format === 'sarif'
        ? formatSarif(reports, ruleDescriptors(), io.version, run, cmd.allowUnchecked)
        : formatStylish(reports, io.color, run),
  );

  const counts = countBySeverity(reports);
  if (counts.error > 0) return 1;
  if (cmd.maxWarnings !== undefined && cmd.maxWarnings >= 0 && counts.warning > cmd.maxWarnings) {
    io.err(`kdry: too many warnings (${counts.warning}); the maximum allowed is ${cmd.maxWarnings}.\n`);
    return 1;
  }
  const unchecked = countNotChecked(reports);
  if (unchecked.none + unchecked.partial > 0 && !cmd.allowUnchecked) {
    io.err(`kdry: ${unchecked.none} file${unchecked.none === 1 ? '' : 's'} not checked and ${unchecked.partial} only partly checked (listed in the report): a gate must not pass what it did not check. --allow-unchecked accepts them.\n`);
    return 1;
  }
  return problems.length > 0 ? 2 : 0;
}

/**
 * Parses every file first (cross-document rules see them all; --jobs threads parse and run the
 * single-document checks, check-pool.ts), then checks each. With `upgraded`, only what the
 * upgraded release reports beyond the current one (the upgrade report).
 */
async function checkFiles(files: InputFile[], settings: KdrySettings, cwd: string, crdFiles: CrdFile[], jobs: number | undefined, upgraded?: KdrySettings, cluster?: SimulationCluster): Promise<FileReport[]> {
  const workspace = new WorkspaceIndex();
  const reports: FileReport[] = [];
  const accepted: InputFile[] = [];
  for (const input of files) {
    // Too large or binary: decided before parsing, which would cost seconds and hundreds of MB.
    const guard = fileGuard({ uri: input.uri, text: input.text, documents: [] });
    if (guard) reports.push(placeFindings(input, [guard], 'none', [guard.message]));
    else accepted.push(input);
  }
  // A file given alone is still a patch when a kustomization beside or above it says so.
  const around = await kustomizationsAround(files, cwd);
  const kustomizations = [...accepted.filter((f) => isKustomization(f.path)), ...around];
  // The engine simulates the release the schema checks use (`settings.kubernetesVersion`, the release in force).
  const target = cluster && { ...cluster, release: settings.kubernetesVersion };
  const threads = jobs ?? defaultJobs(accepted);
  // With two threads or more, one runs the engine while the others parse (check-engine-thread.ts);
  // below PARALLEL_MIN_BYTES a thread's start costs more than it saves.
  const engine = target && threads > 1 && accepted.reduce((n, f) => n + f.text.length, 0) >= PARALLEL_MIN_BYTES ? new EngineThread({ clusterKey: target.key, nodes: target.nodes, release: target.release }) : undefined;
  try {
    const parsed = await parseFiles(accepted, kustomizations, settings, workspace, engine ? threads - 1 : threads, engine);
    for (const kustomization of around) workspace.set(parseManifest(kustomization.text, kustomization.uri));
    const named = await crdsNamedByKustomizations(workspace, kustomizations.map((k) => k.uri), new Set(files.map((f) => f.uri)), cwd);
    for (const f of [...crdFiles, ...named]) if (!workspace.get(f.uri)) workspace.set(f.manifest);
    const uris = parsed.map((p) => p.manifest.uri);
    // The engine thread answers the job while this one runs the cross-document rules; one thread
    // runs the engine first (one run's cache need not forget).
    const prepared = engine && target && simulationJob(workspace, uris, target);
    const answering = prepared && engine.answer(prepared.job);
    let simulated = target && !engine ? checkSimulations(workspace, uris, target, SIMULATION_RULES, new VerdictCache(Infinity)) : undefined;
    const own = parsed.map(({ manifest, cache }) => checkFile(manifest, workspace, settings, cache));
    if (target && prepared && answering) simulated = simulationFindingsOf(uris, prepared, await answering, target, SIMULATION_RULES, workspace);
    for (const [i, { manifest }] of parsed.entries()) {
      const input = accepted[i];
      const current = [...own[i], ...withUserChoices(manifest, simulated?.get(manifest.uri) ?? [], settings)];
      // What the editor's CodeLens says above a template: the references it could not resolve (not part of an upgrade report).
      const findings = upgraded
        ? upgradeFindings(manifest, current, checkFile(manifest, workspace, upgraded), settings.kubernetesVersion, upgraded.kubernetesVersion)
        : [...current, ...withUserChoices(manifest, unresolvedTemplateReferences(manifest, settings), settings)];
      const encoding = input.invalidUtf8At === undefined ? undefined : invalidUtf8Finding(input.invalidUtf8At);
      const notChecked = [...notCheckedParts(manifest, settings).map((f) => f.message), ...unjudged(manifest, workspace, settings)];
      reports.push(placeFindings(input, encoding ? [encoding, ...findings] : findings, notChecked.length > 0 ? 'partial' : 'full', notChecked));
    }
  } finally {
    engine?.stop();
  }
  return reports;
}

/**
 * The custom resources of a file kdry has no schema for (crd/unjudged.ts), unless the user turned
 * the custom-resource rule off. Release data that cannot be loaded fails every check of the
 * document the same way, and the check already reports that on it (a kdry-internal finding).
 */
function unjudged(manifest: ManifestFile, workspace: WorkspaceIndex, settings: KdrySettings): string[] {
  if (settings.rules['custom-resource'] === 'off') return [];
  try {
    return unjudgedCustomResources(manifest, workspace, kubernetesTarget(settings.kubernetesVersion) ?? kubernetesTarget()!);
  } catch {
    return [];
  }
}

/** `read` run at most once, its promise shared. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= read());
}

export function reportInputProblems(problems: InputProblem[], io: CheckIo): void {
  for (const p of problems) io.err(`kdry: ${escapeControls(p.path)}: ${escapeControls(p.message)}\n`);
}

/** Every rule's and built-in check's metadata (SARIF's tool.driver.rules). */
function ruleDescriptors(): RuleDescriptor[] {
  return [...ALL_RULES, ...SIMULATION_RULES, ...BUILTIN_CHECKS].map((r) => ({ id: r.id, title: r.title, description: r.description, remediation: r.remediation, severity: r.severity }));
}
