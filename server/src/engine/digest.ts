// The digest of folded instants: a long CronJob window would otherwise be one step per Job event
// (two or more per run, 200,000 for a year of `*/5`). Past the first day the recorder folds the
// instants of each day into one step, whose events count what happened in the folded instants,
// grouped by message pattern (the message with its object names left out), so nothing is lost
// silently and a year stays a few hundred steps.
import type { TimelineEvent } from './types';

interface FoldedGroup {
  type: 'Normal' | 'Warning';
  object: string;
  /** False once the group holds events of several objects of the kind (shown as `kind/*`). */
  oneObject: boolean;
  pattern: string;
  count: number;
  latest: string;
}

/**
 * A word that names an object or a number: it holds a digit or a slash (default/web, worker-1,
 * 42), or is lowercase words joined by dashes or dots (web-frontend).
 */
function nameLike(word: string): boolean {
  let joined = false;
  let lowercase = true;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 47) return true; // 0-9, '/'
    if (c === 45 || c === 46) {
      // '-' or '.' between two lowercase runs
      if (i === 0 || i === word.length - 1) lowercase = false;
      joined = true;
    } else if (c < 97 || c > 122) lowercase = false;
  }
  return joined && lowercase;
}

/** The message with names replaced by `…`: `Created job …`, `Successfully assigned … to …`. */
export function eventPattern(message: string): string {
  const words = message.split(' ');
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const last = word.charCodeAt(word.length - 1);
    const punctuated = last === 58 || last === 44 || last === 59; // ':' ',' ';'
    const bare = punctuated ? word.slice(0, -1) : word;
    if (bare !== '' && nameLike(bare)) words[i] = punctuated ? `…${word[word.length - 1]}` : '…';
  }
  return words.join(' ');
}

function kindOf(object: string): string {
  const slash = object.indexOf('/');
  return slash < 0 ? object : object.slice(0, slash);
}

/** Counts of the events of folded instants, by type, object kind and pattern. */
export class EventDigest {
  private groups = new Map<string, FoldedGroup>();
  private instants = 0;
  private from: number | undefined;

  /** No instant folded since the last take(). */
  get empty(): boolean {
    return this.instants === 0;
  }

  /** Fold one instant at `time` (relative to the timeline's origin); only the events' type, object and message count. */
  add(time: number, events: readonly TimelineEvent[]): void {
    this.instants++;
    this.from ??= time;
    for (const e of events) {
      const pattern = eventPattern(e.message);
      const key = `${e.type}\n${kindOf(e.object)}\n${pattern}`;
      const group = this.groups.get(key);
      if (group) {
        group.count++;
        group.latest = e.message;
        if (group.object !== e.object) group.oneObject = false;
      } else {
        this.groups.set(key, { type: e.type, object: e.object, oneObject: true, pattern, count: 1, latest: e.message });
      }
    }
  }

  /** The digest as events at `time` (one per group, in first-seen order), and a fresh start. */
  take(time: number): TimelineEvent[] {
    const span = this.from === undefined ? '' : ` between t=${this.from} s and t=${time} s`;
    const events: TimelineEvent[] = [];
    for (const g of this.groups.values()) {
      events.push({
        time,
        object: g.oneObject ? g.object : `${kindOf(g.object)}/*`,
        message: `${g.count}× ${g.pattern}${span} (folded; latest: ${g.latest})`,
        type: g.type,
      });
    }
    this.groups = new Map();
    this.instants = 0;
    this.from = undefined;
    return events;
  }
}
