// `npm run bench custom-resource`: typing in a 1,000-line custom resource, in a fresh kdry
// language server (inputs/custom-resources.ts): a `Fleet` judged by its CRD opened beside it
// (CEL rules at the list, the item and the string level), and an Argo Rollout judged by kdry's
// bundled Argo Rollouts schema. For each: didOpen -> diagnostics, then three runs of edits in the
// middle of the file, each edit timed from its didChange to the first byte of the publication of
// its version (the server's answer; harness/lsp-session.ts EditTimes), median and p95, and the
// server's CPU time per edit (all its threads, /proc):
//   - `after open`: the first 20 edits, swapping one line between two texts. Work the open left
//     behind (warm-up, the first publications' follow-ups) lands in these;
//   - `steady`: the next 200 edits of the same swap. Every other text repeats, so a memo keyed on
//     a value hits on every second edit;
//   - `typing`: 200 keystrokes at the end of that line, one character inserted or deleted each,
//     a word typed and erased, a different word each time: nearly every text is new;
//   - `new key line`: Enter at the end of a line below, a key typed on the new line a character at
//     a time (`k`, `k1`, `k1x` are broken YAML, an implicit key without its colon; then `k1x:`,
//     `k1x: `, `k1x: v`), and the line deleted; 15 rounds;
//   - `line deleted, put back`: 50 lines below (a Fleet item's `weight:`, a Rollout step), each
//     deleted whole and then put back;
//   - `new list item`: in a nested list below (the Fleet's `spec.items`, the Rollout container's
//     `env`), Enter at the end of an item's last line, indented to the items' dash, `- name: v`
//     typed a character at a time (`-` and `- ` are an empty item, `- n` ... `- name` a string
//     item, `- name:` a map item), and the line deleted; 15 rounds;
//   - `item split`: the same typed after an item's first line, so that the item's other lines
//     belong to the new item from the dash on (`- name: x` then `- k:` above `  port: 1` makes
//     two items); `- k` reads `k port` as one scalar continued onto the next line, a YAML error.
// Then peak RSS, and the CRD itself is edited (a rule's message changes: its schema is read and
// its rules compiled again) and the time to the custom resource's diagnostics under the new
// rules is taken. The performance issue's budget for an edit is one frame (p95 <= 16 ms).
// Figures only; nothing here asserts a timing. `BENCH_CASE=fleet|rollout` runs one case.
import { LspClient, SERVER, messageOf } from '../../test/server/lsp-client';
import { SERVER_EXEC_ARGV } from '../../server/src/protocol/server-process';
import { deployment } from './lsp';
import { fleet, fleetCrd, rollout } from './inputs/custom-resources';
import { cpuMs, fmt, middleLine, peakRssMb, percentileOf, timedChanges, timedEdits, timedKeystrokes, timedOpen, warmUp, type EditTimes } from './harness/lsp-session';

const EDITS_AFTER_OPEN = 20;
const STEADY_EDITS = 200;
const KEYSTROKES = 200;
const NEW_KEY_ROUNDS = 15;
const DELETED_LINES = 50;
const NEW_ITEM_ROUNDS = 15;
const IDLE_MS = 1000;
const EDIT_BUDGET_MS = 16;

interface EditFigures {
  p50: number;
  p95: number;
  /** The server's CPU time per edit (user + system): less sensitive to other load on the machine. */
  cpuMs: number;
}

interface Figures {
  lines: number;
  openMs: number;
  openCpuMs: number;
  diagnostics: number;
  afterOpen: EditFigures;
  steady: EditFigures;
  typing: EditFigures;
  newKey: EditFigures;
  deleted: EditFigures;
  newItem: EditFigures;
  split: EditFigures;
  afterCrdChangeMs?: number;
  rssMb: number;
}

/** p50 and p95 of the server's answers (EditTimes), and its CPU per edit. */
async function cpuTimed(pid: number, count: number, edits: () => Promise<EditTimes>): Promise<EditFigures> {
  const cpu0 = cpuMs(pid);
  const { answered } = await edits();
  return { p50: percentileOf(answered, 50), p95: percentileOf(answered, 95), cpuMs: (cpuMs(pid) - cpu0) / count };
}

type Change = Parameters<LspClient['edit']>[1][number];

const at = (line: number, character: number) => ({ line, character });

/**
 * A new key typed on a line of its own, `rounds` times below `line` (whose text is `text`): Enter at
 * its end, indented to its map's keys (`keyColumn`), `kN: v` a character at a time (`k` ... `kN`
 * are an implicit key without its colon, a YAML error), then the line deleted.
 */
function newKeyLines(line: number, text: string, keyColumn: number, rounds: number, typedIn = (r: number) => `k${r % 10}x: v`): Change[] {
  const changes: Change[] = [];
  for (let r = 0; r < rounds; r++) {
    const typed = typedIn(r);
    changes.push({ range: { start: at(line, text.length), end: at(line, text.length) }, text: `\n${' '.repeat(keyColumn)}` });
    for (let c = 0; c < typed.length; c++) changes.push({ range: { start: at(line + 1, keyColumn + c), end: at(line + 1, keyColumn + c) }, text: typed[c] });
    changes.push({ range: { start: at(line, text.length), end: at(line + 1, keyColumn + typed.length) }, text: '' });
  }
  return changes;
}

