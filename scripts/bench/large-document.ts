// `npm run bench large-document`: keystrokes in a document of 1 MiB, most of it a flow sequence on
// one line (issue #11 item 7: a keystroke that broke such a document cost 1.6-3.1 s of server CPU,
// as `yaml` read the broken document in full). Two inputs: a ConfigMap with a list of plain words
// and a Deployment with 1 MiB of quoted container args. Each keystroke is answered as VS Code
// asks after an edit: the diagnostics, then document symbols, code lenses, links and code actions.
// Keystrokes that break the YAML (a letter after the closing `]`, a `[` between items, a letter
// after a top-level key's colon) and one that keeps it valid (a letter inside an item), each
// followed by its undo. Per keystroke kind: server CPU (user + system, /proc, 10 ms ticks), median and max over
// the rounds, and the wall time to the diagnostics. Figures only; the diagnostics are checked.
import { LspClient, SERVER, messageOf } from '../../test/server/lsp-client';
import { SERVER_EXEC_ARGV } from '../../server/src/protocol/server-process';
import { cpuMs, fmt, median } from './harness/lsp-session';
import { Random } from './inputs/random';

const ROUNDS = Number(process.env.BENCH_RUNS ?? 5);
const MIB = 1 << 20;

interface Input {
  name: string;
  text: string;
  /** The line of the flow sequence, and a top-level key line (`key:` and a block below it). */
  flowLine: number;
  keyLine: number;
}

function configMapInput(): Input {
  const random = new Random(20261208);
  const words: string[] = [];
  for (let length = 0; length < MIB; ) {
    const word = `w${random.int(0, 1e9).toString(36)}`;
    words.push(word);
    length += word.length + 1;
  }
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: words\ndata:\n  mode: "list"\nwords: [${words.join(',')}]\n`;
  return { name: 'ConfigMap, 1 MiB plain list', text, flowLine: 6, keyLine: 4 };
}

function deploymentInput(): Input {
  const args: string[] = [];
  for (let i = 0, length = 0; length < MIB; i++) length += (args[i] = `"--flag-${i}=${i % 7}"`).length + 2;
  const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        args: [${args.join(', ')}]\n`;
  return { name: 'Deployment, 1 MiB quoted args', text, flowLine: 16, keyLine: 4 };
}

interface Keystroke {
  name: string;
  /** Character of the flow line or the key line where one character is typed, then erased. */
  line: 'flow' | 'key';
  at: (lineText: string) => number;
  typed: string;
  breaks: boolean;
}

const KEYSTROKES: Keystroke[] = [
  { name: 'letter inside an item', line: 'flow', at: (l) => l.indexOf('[') + 4, typed: 'x', breaks: false },
  { name: 'letter after the `]`', line: 'flow', at: (l) => l.length, typed: 'z', breaks: true },
  { name: '`[` between items', line: 'flow', at: (l) => l.indexOf(',', l.length / 2) + 1, typed: '[', breaks: true },
  { name: 'letter after `key:`', line: 'key', at: (l) => l.length, typed: 'z', breaks: true },
];

/** What VS Code asks of a file after each edit, besides its diagnostics. */
async function editorRequests(client: LspClient, uri: string): Promise<void> {
  const textDocument = { uri };
  await client.request('textDocument/documentSymbol', { textDocument });
  await client.request('textDocument/codeLens', { textDocument });
  await client.request('textDocument/documentLink', { textDocument });
  await client.request('textDocument/codeAction', { textDocument, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } });
}

async function measure(input: Input): Promise<void> {
  const client = new LspClient({ command: [process.execPath, ...SERVER_EXEC_ARGV, SERVER, '--stdio'], configuration: (section) => (section === 'kdry' ? {} : null) });
  try {
    await client.initialize();
    const pid = client.process.pid!;
    const uri = 'file:///bench/large-document.yaml';
    let cpu = cpuMs(pid);
    let t = performance.now();
    await client.open(uri, input.text);
    await editorRequests(client, uri);
    console.log(`\n${input.name} (${(input.text.length / 1024).toFixed(0)} KiB): open ${fmt(performance.now() - t)} ms, CPU ${fmt(cpuMs(pid) - cpu)} ms`);
    console.log('  keystroke                  CPU p50  CPU max  wall p50   undo CPU p50  undo CPU max');
    const lines = input.text.split('\n');
    for (const k of KEYSTROKES) {
      const line = k.line === 'flow' ? input.flowLine : input.keyLine;
      const character = k.at(lines[line]);
      const typed: number[] = [];
      const undone: number[] = [];
      const wall: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        cpu = cpuMs(pid);
        t = performance.now();
        const broken = await client.edit(uri, [{ range: { start: { line, character }, end: { line, character } }, text: k.typed }]);
        wall.push(performance.now() - t);
        await editorRequests(client, uri);
        typed.push(cpuMs(pid) - cpu);
        const syntax = broken.filter((d) => d.code === 'yaml-syntax');
        if ((syntax.length > 0) !== k.breaks) throw new Error(`${input.name}, ${k.name}: ${syntax.length} syntax diagnostics: ${broken.map(messageOf).join(' | ')}`);
        cpu = cpuMs(pid);
        const mended = await client.edit(uri, [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' }]);
        await editorRequests(client, uri);
        undone.push(cpuMs(pid) - cpu);
        if (mended.some((d) => d.code === 'yaml-syntax')) throw new Error(`${input.name}, ${k.name} undone: ${mended.map(messageOf).join(' | ')}`);
      }
      console.log(`  ${k.name.padEnd(24)} ${fmt(median(typed))}  ${fmt(Math.max(...typed))}  ${fmt(median(wall))}        ${fmt(median(undone))}       ${fmt(Math.max(...undone))}`);
    }
  } finally {
    await client.shutdown();
  }
}

export default async function run(): Promise<void> {
  console.log(`server CPU per keystroke in ms, with the requests VS Code makes after it; ${ROUNDS} rounds (BENCH_RUNS)`);
  for (const input of [configMapInput(), deploymentInput()]) await measure(input);
}
