// The kdry language server: LSP wiring only. Each feature lives in lsp/<feature>.ts; the checks
// are check.ts (shared with the CLI). Transport comes from the command line (--stdio, --node-ipc).
import {
  CodeLensRefreshRequest,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ApplyChangeRequest, CapacityRequest, KubernetesVersionRequest, SimulatePodsRequest, SimulateRequest, UpgradeReportRequest, WorkloadsRequest } from './protocol/requests';
import { parseManifest } from './manifest';
import { codeActions } from './lsp/code-actions';
import { codeLenses } from './lsp/code-lens';
import { completion } from './lsp/completion';
import { createServerConnection } from './lsp/connection';
import { DiagnosticsPublisher } from './lsp/diagnostics';
import { FileEncodings } from './lsp/file-encoding';
import { FileStore } from './lsp/files';
import { GeneratorSourceWatch } from './lsp/generator-source-watch';
import { DocumentText, contentOf } from './lsp/document-text';
import { hover } from './lsp/hover';
import { DocumentSettings, normalizeSettings } from './lsp/settings';
import type { KdrySettings } from './settings';
import { clusterPath, handleSimulate, handleSimulatePods } from './lsp/simulate';
import { handleCapacity } from './lsp/capacity';
import { SimulationChecks, shownClusterFile } from './lsp/simulation-checks-runner';
import { loadCluster } from './workspace/cluster-file';
import { objectsActingOn } from './scope/acting-on-workload';
import { builtObject, builtOrDeleted, patchTarget } from './scope/kustomize-build';
import { deletedMessage, json6902Targets, requestedBuild } from './scope/dry-run-builds';
import { customWorkloadRefusals } from './crd/workload-refusal';
import { KubernetesVersions, type VersionInForce } from './lsp/kubernetes-version';
import { SimulationRunner } from './lsp/simulation-runner';
import { applyChange } from './lsp/rollout-changes';
import { documentSymbols } from './lsp/symbols';
import { warmUp, whenQuiet } from './lsp/warm-up';
import { monotonicMs } from './lsp/clock';

import { codeCacheSavePoint } from './code-cache/save-point';
import { describeWorkload, workloadDocuments } from './lsp/workloads';
import { DiskFiles, isManifestUri, readKustomizationsAbove, readWatchedFile, readYamlFile, scanWorkspace, scannedFolderOf } from './lsp/workspace-scan';
import { WorkspaceExcludes } from './lsp/workspace-excludes';
import { validateApplyChangeParams, validateCapacityParams, validateKubernetesVersionParams, validateSimulateParams, validateSimulatePodsParams, validateUpgradeReportParams, validateWorkloadsParams } from './lsp/validate-requests';
import { upgradeReport } from './lsp/upgrade-report';
import { releaseOf } from './k8s/release-version';
import { holdsManifests, isBelow, isJsonPath, uriToPath } from './workspace';
import { definition, documentLinks, prepareRename, references, rename, renameLeftAlone } from './lsp/navigation';
import { kubernetesTarget, type KubernetesTarget } from './schema';

/** How long the editor asks for nothing before the Dry-run's thread is warmed (a pause in typing). */
const SIMULATION_WARM_UP_QUIET_MS = 2000;

const connection = createServerConnection();
/** Open documents kept in pieces (an edit copies the YAML document it falls in, not the whole text). */
const documents = new TextDocuments<TextDocument>({ create: DocumentText.create, update: (doc, changes, version) => DocumentText.update(doc as DocumentText, changes, version) });
const files = new FileStore();
/** The files held from disk rather than from an editor, within the workspace scan's limits. */
const diskFiles = new DiskFiles();
/** `.kdry/config.yaml`'s `exclude:` globs: such files are not read, and an open one is checked alone. */
const excludes = new WorkspaceExcludes();
files.excludedBy = (uri) => excludes.excludedBy(uri);
/** The Kubernetes release a document is checked for (versions.inForce holds only versions that parse). */
const targetFor = (uri: string): KubernetesTarget => kubernetesTarget(versions.inForce(uri).version) ?? kubernetesTarget()!;
let canPullConfiguration = false;
let canWatchFiles = false;
/** The kustomize generators' files, watched by name (lsp/generator-source-watch.ts). */
let generatorFiles: GeneratorSourceWatch | undefined;
let supportsFolderChanges = false;
/** The client re-asks for code lenses when told to (workspace/codeLens/refresh). */
let canRefreshCodeLenses = false;
let trusted = true;
let folders: string[] = [];
let folderUris: string[] = [];

