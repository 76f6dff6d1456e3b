// The capacity report as a person reads it in a terminal: what does not fit (the scheduler's own
// words), the nodes fullest first with their headroom, the zones, and the node failures that
// leave pods Pending.
import { formatResource } from '../../protocol/quantity-text';
import type { CapacityReport, NodeFailure } from '../../engine';
import { escapeControls, neutralizeWorkflowCommands } from './escape';

/** What `--format json` prints: the engine's report, with the cluster and where each workload is written. */
export interface CapacityOutput extends CapacityReport {
  cluster: { source: string; nodes: number };
  /** The release the pods were placed for, and why it is in force. */
  kubernetes: { version: string; reason: string };
  /** Workload key (`path#document index`) -> the file and document it is written in. */
  written: Record<string, { file: string; document: number }>;
  /** Custom workloads (an Argo Rollout) the API server rejects by their schema: never stored, not placed. */
  refused: { kind: string; name: string; file: string; document: number; errors: string[] }[];
}

/** Nodes and node failures listed in text before the rest is counted (JSON lists every one). */
export const TEXT_ROWS = 20;

export function formatCapacityText(report: CapacityOutput, color: boolean): string {
  const bold = (s: string) => (color ? `\u001b[1m${s}\u001b[0m` : s);
  const warn = (s: string) => (color ? `\u001b[33m${s}\u001b[0m` : s);
  const e = escapeControls;
  const label = new Map(report.workloads.map((w) => [w.key, `${w.kind}/${e(w.name)} (${e(report.written[w.key]?.file ?? w.key)})`]));
  const pods = report.workloads.reduce((n, w) => n + w.placed + w.pending, 0);
  const zones = report.zones.filter((z) => z.zone !== '').length;
  const out: string[] = [];
  out.push(bold(`Capacity: ${plural(report.workloads.length, 'workload')} (${plural(pods, 'pod')}) placed together on ${e(report.cluster.source)} (${plural(report.cluster.nodes, 'node')}${zones ? `, ${plural(zones, 'zone')}` : ''})`));
  out.push(`Kubernetes ${e(report.kubernetes.version)} (${e(report.kubernetes.reason)})`);
  if (report.notPlaced.length > 0) out.push(`Not placed (their pods come and go): ${report.notPlaced.map((w) => `${w.kind}/${e(w.name)}`).join(', ')}`);
  for (const r of report.refused) out.push(warn(`Not placed: ${r.kind}/${e(r.name)} (${e(r.file)}): ${e(r.errors[0])}${r.errors.length > 1 ? ` (and ${plural(r.errors.length - 1, 'more error')})` : ''}`));

  const pending = report.workloads.filter((w) => w.pending > 0);
  out.push('');
  if (pending.length === 0) out.push('Everything fits.');
  else {
    out.push(warn(`Does not fit (${plural(pending.reduce((n, w) => n + w.pending, 0), 'pod')} stay Pending):`));
    for (const w of pending) out.push(`  ${label.get(w.key)}: ${w.pending} of ${w.placed + w.pending} Pending: ${e(w.message ?? '')}`);
  }

  const byName = new Map(report.nodes.map((n) => [n.name, n]));
  const fullest = byName.get(report.fillOrder[0]);
  out.push('');
  if (fullest) {
    const full = report.filled > 0 ? `; the first of ${plural(report.filled, 'node')} with no room left for any pod of these workloads, in the order the pods filled them` : '';
    out.push(`Fills first: ${e(fullest.name)} (${fullest.fullest} ${percent(fullest.fill)} requested${full}).`);
  }
  const columns = report.resources;
  const rows = report.fillOrder.slice(0, TEXT_ROWS).map((name) => {
    const node = byName.get(name)!;
    return [e(node.name), e(node.zone ?? ''), ...columns.map((r) => `${formatResource(r, node.requested[r])}/${formatResource(r, node.allocatable[r])}`), ...columns.map((r) => formatResource(r, node.headroom[r])), node.open ? '' : e(node.closedBy.join(', '))];
  });
  out.push(...table(['NODE', 'ZONE', ...columns.map((r) => `${r.toUpperCase()} USED`), ...columns.map((r) => `${r.toUpperCase()} FREE`), 'CLOSED'], rows));
  if (report.nodes.length > TEXT_ROWS) out.push(`  ... ${report.nodes.length - TEXT_ROWS} more nodes (--format json lists every node)`);

  out.push('');
  out.push('Zones (free: summed over the nodes open to any pod; untolerated taints, cordoned and NotReady nodes left out):');
  out.push(...table(['ZONE', 'NODES', 'OPEN', ...columns.map((r) => `${r.toUpperCase()} FREE`)], report.zones.map((z) => [e(z.zone || '(no zone label)'), String(z.nodes), String(z.openNodes), ...columns.map((r) => formatResource(r, z.headroom[r]))])));

  out.push('');
  const leaving = report.nodeFailures.filter((f) => f.pending.length > 0);
  out.push(`Node failures (the node unreachable; its Deployment and ReplicaSet pods replaced once evicted): ${leaving.length === 0 ? `no single node's failure leaves a pod Pending (${plural(report.nodeFailures.length, 'node')} with replaceable pods tried).` : `${leaving.length} of ${plural(report.nodeFailures.length, 'node')} with replaceable pods leave pods Pending:`}`);
  for (const f of leaving.slice(0, TEXT_ROWS)) out.push(`  ${e(f.node)}: ${describeFailure(f, label)}`);
  if (leaving.length > TEXT_ROWS) out.push(`  ... ${leaving.length - TEXT_ROWS} more (--format json lists every one)`);
  const stuck = report.nodeFailures.reduce((n, f) => n + f.notReplaced.statefulSet, 0);
  if (stuck > 0) out.push(`  StatefulSet pods are not replaced while their node is unreachable (they stay Terminating until the Node is deleted or the pod force-deleted): ${plural(stuck, 'pod')} over all nodes.`);
  if (report.zoneFailures.length > 0) {
    const zonesLeaving = report.zoneFailures.filter((f) => f.pending.length > 0);
    out.push(`Zone failures (every node of the zone unreachable at once): ${zonesLeaving.length === 0 ? `no single zone's failure leaves a pod Pending (${plural(report.zoneFailures.length, 'zone')} with replaceable pods tried).` : `${zonesLeaving.length} of ${plural(report.zoneFailures.length, 'zone')} with replaceable pods leave pods Pending:`}`);
    for (const f of zonesLeaving) out.push(`  ${e(f.zone)} (${plural(f.nodes, 'node')}): ${describeFailure(f, label)}`);
  }
  return neutralizeWorkflowCommands(out.join('\n') + '\n');
}

function describeFailure(f: Pick<NodeFailure, 'pending' | 'replaced'>, label: ReadonlyMap<string, string>): string {
  const pending = f.pending.reduce((n, p) => n + p.pods, 0);
  const parts = f.pending.map((p) => `${label.get(p.key) ?? p.key}: ${p.pods} Pending: ${escapeControls(p.message)}`);
  return `${pending} of ${plural(f.replaced, 'replacement')} Pending; ${parts.join('; ')}`;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Left-aligned columns two spaces apart, indented by two. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}
