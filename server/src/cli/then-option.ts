// `kdry simulate --then 'at=30s,replicas=20'`: an edit of the workload while the run goes on,
// repeatable. Keys: at=DURATION (required: 30, 30s, 2m), replicas=N (kubectl scale),
// image=IMAGE or image=CONTAINER=IMAGE (kubectl set image; the first container by default).
import type { SpecChange } from '../engine';

export const THEN_SYNTAX = "at=DURATION,replicas=N or at=DURATION,image=[CONTAINER=]IMAGE";

export class ThenOptionError extends Error {}

/** `30`, `30s`, `2m`, `1h` -> seconds; undefined for anything else. */
export function seconds(text: string): number | undefined {
  const m = /^(\d{1,7})(s|m|h)?$/.exec(text);
  return m ? Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 's'] : undefined;
}

export function parseThenOptions(values: readonly string[]): SpecChange[] {
  return values.map((value) => {
    const bad = (why: string) => new ThenOptionError(`--then ${value}: ${why} (${THEN_SYNTAX})`);
    const fields = new Map<string, string>();
    for (const part of value.split(',')) {
      const at = part.indexOf('=');
      if (at <= 0) throw bad(`"${part}" is not key=value`);
      const key = part.slice(0, at).trim();
      if (!['at', 'replicas', 'image'].includes(key)) throw bad(`unknown key "${key}"`);
      if (fields.has(key)) throw bad(`${key} is given twice`);
      fields.set(key, part.slice(at + 1).trim());
    }
    const at = fields.get('at');
    if (at === undefined) throw bad('at=DURATION is required');
    const when = seconds(at);
    if (when === undefined) throw bad(`at takes a duration such as 30s or 2m, not "${at}"`);
    const change: SpecChange = { at: when };
    const replicas = fields.get('replicas');
    if (replicas !== undefined) {
      if (!/^\d{1,6}$/.test(replicas)) throw bad(`replicas takes a whole number, not "${replicas}"`);
      change.replicas = Number(replicas);
    }
    const image = fields.get('image');
    if (image !== undefined) {
      // CONTAINER=IMAGE as kubectl set image writes it; an image reference never holds "=".
      const eq = image.indexOf('=');
      const [container, ref] = eq < 0 ? [undefined, image] : [image.slice(0, eq), image.slice(eq + 1)];
      if (ref === '' || container === '') throw bad(`image takes IMAGE or CONTAINER=IMAGE, not "${image}"`);
      change.image = ref;
      if (container !== undefined) change.container = container;
    }
    if (change.replicas === undefined && change.image === undefined) throw bad('say what changes: replicas=N or image=IMAGE');
    return change;
  });
}