const settings = new DocumentSettings((scopeUri) => (canPullConfiguration ? connection.workspace.getConfiguration({ scopeUri, section: 'kdry' }) : undefined));
const versions = new KubernetesVersions({
  setting: (uri) => settings.for(uri).kubernetesVersion,
  clusterFile: (uri) => clusterPath(uri, { trusted, folders, clusterFile: settings.for(uri).clusterFile }),
  folders: () => folders,
  isOpen: (uri) => documents.get(uri) !== undefined,
});

// Simulation-backed diagnostics: a worker thread simulates the open files' workloads once typing
// pauses, on the cluster the Dry-run view uses; the findings join the file's diagnostics.
const simulationChecks = new SimulationChecks({
  files,
  openUris: () => documents.keys(),
  settings: (uri) => settings.for(uri),
  clusterFor: async (uri) => {
    const where = await clusterPath(uri, { trusted, folders, clusterFile: settings.for(uri).clusterFile });
    const cluster = await loadCluster(where?.path, where?.root);
    return { cluster, shown: where ? `the cluster in ${shownClusterFile(where.path, folders)}` : 'the embedded default cluster' };
  },
  release: (uri) => versions.inForce(uri).version,
  republish: (uri) => diagnostics.schedule(uri),
});

// An open file whose bytes on disk are not UTF-8 (the editor shows them as U+FFFD) is said so.
const encodings = new FileEncodings((uri) => diagnostics.schedule(uri));

const diagnostics = new DiagnosticsPublisher(
  connection,
  files,
  (uri) => documents.get(uri),
  // The settings with the release in force (the setting, the cluster file's nodes or the newest bundled).
  (uri) => withRelease(settings.for(uri), versions.inForce(uri)),
  // A document still opening is checked once its kustomizations and settings are known (onDidOpen).
  () => documents.keys().filter((uri) => !opening.has(uri)),
  simulationChecks,
  encodings,
);

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  canPullConfiguration = caps.workspace?.configuration === true;
  canWatchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  generatorFiles = new GeneratorSourceWatch(connection, { register: canWatchFiles, relativePatterns: caps.workspace?.didChangeWatchedFiles?.relativePatternSupport === true });
  supportsFolderChanges = caps.workspace?.workspaceFolders === true;
  canRefreshCodeLenses = caps.workspace?.codeLens?.refreshSupport === true;
  const options = (params.initializationOptions ?? {}) as Record<string, unknown>;
  trusted = options.workspaceTrusted !== false;
  settings.global = normalizeSettings(options.settings ?? options);
  folderUris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  folders = folderUris.map(uriToPath).filter((p): p is string => p !== undefined);
  return {
    capabilities: {
      // Saves are heard only to read a file's bytes again (lsp/file-encoding.ts).
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' ', '-'] },
      documentSymbolProvider: true,
      codeLensProvider: { resolveProvider: false },
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentLinkProvider: { resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'kdry-language-server' },
  };
});

