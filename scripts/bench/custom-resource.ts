// `npm run bench custom-resource`: typing in a 1,000-line custom resource, in a fresh kdry
// language server (inputs/custom-resources.ts): a `Fleet` judged by its CRD opened beside it
// (CEL rules at the list, the item and the string level), and an Argo Rollout judged by kdry's
// bundled Argo Rollouts schema. For each: didOpen -> diagnostics, then 20 single-line edits in
// the middle, each timed to the diagnostics of its version (median, p95, and the server's CPU
// time per edit), and peak RSS. Then the CRD itself is edited (a rule's message changes: its
// schema is read and its rules compiled again) and the time to the custom resource's diagnostics
// under the new rules is taken. The performance issue's budget for an edit is one frame
// (p95 <= 16 ms). Figures only; nothing here asserts a timing.
import { LspClient, SERVER, messageOf } from '../../test/server/lsp-client';
import { SERVER_EXEC_ARGV } from '../../server/src/protocol/server-process';
import { deployment } from './lsp';
import { fleet, fleetCrd, rollout } from './inputs/custom-resources';
import { cpuMs, fmt, middleLine, peakRssMb, percentile, timedEdits, timedOpen, warmUp } from './harness/lsp-session';

const EDITS = 20;
const IDLE_MS = 1000;
const EDIT_BUDGET_MS = 16;

interface Figures {
  lines: number;
  openMs: number;
  openCpuMs: number;
  diagnostics: number;
  editP50: number;
  editP95: number;
  /** The server's CPU time per edit (user + system): less sensitive to other load on the machine. */
  editCpuMs: number;
  afterCrdChangeMs?: number;
  rssMb: number;
}

async function measure(name: string, text: string, editLine: RegExp, variants: (line: string) => string[], crd?: string): Promise<Figures> {
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
    const cpu0 = cpuMs(pid);
    const times = await timedEdits(client, uri, text, line, variants(original), EDITS);
    const editCpuMs = (cpuMs(pid) - cpu0) / EDITS;
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
        const after = await client.edit(uri, [{ range: { start: { line, character: 0 }, end: { line, character: original.length } }, text: original }]);
        if (!after.some((d) => /once/.test(messageOf(d)))) throw new Error(`the changed CRD did not judge ${name}`);
        afterCrdChangeMs = performance.now() - t2;
      }
    }
    return { lines: text.split('\n').length, openMs: open.ms, openCpuMs: open.cpuMs, diagnostics: open.diagnostics, editP50: percentile(times, 50), editP95: percentile(times, 95), editCpuMs, afterCrdChangeMs, rssMb: peakRssMb(pid) };
  } finally {
    await client.shutdown();
  }
}

export default async function run(): Promise<void> {
  // item-100 gets a name the format library refuses (an upper-case letter) every other edit.
  const fleetText = fleet().replace('name: item-0\n', 'name: Item_0\n');
  const cases: [string, Figures][] = [
    ['Fleet (workspace CRD, CEL rules)', await measure('fleet', fleetText, /name: item-\d+/, (l) => [l.replace(/item-(\d+)/, 'Item_$1'), l], fleetCrd())],
    ['Argo Rollout (bundled schema)', await measure('rollout', rollout(), /setWeight: \d+/, (l) => [l.replace(/setWeight: \d+/, 'setWeigth: 5'), l])],
  ];
  console.log('\n  custom resource                    lines  open ms  open CPU  findings  edit p50  edit p95  edit CPU  after CRD edit   RSS MB');
  for (const [label, f] of cases) {
    console.log(`  ${label.padEnd(33)} ${String(f.lines).padStart(5)}  ${fmt(f.openMs)}  ${fmt(f.openCpuMs)}  ${String(f.diagnostics).padStart(8)}  ${fmt(f.editP50)}  ${fmt(f.editP95)}  ${fmt(f.editCpuMs)}  ${f.afterCrdChangeMs === undefined ? '             -' : fmt(f.afterCrdChangeMs).padStart(14)}  ${fmt(f.rssMb)}`);
  }
  const worst = Math.max(...cases.map(([, f]) => f.editP95));
  console.log(`\nbudget: edit p95 <= ${EDIT_BUDGET_MS} ms (one frame): ${worst <= EDIT_BUDGET_MS ? 'met' : 'NOT met'} (worst ${worst.toFixed(1)} ms)`);
}
