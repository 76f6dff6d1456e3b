// The Capacity part of the Dry-run view: the scope's workloads (or the whole workspace's) placed
// together on the cluster in force (engine/capacity.ts, through kdry/capacity), as `kdry capacity`
// reports them. What does not fit in the scheduler's words, one SVG row per node in fill order (the
// nodes that ran out of room for every pod first, in the order they did, then fullest first: cpu
// and memory requested against allocatable), the free room per zone, and what each node's or each
// zone's failure would leave Pending. Node rows are focusable; the arrow keys move between them.
import type { CapacityResponse } from '../../server/src/protocol/requests';
import type { NodeCapacity, NodeFailure, ZoneFailure } from '../../server/src/protocol/wire';
import { formatResource } from '../../server/src/protocol/quantity-text';
import { el, section, svg } from './dom';
import { focusRow } from './pod-timeline';

/** Node rows drawn before the rest is counted (`kdry capacity --format json` lists every node). */
export const MAX_NODE_ROWS = 60;
/** Node failures listed. */
export const MAX_FAILURES = 10;

const WIDTH = 320;
const LABEL = 96;
const ROW = 20;

export function renderCapacity(response: CapacityResponse): HTMLElement {
  if (response.error || !response.report || !response.cluster) {
    const empty = response.extent === 'workspace' ? 'No long-running workload in the workspace to place.' : 'No long-running workload in this scope to place.';
    return section('Capacity', el('p', { class: response.error ? 'warning' : 'muted' }, response.error ?? empty), renderRefused(response));
  }
  const { report, cluster } = response;
  const label = (key: string) => {
    const w = report.workloads.find((x) => x.key === key);
    const where = response.written[key];
    return `${w ? `${w.kind}/${w.name}` : key}${where ? ` (${where})` : ''}`;
  };
  const pods = report.workloads.reduce((n, w) => n + w.placed + w.pending, 0);
  const byName = new Map(report.nodes.map((n) => [n.name, n]));
  const fullest = byName.get(report.fillOrder[0]);
  const pending = report.workloads.filter((w) => w.pending > 0);
  return section('Capacity',
    el('p', { class: 'muted' }, `${report.workloads.length} workload${report.workloads.length === 1 ? '' : 's'} (${pods} pods) of ${response.scope ?? 'this scope'} placed together on ${cluster.source} (${cluster.nodes} nodes).`),
    report.notPlaced.length > 0 ? el('p', { class: 'muted small' }, `Not placed (their pods come and go): ${report.notPlaced.map((w) => `${w.kind}/${w.name}`).join(', ')}`) : null,
    renderRefused(response),
    pending.length === 0
      ? el('p', { class: 'fits' }, 'Everything fits.')
      : el('div', { class: 'does-not-fit', role: 'group', 'aria-label': 'Does not fit' },
          el('h3', {}, `Does not fit: ${pending.reduce((n, w) => n + w.pending, 0)} pods stay Pending`),
          el('ul', {}, ...pending.map((w) => el('li', {}, el('strong', {}, label(w.key)), `: ${w.pending} of ${w.placed + w.pending} Pending. `, el('span', { class: 'reason' }, w.message ?? '')))),
        ),
    fullest ? el('p', {}, `Fills first: `, el('strong', { class: 'mono' }, fullest.name), ` (${fullest.fullest} ${percent(fullest.fill)} requested${filledWords(report.filled)}).`) : null,
    renderNodeRows(report.fillOrder.map((name) => byName.get(name)!), report.filled),
    renderZones(response),
    renderFailures(report.nodeFailures, label),
    renderZoneFailures(report.zoneFailures, label),
  );
}

/** `filled`: how many nodes ran out of room for every pod placed, as `kdry capacity` says it. */
function filledWords(filled: number): string {
  return filled > 0 ? `; the first of ${filled} node${filled === 1 ? '' : 's'} with no room left for any pod of these workloads, in the order the pods filled them` : '';
}