connection.onInitialized(async () => {
  if (canWatchFiles) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml,json}' }] });
  }
  if (supportsFolderChanges) connection.workspace.onDidChangeWorkspaceFolders((e) => void changeFolders(e.added.map((f) => f.uri), e.removed.map((f) => f.uri)));
  await refreshSettings();
  await loadExcludes();
  await addFolderFiles(folderUris);
  // A file being opened counts as activity from didOpen on, not from its first check: its
  // settings and kustomizations are read first, and a warm-up slice run then delays its first
  // publication (right after start, the open's didOpen usually arrives while the warm-up runs).
  const warm = await warmUp(() => settings.global, editorLastActive);
  // What a check runs is compiled now: the code cache of it spares the next start compiling it again.
  const cached = warm ? codeCacheSavePoint() : undefined;
  if (cached) connection.console.log(`kdry: ${cached}`);
  // The Dry-run's thread too, in the background, so the first refresh does not run the engine cold
  // (lsp/simulation-warm-up.ts); in a pause of the editor's, since its few hundred ms of CPU on the
  // second core slowed the first edits after an open on a 2-core machine.
  if (warm) void whenQuiet(editorLastActive, SIMULATION_WARM_UP_QUIET_MS).then(() => simulations.warmUp());
});

/** When the editor last asked for something (monotonicMs()): now while a file is being opened, else its last check. */
function editorLastActive(): number {
  return opening.size > 0 ? monotonicMs() : diagnostics.lastActive;
}

/** Reads the YAML files of newly opened workspace folders, for cross-document rules. */
async function addFolderFiles(uris: string[]): Promise<void> {
  // Until the scan has read every file, a custom resource is not judged by a bundled schema that a CRD of the workspace may replace.
  await files.scanning(async () => {
    for (const f of await scanWorkspace(uris, diskFiles, (path) => excludes.excludedBy(path) !== undefined)) {
      if (!documents.get(f.uri)) files.update(f.uri, f.text);
      await new Promise(setImmediate); // let editor requests in between files
    }
  });
  diagnostics.scheduleStale();
  generatorFiles?.update(files.workspace);
  // Lenses asked for during the scan lacked what it read (the Service selecting a workload, a patch's base).
  if (canRefreshCodeLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
}

/** A folder added to or removed from a multi-root workspace: its files join or leave the index. */
async function changeFolders(added: string[], removed: string[]): Promise<void> {
  folderUris = [...folderUris.filter((u) => !removed.includes(u)), ...added];
  folders = folderUris.map(uriToPath).filter((p): p is string => p !== undefined);
  const gone = removed.map(uriToPath).filter((p): p is string => p !== undefined);
  for (const uri of files.workspace.uris()) {
    const path = uriToPath(uri);
    if (path && !documents.get(uri) && gone.some((dir) => isBelow(path, dir)) && !folders.some((dir) => isBelow(path, dir))) forget(uri);
  }
  await loadExcludes();
  await addFolderFiles(added);
}

async function loadExcludes(): Promise<void> {
  await excludes.load(folders);
  for (const problem of excludes.problems) connection.console.warn(`kdry: ${problem}; its exclude: globs are not applied in the editor`);
}

/** A `.kdry/config.yaml` changed: the files its `exclude:` now leaves out leave the workspace, those it no longer does are read. */
async function excludesChanged(): Promise<void> {
  await loadExcludes();
  for (const uri of [...files.workspace.uris()]) if (!documents.get(uri) && excludes.excludedBy(uri)) forget(uri);
  for (const doc of documents.all()) currentFile(doc); // an open file moves to the workspace it is checked in now
  await addFolderFiles(folderUris);
  diagnostics.scheduleAll();
}

/** The workspace-wide settings: for the warm-up, and for a document until its own have arrived. */
async function refreshSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    const raw: unknown = await connection.workspace.getConfiguration({ section: 'kdry' });
    settings.global = normalizeSettings(raw);
    if ((raw as { workspaceTrusted?: unknown } | null)?.workspaceTrusted === false) trusted = false;
  } catch {
    // keep the previous settings: a client that cannot answer should not stop validation
  }
}

