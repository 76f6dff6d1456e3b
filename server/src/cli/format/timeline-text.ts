// A simulation as a person reads it in a terminal: each step's events in kubectl's words with the
// `kubectl get` status at that moment, then where the pods landed and the summary.
import { podsAtStep, type PodSnapshot, type SimulationResult, type StatusRow, type TimelineEvent } from '../../engine';
import { escapeControls, neutralizeWorkflowCommands } from './escape';

/** Names, reasons and messages in the result come from the manifest: escaped before anything is printed. */
export function formatTimelineText(raw: SimulationResult, color: boolean): string {
  return neutralizeWorkflowCommands(formatEscaped(escapeStrings(raw), color));
}

/** The same data with every string (object keys too: revisions, columns) passed through escapeControls. */
function escapeStrings<T>(value: T): T {
  if (typeof value === 'string') return escapeControls(value) as T;
  if (Array.isArray(value)) return value.map(escapeStrings) as T;
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeControls(k), escapeStrings(v)])) as T;
  return value;
}

function formatEscaped(result: SimulationResult, color: boolean): string {
  const dim = (s: string) => (color ? `\u001b[2m${s}\u001b[0m` : s);
  const bold = (s: string) => (color ? `\u001b[1m${s}\u001b[0m` : s);
  const warn = (s: string) => (color ? `\u001b[33m${s}\u001b[0m` : s);
  const out: string[] = [];
  const target = result.workload ? `${result.workload.kind}/${result.workload.name}` : 'the file';
  out.push(bold(`Simulating ${target} on ${result.cluster.source} (${result.cluster.nodes.length} nodes)`));
  if (result.kubernetes) out.push(dim(`Kubernetes ${result.kubernetes.version}${result.kubernetes.reason ? ` (${result.kubernetes.reason})` : ''}`));
  for (const p of result.problems) out.push(warn(`cannot simulate${p.path ? ` ${p.path}` : ''}: ${p.message}`));

  let previousStatus = '';
  let previousPods: PodSnapshot[] = [];
  let previousTraffic = '';
  for (const step of result.steps) {
    const pods = podsAtStep(result, step.index);
    // A pod that turns Ready in a step where a controller also acted is said too (trial 17 U10: db-3's Ready went missing).
    const events =
      step.index === 0 && step.events.length === 0
        ? [{ time: step.time, object: '', message: `starting state: ${pods.length} pod${pods.length === 1 ? '' : 's'}`, type: 'Normal' as const }]
        : step.index === 0
          ? step.events
          : [...step.events, ...podTransitions(previousPods, pods, step.time)];
    if (events.length === 0) events.push({ time: step.time, object: '', message: '(no visible change)', type: 'Normal' });
    previousPods = pods;
    out.push('');
    events.forEach((e, i) => {
      const time = i === 0 ? `[${formatTime(step.time).padStart(7)}]` : ' '.repeat(9);
      const text = `${e.object ? e.object + ': ' : ''}${e.message}`;
      out.push(`${time} ${e.type === 'Warning' ? warn(text) : text}`);
    });
    const table = statusTable(step.status);
    if (table !== previousStatus) out.push(...table.split('\n').map((l) => '          ' + dim(l)));
    previousStatus = table;
    const traffic = step.traffic
      .filter((t) => t.endpoints > 0 || t.note)
      .map((t) => `traffic ${t.service}: ${[shares(t.byRevision), t.note].filter(Boolean).join(' ')}`)
      .join('\n');
    if (traffic && traffic !== previousTraffic) out.push(...traffic.split('\n').map((l) => '          ' + dim(l)));
    previousTraffic = traffic;
  }

  if (result.steps.length) out.push('', bold('Placement'), ...placement(podsAtStep(result, result.steps.length - 1)));
  const s = result.summary;
  out.push(
    '',
    bold('Summary'),
    `  duration ${formatTime(s.durationSeconds)}, peak pods ${s.peakPods}, minimum available ${s.minAvailable}, downtime ${formatTime(s.downtimeSeconds)}, ${s.completed ? 'completed' : warn('did not complete')}`,
  );
  for (const c of s.conditions) out.push(`  ${c}`);
  for (const n of result.notes) out.push(dim(`  note: ${n}`));
  return out.join('\n') + '\n';
}