/**
 * A new item of a block sequence typed on a line of its own after `line` (whose text is `text`),
 * `rounds` times: Enter at its end, indented to the items' dash (`dashColumn`), `typed` a
 * character at a time, then the line deleted.
 */
function newItemLines(line: number, text: string, dashColumn: number, typed: string, rounds: number): Change[] {
  return newKeyLines(line, text, dashColumn, rounds, () => typed);
}

/** Each of `lines` (of `text`) deleted whole, then put back (an undo, a paste). */
function deletedLines(text: string, lines: number[]): Change[] {
  const all = text.split('\n');
  return lines.flatMap((l) => [
    { range: { start: at(l, 0), end: at(l + 1, 0) }, text: '' },
    { range: { start: at(l, 0), end: at(l, 0) }, text: `${all[l]}\n` },
  ]);
}

/** The `count` lines matching `pattern` after line `from`. */
function linesAfter(text: string, from: number, pattern: RegExp, count: number): number[] {
  const lines = text.split('\n');
  const found: number[] = [];
  for (let i = from + 1; i < lines.length && found.length < count; i++) if (pattern.test(lines[i])) found.push(i);
  return found;
}

async function measure(name: string, text: string, editLine: RegExp, deletedLine: RegExp, itemLine: RegExp, variants: (line: string) => string[], word: (k: number) => string, crd?: string): Promise<Figures> {
  const client = new LspClient({ command: [process.execPath, ...SERVER_EXEC_ARGV, SERVER, '--stdio'], configuration: (section) => (section === 'kdry' ? {} : null) });
  try {
    await client.initialize();
    await warmUp(client, deployment(0), IDLE_MS);
    const crdUri = `file:///bench/crds/${name}.yaml`;
    if (crd) await client.open(crdUri, crd);
    const uri = `file:///bench/${name}.yaml`;
    const open = await timedOpen(client, uri, text);
    const line = middleLine(text, editLine);
    const original = text.split('\n')[line];
    const pid = client.process.pid!;
    const swap = variants(original);
    const afterOpen = await cpuTimed(pid, EDITS_AFTER_OPEN, () => timedEdits(client, uri, text, line, swap, EDITS_AFTER_OPEN));
    // The swap goes on from where it stopped (an even count leaves the line as it was).
    const current = text.split('\n');
    current[line] = swap[(EDITS_AFTER_OPEN - 1) % swap.length];
    const steady = await cpuTimed(pid, STEADY_EDITS, () => timedEdits(client, uri, current.join('\n'), line, [...swap.slice(EDITS_AFTER_OPEN % swap.length), ...swap.slice(0, EDITS_AFTER_OPEN % swap.length)], STEADY_EDITS));
    const last = [...swap.slice(EDITS_AFTER_OPEN % swap.length), ...swap.slice(0, EDITS_AFTER_OPEN % swap.length)][(STEADY_EDITS - 1) % swap.length];
    const typing = await cpuTimed(pid, KEYSTROKES, () => timedKeystrokes(client, uri, line, last, word, KEYSTROKES));
    // Lines below the one typed in above, as the open left them.
    const [keyLine] = linesAfter(text, line + 2, editLine, 1);
    const keyText = text.split('\n')[keyLine];
    const keyColumn = /^ *(- +)?/.exec(keyText)![0].length;
    const newKeys = newKeyLines(keyLine, keyText, keyColumn, NEW_KEY_ROUNDS);
    const newKey = await cpuTimed(pid, newKeys.length, () => timedChanges(client, uri, newKeys));
    const deletions = deletedLines(text, linesAfter(text, keyLine + 2, deletedLine, DELETED_LINES));
    const deleted = await cpuTimed(pid, deletions.length, () => timedChanges(client, uri, deletions));
    // A nested list's items below the lines deleted and put back: a new one typed after an item's
    // last line, and one typed after an item's first line (splitting it).
    const lines = text.split('\n');
    const [itemFirst] = linesAfter(text, Math.max(keyLine, ...linesAfter(text, keyLine + 2, deletedLine, DELETED_LINES)) + 2, itemLine, 1);
    const dashColumn = lines[itemFirst].indexOf('-');
    let itemLast = itemFirst + 1;
    while (lines[itemLast + 1].length > dashColumn && lines[itemLast + 1][dashColumn] === ' ') itemLast++;
    const newItems = newItemLines(itemLast, lines[itemLast], dashColumn, '- name: v', NEW_ITEM_ROUNDS);
    const newItem = await cpuTimed(pid, newItems.length, () => timedChanges(client, uri, newItems));
    const splits = newItemLines(itemFirst, lines[itemFirst], dashColumn, '- k: v', NEW_ITEM_ROUNDS);
    const split = await cpuTimed(pid, splits.length, () => timedChanges(client, uri, splits));
    let afterCrdChangeMs: number | undefined;
    if (crd) {
      // From the CRD edit to the custom resource's diagnostics under the new rules: the server
      // re-checks the open files when the CRD changes; if it waits for the next keystroke, that
      // keystroke (the line's own text again) is timed too.
      const judged = (p: { diagnostics: { message: unknown }[] }) => p.diagnostics.some((d) => /once/.test(messageOf(d as never)));
      const t = performance.now();
      const rechecked = client.nextDiagnostics(uri, judged, 5000).then(() => true, () => false);
      await client.change(crdUri, fleetCrd('every item name is a DNS label, once'));
      if (await rechecked) afterCrdChangeMs = performance.now() - t;
      else {
        const t2 = performance.now();
        const after = await client.edit(uri, [{ range: { start: { line, character: 0 }, end: { line, character: last.length } }, text: original }]);
        if (!after.some((d) => /once/.test(messageOf(d)))) throw new Error(`the changed CRD did not judge ${name}`);
        afterCrdChangeMs = performance.now() - t2;
      }
    }
    return { lines: text.split('\n').length, openMs: open.ms, openCpuMs: open.cpuMs, diagnostics: open.diagnostics, afterOpen, steady, typing, newKey, deleted, newItem, split, afterCrdChangeMs, rssMb: peakRssMb(pid) };
  } finally {
    await client.shutdown();
  }
}