connection.onDidChangeConfiguration(async (change) => {
  await settling(async () => {
    if (canPullConfiguration) await Promise.all([refreshSettings(), settings.reload()]);
    else settings.global = normalizeSettings(change.settings);
    await resolveVersionsAgain();
  });
  diagnostics.scheduleAll();
});

/** The settings or a cluster file changed: every open document's release is resolved again. */
async function resolveVersionsAgain(): Promise<void> {
  versions.invalidate();
  await Promise.all(documents.keys().map((uri) => versions.resolve(uri)));
}

/** A change of settings or cluster file being applied: kdry/kubernetesVersion answers once it is. */
let changesApplied: Promise<void> = Promise.resolve();
function settling(apply: () => Promise<void>): Promise<void> {
  const applying = changesApplied.then(apply);
  changesApplied = applying.catch(() => undefined);
  return applying;
}

/** Opened files whose kustomizations are being read: their first check waits for that. */
const opening = new Set<string>();

/**
 * The same settings object for the same settings and release: the check cache keeps a document's
 * findings only while its settings are the same object, so a fresh copy per check would recheck
 * every document on every keystroke.
 */
const withReleaseCache = new WeakMap<KdrySettings, Map<string, KdrySettings>>();
function withRelease(base: KdrySettings, { version, reason }: VersionInForce): KdrySettings {
  let byRelease = withReleaseCache.get(base);
  if (!byRelease) withReleaseCache.set(base, (byRelease = new Map()));
  const key = `${version}\u0000${reason}`;
  let settings = byRelease.get(key);
  if (!settings) byRelease.set(key, (settings = { ...base, kubernetesVersion: version, kubernetesVersionReason: reason }));
  return settings;
}
documents.onDidOpen(async (e) => {
  const uri = e.document.uri;
  // First, so that a patch's first diagnostics already treat it as one (a few stat calls), and
  // are those of the document's own folder settings.
  opening.add(uri);
  const learning = Promise.all([learnKustomizationsAbove(uri), settings.load(uri).then(() => versions.resolve(uri))]);
  // Meanwhile (the client answers, the file system is asked), a large file's first documents are
  // parsed: in an immediate, after the one in which vscode-jsonrpc writes the settings request.
  setImmediate(() => diagnostics.prepare(uri));
  const [learned] = await learning.finally(() => opening.delete(uri));
  diagnostics.schedule(uri, 0);
  if (learned) diagnostics.scheduleStale(uri);
  void encodings.inspect(uri, e.document.getText());
});
documents.onDidSave((e) => void encodings.inspect(e.document.uri, e.document.getText()));
documents.onDidChangeContent((e) => {
  if (!opening.has(e.document.uri)) diagnostics.schedule(e.document.uri);
});
documents.onDidClose(async (e) => {
  const uri = e.document.uri;
  diagnostics.clear(uri);
  settings.forget(uri);
  versions.forget(uri);
  // Back to what is on disk, so other files' cross-document checks see the saved version. Inside a
  // folder, read as the scan reads it (a committed link out of the folder is not followed); a file
  // outside every folder is one the user opened.
  const path = uriToPath(uri);
  const folder = path === undefined ? undefined : folders.find((dir) => isBelow(path, dir));
  const read = path && isManifestUri(uri) && !excludes.excludedBy(uri) ? await (folder !== undefined ? readWatchedFile(path, folder) : readYamlFile(path)) : undefined;
  const text = read !== undefined && holdsManifests(uri, read) ? read : undefined;
  if (documents.get(uri)) return; // opened again while the file was read
  if (text === undefined || !diskFiles.admit(uri, text.length)) forget(uri);
  else files.update(uri, text);
  diagnostics.scheduleStale();
});

/** A file no longer held: neither open nor read from disk. */
function forget(uri: string): void {
  files.remove(uri);
  diskFiles.release(uri);
}

/**
 * Reads the kustomizations above an opened file that the workspace scan did not see (the file is
 * outside every folder, or past the scan's limits), so a patch there is checked as a patch.
 * True when one was new or changed.
 */