function statusTable(rows: StatusRow[]): string {
  if (rows.length === 0) return '';
  // Rows of one kind share a header, as `kubectl get deploy,rs` prints them.
  const groups = new Map<string, StatusRow[]>();
  for (const r of rows) {
    const key = Object.keys(r.columns).join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const blocks: string[] = [];
  for (const group of groups.values()) {
    const headers = ['NAME', ...Object.keys(group[0].columns)];
    const cells = group.map((r) => [r.object, ...Object.values(r.columns).map(String)]);
    const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i])).join('   ').trimEnd();
    blocks.push([line(headers), ...cells.map(line)].join('\n'));
  }
  // Status fields beyond kubectl's columns (terminatingReplicas from 1.35), where they are not 0.
  for (const r of rows) for (const [field, value] of Object.entries(r.fields ?? {})) if (value !== 0) blocks.push(`${r.object} status.${field}: ${value}`);
  return blocks.join('\n');
}

/** What changed for the pods between two steps, beside the controllers' events: pods starting, becoming ready, leaving. */
function podTransitions(before: PodSnapshot[], after: PodSnapshot[], time: number): TimelineEvent[] {
  const previous = new Map(before.map((p) => [p.name, p]));
  const events: TimelineEvent[] = [];
  const say = (pod: string, message: string) => events.push({ time, object: `pod/${pod}`, message, type: 'Normal' });
  for (const pod of after) {
    const was = previous.get(pod.name);
    previous.delete(pod.name);
    // a StatefulSet's pod made again under its name is a new pod (a terminating pod never comes back)
    if (!was || (was.terminating && !pod.terminating)) continue;
    if (pod.phase !== was.phase) say(pod.name, pod.phase);
    if (pod.ready && !was.ready) say(pod.name, 'Ready');
    // a terminating pod's deletion is said already
    else if (!pod.ready && was.ready && !pod.terminating) say(pod.name, 'not Ready');
    if (pod.available && !was.available) say(pod.name, 'Available');
    if ((pod.restarts ?? 0) > (was.restarts ?? 0)) say(pod.name, `restarted (${pod.restarts} restarts)`);
  }
  for (const gone of previous.keys()) say(gone, 'deleted');
  return events;
}

function placement(pods: PodSnapshot[]): string[] {
  const byNode = new Map<string, Map<string, number>>();
  const pending: string[] = [];
  for (const pod of pods) {
    if (pod.terminating) continue;
    if (!pod.node) {
      pending.push(`  Pending ${pod.name}${pod.reason ? `: ${pod.reason}` : ''}`);
      continue;
    }
    const revs = byNode.get(pod.node) ?? new Map<string, number>();
    // Finished Job pods stay listed (history) but no longer run: say so.
    const key = pod.phase === 'Succeeded' || pod.phase === 'Failed' ? `${pod.revision} (${pod.phase})` : pod.revision;
    revs.set(key, (revs.get(key) ?? 0) + 1);
    byNode.set(pod.node, revs);
  }
  const lines = [...byNode.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([node, revs]) => `  ${node}: ${[...revs.entries()].map(([rev, n]) => `${n} pod${n === 1 ? '' : 's'} of ${rev}`).join(', ')}`);
  if (lines.length === 0 && pending.length === 0) lines.push('  no pods');
  // Thousands of identical Pending lines say nothing more than the first few.
  return [...lines, ...pending.slice(0, 10), ...(pending.length > 10 ? [`  ... and ${pending.length - 10} more Pending pods`] : [])];
}

function shares(byRevision: Record<string, number>): string {
  return Object.entries(byRevision)
    .map(([rev, share]) => `${rev} ${Math.round(share * 1000) / 10}%`)
    .join(', ');
}

export function formatTime(seconds: number): string {
  if (seconds < 60) return `${round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${round(seconds % 60) ? `${round(seconds % 60)}s` : ''}`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60) ? `${Math.floor((seconds % 3600) / 60)}m` : ''}`;
  return `${Math.floor(seconds / 86400)}d${Math.floor((seconds % 86400) / 3600) ? `${Math.floor((seconds % 86400) / 3600)}h` : ''}`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