/** `filled`: the first rows are the nodes that ran out of room for every pod, in the order they did. */
function renderNodeRows(nodes: readonly NodeCapacity[], filled: number): HTMLElement {
  const shown = nodes.slice(0, MAX_NODE_ROWS);
  const plot = WIDTH - LABEL - 40;
  const rows: SVGElement[] = shown.map((node, i) => {
    const y = i * ROW;
    const bar = (resource: string, dy: number) => {
      const total = node.allocatable[resource] ?? 0;
      const used = node.requested[resource] ?? 0;
      const share = total > 0 ? Math.min(1, used / total) : 0;
      return [
        svg('rect', { class: 'bar-total', x: LABEL, y: y + dy, width: plot, height: 6 }),
        svg('rect', { class: `bar-used ${resource}${share >= 0.9 ? ' near-full' : ''}`, x: LABEL, y: y + dy, width: Math.max(0, share * plot), height: 6 }),
      ];
    };
    const full = i < filled;
    const words = `${node.name}${node.zone ? ` in ${node.zone}` : ''}: ${['cpu', 'memory', 'pods'].map((r) => `${r} ${formatResource(r, node.requested[r] ?? 0)} of ${formatResource(r, node.allocatable[r] ?? 0)} requested, ${formatResource(r, node.headroom[r] ?? 0)} free`).join('; ')}${full ? `; filled ${ordinal(i + 1)}: no room left for any pod of these workloads` : ''}${node.open ? '' : `; closed: ${node.closedBy.join(', ')}`}`;
    return svg('g', { class: `capacity-node${full ? ' filled' : ''}${node.open ? '' : ' closed'}`, tabindex: i === 0 ? 0 : -1, role: 'listitem', 'aria-label': words },
      svg('title', {}, words),
      svg('rect', { class: 'row-bg', x: 0, y, width: WIDTH, height: ROW }),
      svg('text', { class: 'tick node-label', x: LABEL - 4, y: y + ROW / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, shorten(node.name, 16)),
      ...bar('cpu', 3),
      ...bar('memory', 11),
      svg('text', { class: 'tick', x: WIDTH - 2, y: y + ROW / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, !node.open ? 'closed' : full ? 'full' : percent(node.fill)),
    );
  });
  const chart = svg('svg', { class: 'capacity-nodes', viewBox: `0 0 ${WIDTH} ${Math.max(ROW, shown.length * ROW)}`, role: 'list', 'aria-label': 'Nodes, fullest first: cpu (upper bar) and memory (lower bar) requested of allocatable. Arrow keys move between nodes.' }, ...rows);
  chart.addEventListener('keydown', (event) => {
    const at = rows.indexOf(event.target as SVGElement);
    if (at < 0) return;
    const move = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : event.key === 'Home' ? -at : event.key === 'End' ? rows.length - 1 - at : 0;
    if (move === 0) return;
    event.preventDefault();
    focusRow(rows, at + move);
  });
  return el('div', { class: 'capacity-chart' },
    el('h3', {}, filled > 0 ? `Nodes in fill order: ${filled} full, then the others fullest first` : 'Nodes, fullest first'),
    el('ul', { class: 'legend' }, el('li', {}, el('span', { class: 'swatch-box cpu' }), 'cpu requested'), el('li', {}, el('span', { class: 'swatch-box memory' }), 'memory requested')),
    chart,
    nodes.length > shown.length ? el('p', { class: 'muted small' }, `+${nodes.length - shown.length} more nodes (kdry capacity --format json lists every node)`) : null,
  );
}

function renderZones(response: CapacityResponse): HTMLElement | null {
  const { report } = response;
  if (!report || report.zones.length === 0) return null;
  const resources = report.resources;
  return el('div', { class: 'capacity-zones' },
    el('h3', {}, 'Free room per zone'),
    el('p', { class: 'muted small' }, 'Summed over the nodes any pod may use: not tainted NoSchedule/NoExecute, not cordoned, Ready.'),
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Zone'), el('th', { scope: 'col' }, 'Open nodes'), ...resources.map((r) => el('th', { scope: 'col' }, `${r} free`)))),
      el('tbody', {}, ...report.zones.map((z) => el('tr', {},
        el('th', { scope: 'row' }, z.zone || '(no zone label)'),
        el('td', {}, `${z.openNodes} of ${z.nodes}`),
        ...resources.map((r) => el('td', { class: 'mono' }, formatResource(r, z.headroom[r] ?? 0))),
      ))),
    ),
  );
}

function renderFailures(failures: readonly NodeFailure[], label: (key: string) => string): HTMLElement {
  const leaving = failures.filter((f) => f.pending.length > 0);
  const stuck = failures.reduce((n, f) => n + f.notReplaced.statefulSet, 0);
  return el('div', { class: 'capacity-failures' },
    el('h3', {}, 'If a node fails'),
    el('p', { class: 'muted small' }, 'The node turns unreachable (node.kubernetes.io/unreachable taints); its Deployment and ReplicaSet pods are evicted and replaced. DaemonSet pods, bare Pods and pods tolerating unreachable forever are not replaced.'),
    leaving.length === 0
      ? el('p', {}, failures.length === 0 ? 'No node holds pods that would be replaced.' : `No single node's failure leaves a pod Pending (${failures.length} nodes tried).`)
      : el('ul', {}, ...leaving.slice(0, MAX_FAILURES).map((f) => el('li', {},
          el('strong', { class: 'mono' }, f.node), `: ${f.pending.reduce((n, p) => n + p.pods, 0)} of ${f.replaced} replacements Pending`,
          el('ul', {}, ...f.pending.map((p) => el('li', {}, `${label(p.key)}: ${p.pods} Pending. `, el('span', { class: 'reason' }, p.message)))),
        ))),
    leaving.length > MAX_FAILURES ? el('p', { class: 'muted small' }, `+${leaving.length - MAX_FAILURES} more nodes whose failure leaves pods Pending.`) : null,
    stuck > 0 ? el('p', { class: 'muted small' }, `${stuck} StatefulSet pods would stay Terminating on their unreachable node (not replaced until the Node is deleted or the pod force-deleted).`) : null,
  );
}

/** A zone outage: every node labelled with the zone unreachable at once (`zoneFailures`, clusters of two or more zones). */
function renderZoneFailures(failures: readonly ZoneFailure[], label: (key: string) => string): HTMLElement | null {
  if (failures.length === 0) return null;
  const leaving = failures.filter((f) => f.pending.length > 0);
  return el('div', { class: 'capacity-zone-failures' },
    el('h3', {}, 'If a zone fails'),
    el('p', { class: 'muted small' }, 'Every node labelled with the zone (topology.kubernetes.io/zone) turns unreachable at once; their Deployment and ReplicaSet pods are evicted and replaced on the other zones.'),
    leaving.length === 0
      ? el('p', {}, `No single zone's failure leaves a pod Pending (${failures.length} zone${failures.length === 1 ? '' : 's'} tried).`)
      : el('ul', {}, ...leaving.map((f) => el('li', {},
          el('strong', { class: 'mono' }, f.zone), ` (${f.nodes} node${f.nodes === 1 ? '' : 's'}): ${f.pending.reduce((n, p) => n + p.pods, 0)} of ${f.replaced} replacements Pending`,
          el('ul', {}, ...f.pending.map((p) => el('li', {}, `${label(p.key)}: ${p.pods} Pending. `, el('span', { class: 'reason' }, p.message)))),
        ))),
  );
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function shorten(name: string, max: number): string {
  return name.length <= max ? name : `…${name.slice(name.length - max + 1)}`;
}

/** Custom workloads the API server rejects by their schema: not placed, with the first error each. */
function renderRefused(response: CapacityResponse): HTMLElement | null {
  const refused = response.refused ?? [];
  if (refused.length === 0) return null;
  return el('ul', { class: 'warning', 'aria-label': 'Not placed: rejected by their schema' },
    ...refused.map((r) => el('li', {}, el('strong', {}, `${r.kind}/${r.name} (${r.file})`), ` is not placed: ${r.errors[0]}${r.errors.length > 1 ? ` (and ${r.errors.length - 1} more)` : ''}`)),
  );
}