async function learnKustomizationsAbove(uri: string): Promise<boolean> {
  const path = uriToPath(uri);
  if (!path) return false;
  const folder = folders.find((dir) => isBelow(path, dir));
  // Inside a folder, the scan and the file watcher already keep what they read up to date; an excluded kustomization is not read.
  const known = (candidate: string) => excludes.excludedBy(candidate) !== undefined || (folder !== undefined && (documents.get(candidate) !== undefined || files.get(candidate) !== undefined));
  let learned = false;
  for (const k of await readKustomizationsAbove(path, folder, known)) {
    if (documents.get(k.uri) || files.get(k.uri)?.text === k.text) continue;
    files.update(k.uri, k.text);
    learned = true;
  }
  return learned;
}

// Watched files obey the scan's limits and skipped folders: 50,000 files created at once (a build,
// an `npm install`) must not be read one by one into memory.
connection.onDidChangeWatchedFiles(async (change) => {
  const clusterChanged = change.changes.some((event) => {
    const path = uriToPath(event.uri);
    return path !== undefined && versions.concerns(path);
  });
  if (clusterChanged) {
    await settling(resolveVersionsAgain);
    diagnostics.scheduleAll();
  }
  if (change.changes.some((event) => excludes.concerns(uriToPath(event.uri) ?? ''))) await excludesChanged();
  for (const event of change.changes) {
    if (documents.get(event.uri) || !isManifestUri(event.uri)) continue;
    if (event.type === FileChangeType.Deleted) {
      forget(event.uri);
      continue;
    }
    const path = uriToPath(event.uri);
    const folder = path === undefined ? undefined : scannedFolderOf(path, folders);
    if (folder === undefined || excludes.excludedBy(path!) || (files.get(event.uri) === undefined && diskFiles.full())) continue;
    const read = await readWatchedFile(path!, folder);
    const text = read !== undefined && holdsManifests(event.uri, read) ? read : undefined;
    if (text === undefined || !diskFiles.admit(event.uri, text.length)) forget(event.uri);
    else files.update(event.uri, text);
  }
  if (generatorFiles?.concerns(files.workspace, change.changes.map((e) => e.uri))) diagnostics.scheduleAll();
  else diagnostics.scheduleStale();
  generatorFiles?.update(files.workspace);
});

connection.onCodeAction((params) => {
  const doc = documents.get(params.textDocument.uri);
  return safely([], () => {
    if (!doc) return [];
    // A request can arrive between didOpen/didChange and the debounced check: check now.
    // kdry's fixes write YAML: a JSON manifest gets its diagnostics, not edits that would break it.
    if (isJsonPath(doc.uri)) return [];
    if (!diagnostics.published.has(doc.uri)) diagnostics.validate(doc.uri);
    return codeActions(doc, params, diagnostics.publishedFindings(doc.uri) ?? []);
  });
});

// An excluded file (lsp/workspace-excludes.ts) is answered from the workspace it is checked in: itself alone.
connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  return safely(null, () => (doc ? hover(doc, currentFile(doc), doc.offsetAt(params.position), files.workspaceFor(doc.uri), new Date(), targetFor(doc.uri), versions.inForce(doc.uri).reason) : null));
});

connection.onCompletion((params) => {
  const doc = documents.get(params.textDocument.uri);
  return safely([], () => (doc && !isJsonPath(doc.uri) ? completion(doc, currentFile(doc), doc.offsetAt(params.position), files.workspaceFor(doc.uri), targetFor(doc.uri).catalog) : []));
});

connection.onDocumentSymbol((params) => {
  const doc = documents.get(params.textDocument.uri);
  return safely([], () => (doc ? documentSymbols(doc, currentFile(doc)) : []));
});

connection.onCodeLens((params) => {
  const doc = documents.get(params.textDocument.uri);
  return safely([], () => (doc ? codeLenses(doc, currentFile(doc), files.workspaceFor(doc.uri)) : []));
});

