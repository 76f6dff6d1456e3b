// The engine helpers the language server uses beyond simulate(): CronJob schedules and cluster
// files. Kept behind this adapter so the LSP features do not depend on where they live.
import { CronExpressionParser } from 'cron-parser';
import type { SimNode } from '../engine';

export type NextRuns = { ok: true; runs: Date[] } | { ok: false; error: string };

/** The next `count` run times of a CronJob schedule after `after`, in `timeZone` (default UTC). */
export function nextRuns(spec: string, timeZone: string | undefined, after: Date, count: number): NextRuns {
  try {
    const expr = CronExpressionParser.parse(spec, { currentDate: after, tz: timeZone ?? 'UTC' });
    const runs: Date[] = [];
    for (let i = 0; i < count; i++) runs.push(expr.next().toDate());
    return { ok: true, runs };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export interface ResolvedCluster {
  nodes?: SimNode[];
  source: string;
  /** Names the file and the field that is wrong. */
  error?: string;
}

/** Nodes from a cluster file; undefined path = the engine's embedded default cluster. */
export function loadCluster(path: string | undefined): ResolvedCluster {
  if (!path) return { source: 'embedded default cluster' };
  return { source: path, error: `${path}: cluster files cannot be loaded by this build yet` };
}
