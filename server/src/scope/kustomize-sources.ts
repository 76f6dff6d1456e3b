// The files a kustomize build reads from disk (a generator's `envs` and `files`), and the memos of
// answers that depend on them. The build's memos are per workspace revision, and editing `app.env`
// does not change the revision (only manifests are watched): a memo whose answer came from such
// files is reused only while each is still the same (same size and time, or still missing).
//
// Checking those files costs a stat each. Within one check pass (checkFile: every rule of every
// document asks the same memos many times) a memo's files are stat'ed once: the pass moves the
// "sources epoch", and an entry verified in the current epoch is reused as it is. Outside a pass
// (a hover, the Dry-run, a test that edits app.env and builds again) every reuse checks its files.
import { statSync } from 'node:fs';
import type { WorkspaceIndex } from '../workspace';

/** A file a generator looked for on disk, as it was then (a missing one: size -1). */
export interface SourceStamp {
  path: string;
  mtimeMs: number;
  size: number;
}

export function statOrUndefined(path: string): { mtimeMs: number; size: number } | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The stamp lists of the memo entries being computed, outermost first: each gets every file read. */
const recorders: SourceStamp[][] = [];

/** `work`'s answer and the stamps of the generator files read while it ran (memo entries keep them). */
function withSourcesRecorded<T>(work: () => T): { result: T; stamps: SourceStamp[] } {
  const stamps: SourceStamp[] = [];
  recorders.push(stamps);
  try {
    const result = work();
    // One stamp a file (the same file is read again by each object built): the first, so a file
    // that changed while the work ran is found changed at the next reuse.
    const byPath = new Map<string, SourceStamp>();
    for (const s of stamps) if (!byPath.has(s.path)) byPath.set(s.path, s);
    return { result, stamps: [...byPath.values()] };
  } finally {
    recorders.pop();
  }
}

/** A file read, or a memo entry reused, inside another's computation: the outer one depends on its files too. */
export function noteSources(stamps: readonly SourceStamp[]): void {
  for (const r of recorders) r.push(...stamps);
}

/** Every file of `stamps` is as it was when read (same size and time, or still missing). */
function sourcesUnchanged(stamps: readonly SourceStamp[]): boolean {
  return stamps.every((s) => {
    const now = statOrUndefined(s.path);
    return now ? now.mtimeMs === s.mtimeMs && now.size === s.size : s.size === -1;
  });
}

let epoch = 0;
let passDepth = 0;

/** Runs a check pass: inside it, each memo entry's files are stat'ed at most once. */
export function inSourcesPass<T>(work: () => T): T {
  if (passDepth === 0) epoch++;
  passDepth++;
  try {
    return work();
  } finally {
    passDepth--;
  }
}

interface Entry<V> {
  value: V;
  stamps: SourceStamp[];
  /** The epoch its files were last found unchanged in. */
  verified: number;
}

/**
 * Answers per owner (a kustomization unit) and key, worked out once per workspace revision and
 * reused while the generator files they read are unchanged; a reuse inside another entry's
 * computation passes its files on (noteSources).
 */
export class SourceMemo<K extends object, V> {
  private readonly owners = new WeakMap<K, { workspace: WorkspaceIndex; revision: number; byKey: Map<string, Entry<V>> }>();

  get(workspace: WorkspaceIndex, owner: K, key: string, compute: () => V): V {
    let memo = this.owners.get(owner);
    if (!memo || memo.workspace !== workspace || memo.revision !== workspace.revision) this.owners.set(owner, (memo = { workspace, revision: workspace.revision, byKey: new Map() }));
    const known = memo.byKey.get(key);
    if (known && ((passDepth > 0 && known.verified === epoch) || sourcesUnchanged(known.stamps))) {
      known.verified = epoch;
      noteSources(known.stamps);
      return known.value;
    }
    const { result, stamps } = withSourcesRecorded(compute);
    memo.byKey.set(key, { value: result, stamps, verified: epoch });
    return result;
  }
}