connection.onDefinition((params) => {
  const doc = documents.get(params.textDocument.uri);
  return safely([], () => (doc ? definition(files.workspaceFor(doc.uri), currentFile(doc), doc.offsetAt(params.position)) : []));
});

connection.onReferences((params) => {
  const doc = documents.get(params.textDocument.uri);
  return safely([], () => (doc ? references(files.workspaceFor(doc.uri), currentFile(doc), doc.offsetAt(params.position), params.context.includeDeclaration) : []));
});

connection.onDocumentLinks((params) => {
  const doc = documents.get(params.textDocument.uri);
  return safely([], () => (doc ? documentLinks(files.workspaceFor(doc.uri), currentFile(doc)) : []));
});

connection.onPrepareRename((params) => {
  const doc = documents.get(params.textDocument.uri);
  return safely(null, () => (doc ? (prepareRename(files.workspaceFor(doc.uri), currentFile(doc), doc.offsetAt(params.position)) ?? null) : null));
});

connection.onRenameRequest((params) => {
  const doc = documents.get(params.textDocument.uri);
  return safely(null, () => {
    if (!doc) return null;
    const file = currentFile(doc);
    const offset = doc.offsetAt(params.position);
    const edit = rename(files.workspaceFor(doc.uri), file, offset, params.newName);
    // A WorkspaceEdit cannot say what it leaves out: a chart's references named by template actions.
    const leftAlone = edit && renameLeftAlone(files.workspaceFor(doc.uri), file, offset);
    if (leftAlone) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: leftAlone });
    return edit;
  });
});