export default async function run(): Promise<void> {
  const only = process.env.BENCH_CASE;
  // item-100 gets a name the format library refuses (an upper-case letter) every other edit; typing
  // appends `-a1`, `-b2`, ... to an item's name (a valid DNS label at every keystroke but the `-`).
  const fleetText = fleet().replace('name: item-0\n', 'name: Item_0\n');
  const cases: [string, Figures][] = [];
  if (!only || only === 'fleet') cases.push(['Fleet (workspace CRD, CEL rules)', await measure('fleet', fleetText, /name: item-\d+/, /^ +weight: \d+$/, /^ +- name: item-\d+$/, (l) => [l.replace(/item-(\d+)/, 'Item_$1'), l], (k) => `-${'abcdefgh'[k % 8]}${k}`, fleetCrd())]);
  // The Rollout's swap misspells a key every other edit; typing appends digits to a step's weight.
  if (!only || only === 'rollout') cases.push(['Argo Rollout (bundled schema)', await measure('rollout', rollout(), /setWeight: \d+/, /setWeight: \d+/, /^ +- name: VAR_\d+$/, (l) => [l.replace(/setWeight: \d+/, 'setWeigth: 5'), l], (k) => `${(k * 7) % 10}${k % 3}`)]);
  console.log('\n  custom resource                    lines  open ms  open CPU  findings   RSS MB  after CRD edit');
  for (const [label, f] of cases) {
    console.log(`  ${label.padEnd(33)} ${String(f.lines).padStart(5)}  ${fmt(f.openMs)}  ${fmt(f.openCpuMs)}  ${String(f.diagnostics).padStart(8)}  ${fmt(f.rssMb)}  ${f.afterCrdChangeMs === undefined ? '             -' : fmt(f.afterCrdChangeMs).padStart(14)}`);
  }
  console.log('\n  edits (ms; CPU = server CPU per edit)   after open (20, swap)      steady (200, swap)      typing (200 keystrokes)');
  console.log('                                          p50     p95     CPU     p50     p95     CPU     p50     p95     CPU');
  for (const [label, f] of cases) {
    const row = (e: EditFigures) => `${fmt(e.p50)} ${fmt(e.p95)} ${fmt(e.cpuMs)}`;
    console.log(`  ${label.padEnd(38)} ${row(f.afterOpen)} ${row(f.steady)} ${row(f.typing)}`);
  }
  console.log(`\n  line edits (ms; CPU as above)          new key line (${NEW_KEY_ROUNDS * 8})        line deleted, put back (${DELETED_LINES * 2})   new list item (${NEW_ITEM_ROUNDS * 11})     item split (${NEW_ITEM_ROUNDS * 8})`);
  console.log('                                          p50     p95     CPU     p50     p95     CPU     p50     p95     CPU     p50     p95     CPU');
  for (const [label, f] of cases) {
    const row = (e: EditFigures) => `${fmt(e.p50)} ${fmt(e.p95)} ${fmt(e.cpuMs)}`;
    console.log(`  ${label.padEnd(38)} ${row(f.newKey)} ${row(f.deleted)} ${row(f.newItem)} ${row(f.split)}`);
  }
  const worst = Math.max(...cases.flatMap(([, f]) => [f.afterOpen.p95, f.steady.p95, f.typing.p95, f.newKey.p95, f.deleted.p95, f.newItem.p95, f.split.p95]));
  console.log(`\nbudget: edit p95 <= ${EDIT_BUDGET_MS} ms (one frame): ${worst <= EDIT_BUDGET_MS ? 'met' : 'NOT met'} (worst ${worst.toFixed(1)} ms)`);
}
