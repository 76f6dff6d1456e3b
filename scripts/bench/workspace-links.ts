// `npm run bench workspace-links`: what the cross-document features cost on lsp-realistic's
// workspace (20 app folders, 2,000 files, each folder a kustomization), in this process and
// without the LSP transport, as CPU time of this thread (a figure that holds on a shared machine).
// Each request is timed right after an edit of the open file (the case that matters: a feature
// asked while typing), the edit itself not counted. Requests: the open file's diagnostics
// (cross-document rules included), its CodeLens, go-to-definition from a Service's selector,
// find-references from a template label, rename of that label, find-references and rename from a
// ConfigMap's name, hover on a reference, and the Dry-run's scope (the objects acting on the
// workload, each built by its kustomization). Run on the workspace as written, then with
// `namePrefix: app-NN-` in every kustomization (inputs/workspace.ts): there references name objects
// as built, and resolving one takes the prefixes off and checks each candidate's built names
// (scope/built-names.ts); that run also checks a second open file whose Pods name 100 ConfigMaps of
// the apps by their built names (another open file is checked again after each edit).
// BENCH_WORKSPACE=plain or =namePrefix runs only that one.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkFile } from '../../server/src/check';
import { DiagnosticsPublisher } from '../../server/src/lsp/diagnostics';
import { FileStore } from '../../server/src/lsp/files';
import { codeLenses } from '../../server/src/lsp/code-lens';
import { hover } from '../../server/src/lsp/hover';
import { definition, references, rename } from '../../server/src/lsp/navigation';
import { objectsActingOn } from '../../server/src/scope/acting-on-workload';
import { builtObject } from '../../server/src/scope/kustomize-build';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { fmt, median, percentile } from './harness/lsp-session';
import { writeWorkspace } from './inputs/workspace';

const REPEATS = Number(process.env.BENCH_RUNS ?? 20);

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesBelow(join(dir, n)) : [join(dir, n)]));
}

const WORKSPACES = { plain: { namePrefix: false }, namePrefix: { namePrefix: true } };

export default async function run(): Promise<void> {
  const only = process.env.BENCH_WORKSPACE;
  for (const [label, options] of Object.entries(WORKSPACES)) if (!only || only === label) await runOn(label, options);
}

async function runOn(label: string, options: { namePrefix: boolean }): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'kdry-bench-links-'));
  try {
    const ws = writeWorkspace(join(tmp, 'workspace'), undefined, undefined, undefined, options);
    const files = new FileStore();
    const scanStart = cpuMs();
    for (const path of filesBelow(ws.root)) files.update(pathToFileURL(path).href, readFileSync(path, 'utf8'));
    const scanMs = cpuMs() - scanStart;

    const workloadUri = pathToFileURL(ws.visible).href;
    const serviceUri = workloadUri.replace(/-workload\.yaml$/, '-service.yaml');
    const workloadText = files.get(workloadUri)!.text;
    const serviceText = files.get(serviceUri)?.text;
    if (!serviceText) throw new Error(`no Service beside ${ws.visible}`);
    let current = TextDocument.create(workloadUri, 'yaml', 1, workloadText);
    const publisher = new DiagnosticsPublisher({ sendDiagnostics: async () => undefined }, files, () => current, () => DEFAULT_SETTINGS, () => [workloadUri]);

    // Offsets of what the features are asked about.
    const firstLabel = workloadText.slice(workloadText.indexOf('labels:', workloadText.indexOf('template:')));
    const labelOffset = workloadText.indexOf('template:') + workloadText.slice(workloadText.indexOf('template:')).indexOf(firstLabel) + firstLabel.search(/[a-z]+: /) ;
    const selectorOffset = serviceText.indexOf('selector:') + serviceText.slice(serviceText.indexOf('selector:')).search(/[a-z][\w.-]*: [\w-]/) + 1;
    // Hover on a volume's ConfigMap name in the first workload that mounts one.
    const withVolume = files.workspace.uris().find((u) => /configMap: \{ name: /.test(files.get(u)!.text))!;
    const referenceOffset = files.get(withVolume)!.text.search(/configMap: \{ name: /) + 'configMap: { name: '.length + 1;
    const withVolumeText = TextDocument.create(withVolume, 'yaml', 1, files.get(withVolume)!.text);
    // Find references and rename from a ConfigMap's name: the one the hover's volume names, when written.
    const referenced = /configMap: \{ name: ([\w.-]+)/.exec(files.get(withVolume)!.text)![1];
    const configUri = files.workspace.named('ConfigMap', referenced)[0]?.uri ?? files.workspace.uris().find((u) => /\nkind: ConfigMap\n/.test(files.get(u)!.text))!;
    const nameOffset = files.get(configUri)!.text.indexOf('\n  name: ') + '\n  name: '.length + 1;
    const imageLine = workloadText.split('\n').findIndex((l) => /^\s+image: /.test(l));
    const indent = /^\s*/.exec(workloadText.split('\n')[imageLine])![0];

    let n = 0;
    const edit = () => {
      const text = `${indent}image: nginx:1.27.${n++ % 2}`;
      current = TextDocument.update(current, [{ range: { start: { line: imageLine, character: 0 }, end: { line: imageLine + 1, character: 0 } }, text: `${text}\n` }], current.version + 1);
      files.update(workloadUri, current.getText());
    };
    const features: [string, () => unknown][] = [
      ['diagnostics of the open file', () => publisher.validate(workloadUri)],
      ['CodeLens', () => codeLenses(current, files.get(workloadUri)!, files.workspace)],
      ['definition from a Service selector', () => definition(files.workspace, files.get(serviceUri)!, selectorOffset)],
      ['references of a template label', () => references(files.workspace, files.get(workloadUri)!, labelOffset, true)],
      ['rename of a template label', () => rename(files.workspace, files.get(workloadUri)!, labelOffset, 'renamed')],
      ['references of a ConfigMap name', () => references(files.workspace, files.get(configUri)!, nameOffset, true)],
      ['rename of a ConfigMap name', () => rename(files.workspace, files.get(configUri)!, nameOffset, 'renamed')],
      ['hover on a ConfigMap reference', () => hover(withVolumeText, files.get(withVolume)!, referenceOffset, files.workspace)],
      [
        "Dry-run's scope (acting objects, built)",
        () => {
          const file = files.get(workloadUri)!;
          const doc = file.documents[0];
          return [builtObject(files.workspace, workloadUri, doc.value), objectsActingOn(files.workspace, { uri: workloadUri, doc })];
        },
      ],
    ];
    if (ws.namingBuilt) {
      const namingUri = pathToFileURL(ws.namingBuilt).href;
      features.push(['check of a file naming 100 built objects', () => checkFile(files.get(namingUri)!, files.workspace, DEFAULT_SETTINGS)]);
    }
    console.log(`workspace (${label}): ${ws.files} files in 20 kustomizations${options.namePrefix ? ', each with namePrefix' : ''}; scan (parse and index every file) ${fmt(scanMs)} ms CPU`);
    console.log('  after an edit of the open file, CPU ms     first   median   p95');
    for (const [name, feature] of features) {
      const times: number[] = [];
      for (let i = 0; i < REPEATS + 1; i++) {
        edit();
        const t = cpuMs();
        feature();
        times.push(cpuMs() - t);
      }
      console.log(`  ${name.padEnd(40)} ${fmt(times[0])}  ${fmt(median(times.slice(1)))}  ${fmt(percentile(times.slice(1).sort((a, b) => a - b), 95))}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