/** A feature that fails on odd input answers with nothing rather than an error popup. */
function safely<T>(fallback: T, run: () => T): T {
  try {
    return run();
  } catch (err) {
    connection.console.error(`kdry: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return fallback;
  }
}

// Every request's parameters are schema-checked first (lsp/validate-requests.ts).
const simulations = new SimulationRunner();
// The simulation checks wait while the Dry-run or Capacity view's engine job runs (simulation-checks-runner.ts).
simulations.onBusyChange((busy) => simulationChecks.giveWayTo(busy));
connection.onRequest(SimulateRequest, async (raw, token) => {
  const params = validateSimulateParams(raw);
  if (!params.ok) return { workloads: [], error: params.error };
  // The release in force, automatic included (the setting, else the cluster file's kubelets).
  const release = await versions.resolve(params.value.uri);
  return handleSimulate(params.value, {
    textOf: (uri) => documents.get(uri)?.getText() ?? files.get(uri)?.text,
    fileOf,
    clusterFile: settings.for(params.value.uri).clusterFile,
    folders,
    trusted,
    // A patch's Dry-run runs the object it patches: what acts on that object acts on it.
    actingOn: (uri, doc, kustomization) => {
      const asked = requestedBuild(files.workspace, uri, kustomization);
      const root = 'root' in asked ? asked.root : undefined;
      const patched = root ? undefined : patchTarget(files.workspace, uri, doc.value);
      return patched ? objectsActingOn(files.workspace, patched.entry, patched.root) : objectsActingOn(files.workspace, { uri, doc }, root);
    },
    built: (uri, value, kustomization) => {
      const asked = requestedBuild(files.workspace, uri, kustomization);
      return 'error' in asked ? value : builtObject(files.workspace, uri, value, asked.root);
    },
    builtWorkload: (uri, value, kustomization) => {
      const asked = requestedBuild(files.workspace, uri, kustomization);
      if ('error' in asked) return asked;
      const built = builtOrDeleted(files.workspace, uri, value, asked.root);
      return built.deletion ? { error: deletedMessage(built.deletion, value) } : { value: built.value };
    },
    // A JSON 6902 patch file: the workload its target selects, as the patch's kustomization builds it.
    subjectOf: (uri, workload, kustomization) => {
      const targets = json6902Targets(files.workspace, uri).filter((t) => !workload || (t.entry.doc.kind === workload.kind && t.entry.doc.name === workload.name));
      const chosen = targets.find((t) => kustomization === undefined || t.root.uri === kustomization) ?? json6902Targets(files.workspace, uri)[0];
      // A build the patch does not act in is asked for by name: requestedBuild says so.
      return chosen && { uri: chosen.entry.uri, kustomization: kustomization ?? chosen.root.uri };
    },
    refusals: (doc) => customWorkloadRefusals(doc, files.workspace, release.version),
    release,
  }, simulations, token);
});

connection.onRequest(SimulatePodsRequest, async (raw, token) => {
  const params = validateSimulatePodsParams(raw);
  if (!params.ok) return { error: params.error };
  return handleSimulatePods(params.value, simulations, token);
});

connection.onRequest(WorkloadsRequest, (raw) =>
  safely({ workloads: [] }, () => {
    const params = validateWorkloadsParams(raw);
    if (!params.ok) return { workloads: [] };
    const { uri } = params.value;
    const doc = documents.get(uri);
    const text = params.value.text ?? doc?.getText() ?? files.get(uri)?.text;
    if (text === undefined || files.workspace.isPatch(uri)) return { workloads: [] };
    return { workloads: workloadDocuments(fileOf(uri, text)).map(describeWorkload) };
  }),
);

connection.onRequest(CapacityRequest, async (raw, token) => {
  const params = validateCapacityParams(raw);
  if (!params.ok) return { written: {}, error: params.error };
  await changesApplied;
  const { uri } = params.value;
  const release = (await versions.resolve(uri)).version;
  return handleCapacity(params.value, { workspace: files.workspace, clusterFile: settings.for(uri).clusterFile, folders, trusted, release }, simulations, token);
});

connection.onRequest(KubernetesVersionRequest, async (raw) => {
  const params = validateKubernetesVersionParams(raw);
  if (!params.ok) throw new ResponseError(ErrorCodes.InvalidParams, params.error);
  await changesApplied;
  return versions.resolve(params.value.uri);
});

connection.onRequest(UpgradeReportRequest, async (raw) => {
  const params = validateUpgradeReportParams(raw);
  const to = params.ok ? releaseOf(params.value.to) : undefined;
  if (!to) throw new ResponseError(ErrorCodes.InvalidParams, params.ok ? `${params.value.to} is not a Kubernetes release such as 1.35` : params.error);
  await changesApplied;
  return upgradeReport(to, {
    workspace: files.workspace,
    fileOf: (uri) => {
      const doc = documents.get(uri);
      return doc ? currentFile(doc) : files.get(uri);
    },
    settingsFor: async (uri) => withRelease(settings.for(uri), await versions.resolve(uri)),
    folders,
  });
});

connection.onRequest(ApplyChangeRequest, (raw) => {
  const params = validateApplyChangeParams(raw);
  if (!params.ok) return { error: params.error };
  return applyChange(params.value, (uri) => documents.get(uri)?.getText() ?? files.get(uri)?.text);
});

/** The parsed file for `text`: the cached parse when it is the open buffer's text, else a fresh one. */
function fileOf(uri: string, text: string) {
  const doc = documents.get(uri);
  return doc && text === doc.getText() ? currentFile(doc) : parseManifest(text, uri);
}

/** The parsed file for the buffer as it is now (the debounced check may not have run yet). */
function currentFile(doc: TextDocument) {
  return files.update(doc.uri, contentOf(doc));
}

// A bug in one handler must not take the editor's diagnostics down with it.
process.on('uncaughtException', (err) => connection.console.error(`kdry: uncaught ${err.stack ?? err.message}`));
process.on('unhandledRejection', (err) => connection.console.error(`kdry: unhandled rejection ${String(err)}`));

documents.listen(connection);
connection.listen();
