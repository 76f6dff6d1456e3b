// `npm run conformance -- [folder or file]`: runs every *.json vector file in the folder (default
// conformance/vectors) through conformance/adapter.ts, compares every expected field exactly
// (set-valued fields sorted), prints pass / fail / unsupported per file and per kind with the
// failing ids and a diff, and exits non-zero on any fail or unsupported vector.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { NON_NULL, NON_NULL_FIELDS, PROSE_FIELDS, SET_FIELDS, loadAdapters, type AdapterRegistry } from '../conformance/adapter';

export type Verdict = 'pass' | 'fail' | 'unsupported';

export interface VectorResult {
  file: string;
  id: string;
  kind: string;
  verdict: Verdict;
  /** What differs, one line per field (fail), or why it could not run. */
  diff: string[];
}

export interface ConformanceReport {
  results: VectorResult[];
  /** Files that could not be read as vector arrays, and adapter loading problems. */
  errors: string[];
}

/** JSON with object keys sorted, so key order never decides equality. */
export function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

function asSet(value: unknown): unknown {
  return Array.isArray(value) ? [...value].map(canonical).sort() : value;
}

/** A copy of `value` without the prose keys named by `paths` below `field` (`syncs[].note`). */
function withoutProse(field: string, value: unknown, paths: readonly string[]): unknown {
  const keys = paths.filter((p) => p.startsWith(`${field}[].`)).map((p) => p.slice(field.length + 3));
  if (keys.length === 0 || !Array.isArray(value)) return value;
  return value.map((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const copy: Record<string, unknown> = { ...(item as Record<string, unknown>) };
    for (const k of keys) delete copy[k];
    return copy;
  });
}

/** Field-by-field comparison of `expected` with the adapter's result; returns the differences. */
export function compareExpected(kind: string, expected: Record<string, unknown>, actual: unknown): string[] {
  const got = actual !== null && typeof actual === 'object' ? (actual as Record<string, unknown>) : {};
  const setFields = SET_FIELDS[kind] ?? [];
  const prose = PROSE_FIELDS[kind] ?? [];
  const diff: string[] = [];
  for (const field of Object.keys(expected).sort()) {
    if (expected[field] === NON_NULL && (NON_NULL_FIELDS[kind] ?? []).includes(field)) {
      if (got[field] === null || got[field] === undefined) diff.push(`${field}: expected a non-null value, got ${canonical(got[field])}`);
      continue;
    }
    const isSet = setFields.includes(field);
    const want = isSet ? asSet(expected[field]) : withoutProse(field, expected[field], prose);
    const have = isSet ? asSet(got[field]) : withoutProse(field, got[field], prose);
    if (canonical(want) !== canonical(have)) {
      diff.push(`${field}${isSet ? ' (set)' : ''}: expected ${canonical(expected[field])}, got ${canonical(got[field])}`);
    }
  }
  return diff;
}

interface Vector {
  id?: unknown;
  input?: { kind?: unknown };
  expected?: unknown;
}

async function runVector(file: string, vector: Vector, index: number, registry: AdapterRegistry): Promise<VectorResult> {
  const id = typeof vector?.id === 'string' ? vector.id : `#${index}`;
  const kind = typeof vector?.input?.kind === 'string' ? vector.input.kind : '';
  if (!kind || vector.expected === null || typeof vector.expected !== 'object') {
    return { file, id, kind: kind || '(none)', verdict: 'fail', diff: ['malformed vector: needs input.kind and an expected object'] };
  }
  const adapter = registry.adapters.get(kind);
  if (!adapter) return { file, id, kind, verdict: 'unsupported', diff: [`no adapter for kind "${kind}"`] };
  let actual: unknown;
  let thrown: string | undefined;
  try {
    actual = await adapter(structuredClone(vector.input));
  } catch (e) {
    // An adapter signals "the function returned an error" by throwing.
    thrown = e instanceof Error ? e.message : String(e);
    actual = { error: true };
  }
  const diff = compareExpected(kind, vector.expected as Record<string, unknown>, actual);
  if (diff.length > 0 && thrown !== undefined) diff.push(`(the adapter threw: ${thrown})`);
  return { file, id, kind, verdict: diff.length === 0 ? 'pass' : 'fail', diff };
}

/** Run every *.json vector file in `folder` (or the one file named). */
export async function runConformance(folder: string, registry?: AdapterRegistry): Promise<ConformanceReport> {
  const reg = registry ?? (await loadAdapters());
  const report: ConformanceReport = { results: [], errors: [...reg.errors] };
  let files: string[];
  try {
    if (statSync(folder).isDirectory()) files = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
    else {
      files = [basename(folder)];
      folder = dirname(folder);
    }
  } catch {
    report.errors.push(`${folder}: no such folder`);
    return report;
  }
  if (files.length === 0) report.errors.push(`${folder}: no *.json vector files`);
  for (const file of files) {
    let vectors: unknown;
    try {
      vectors = JSON.parse(readFileSync(join(folder, file), 'utf8'));
    } catch (e) {
      report.errors.push(`${file}: not JSON: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (!Array.isArray(vectors)) {
      report.errors.push(`${file}: expected a JSON array of vectors`);
      continue;
    }
    for (let i = 0; i < vectors.length; i++) report.results.push(await runVector(file, vectors[i] as Vector, i, reg));
  }
  return report;
}

function tally(results: VectorResult[]): string {
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  return `${count('pass')} pass, ${count('fail')} fail, ${count('unsupported')} unsupported`;
}

function groupBy(results: VectorResult[], key: (r: VectorResult) => string): Map<string, VectorResult[]> {
  const groups = new Map<string, VectorResult[]>();
  for (const r of results) {
    const k = key(r);
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

/** The printed report: per file with failing ids and diffs, then per kind, then the total. */
export function formatReport(report: ConformanceReport): string {
  const lines: string[] = [];
  for (const error of report.errors) lines.push(`error: ${error}`);
  for (const [file, results] of groupBy(report.results, (r) => r.file)) {
    lines.push(`${file}: ${tally(results)}`);
    for (const r of results) {
      if (r.verdict === 'pass') continue;
      lines.push(`  ${r.verdict} ${r.id} (${r.kind})`);
      for (const d of r.diff) lines.push(`      ${d}`);
    }
  }
  lines.push('', 'by kind:');
  const kinds = [...groupBy(report.results, (r) => r.kind)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [kind, results] of kinds) {
    const failing = results.filter((r) => r.verdict !== 'pass').map((r) => r.id);
    lines.push(`  ${kind}: ${tally(results)}${failing.length > 0 ? ` [${failing.join(', ')}]` : ''}`);
  }
  lines.push('', `total: ${tally(report.results)}`);
  return lines.join('\n');
}

/** Exit status: 0 when every vector passed and nothing failed to load. */
export function exitCode(report: ConformanceReport): number {
  return report.errors.length === 0 && report.results.every((r) => r.verdict === 'pass') ? 0 : 1;
}

async function main(): Promise<void> {
  const folder = resolve(process.argv[2] ?? join(__dirname, '..', 'conformance', 'vectors'));
  const report = await runConformance(folder);
  console.log(`conformance: ${basename(folder)} (${folder})`);
  console.log(formatReport(report));
  process.exitCode = exitCode(report);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 2;
  });
}
