// The succeeded completion indexes of an Indexed Job as sorted, merged intervals (upstream keeps
// them as orderedIntervals parsed from status.completedIndexes). A Job of 50,000 indexes that
// finish roughly in order stays a handful of intervals, so a sync neither re-sorts every index nor
// walks past the finished ones to find the next index to create.

export class CompletedIndexes {
  private starts: number[] = [];
  private ends: number[] = [];
  private count = 0;
  private text: string | undefined = '';

  static of(indexes: Iterable<number>): CompletedIndexes {
    const set = new CompletedIndexes();
    for (const i of indexes) set.add(i);
    return set;
  }

  get size(): number {
    return this.count;
  }

  clone(): CompletedIndexes {
    const copy = new CompletedIndexes();
    copy.starts = this.starts.slice();
    copy.ends = this.ends.slice();
    copy.count = this.count;
    copy.text = this.text;
    return copy;
  }

  /** This set with every index of `other` added (neither is changed). */
  union(other: CompletedIndexes): CompletedIndexes {
    const out = this.clone();
    for (let k = 0; k < other.starts.length; k++) for (let i = other.starts[k]; i <= other.ends[k]; i++) out.add(i);
    return out;
  }

  has(index: number): boolean {
    const at = this.intervalAtOrBefore(index);
    return at >= 0 && index <= this.ends[at];
  }

  /** Adds a non-negative integer index (anything else is ignored, as the API's parser skips it). */
  add(index: number): void {
    if (!Number.isInteger(index) || index < 0 || this.has(index)) return;
    const at = this.intervalAtOrBefore(index);
    const joinsLeft = at >= 0 && this.ends[at] === index - 1;
    const joinsRight = at + 1 < this.starts.length && this.starts[at + 1] === index + 1;
    if (joinsLeft && joinsRight) {
      this.ends[at] = this.ends[at + 1];
      this.starts.splice(at + 1, 1);
      this.ends.splice(at + 1, 1);
    } else if (joinsLeft) this.ends[at] = index;
    else if (joinsRight) this.starts[at + 1] = index;
    else {
      this.starts.splice(at + 1, 0, index);
      this.ends.splice(at + 1, 0, index);
    }
    this.count++;
    this.text = undefined;
  }

  /** `2,4,5,7-9`: runs of three or more collapse, as status.completedIndexes shows them. */
  compressed(): string {
    if (this.text !== undefined) return this.text;
    const parts: string[] = [];
    for (let k = 0; k < this.starts.length; k++) {
      const from = this.starts[k];
      const to = this.ends[k];
      if (to - from >= 2) parts.push(`${from}-${to}`);
      else for (let i = from; i <= to; i++) parts.push(String(i));
    }
    this.text = parts.join(',');
    return this.text;
  }

  /** The first `limit` indexes below `completions` that are neither completed nor in `skip`, ascending. */
  missing(completions: number, limit: number, skip: ReadonlySet<number | undefined>): number[] {
    const out: number[] = [];
    let k = 0;
    for (let i = 0; i < completions && out.length < limit; i++) {
      while (k < this.starts.length && this.ends[k] < i) k++;
      if (k < this.starts.length && this.starts[k] <= i) {
        i = this.ends[k];
        continue;
      }
      if (!skip.has(i)) out.push(i);
    }
    return out;
  }

  // Position of the last interval starting at or before `index`, -1 when none does.
  private intervalAtOrBefore(index: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= index) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}

/** Parses `2,4,5,7-9` back to indexes (bad parts are skipped, as the controller does). */
export function parseCompletedIndexes(text: string, completions: number): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let i = from; i <= to && i < completions; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}
