// Fresh names for renamed duplicates: `<name>-2`, `<name>-3`, ... Each name handed out is taken,
// so several duplicates of one name get distinct suggestions and applying every fix leaves none.
export class FreshNames {
  private readonly taken: Set<string>;
  /** Per name, the suffix to try next: many duplicates of one name cost one step each. */
  private readonly next = new Map<string, number>();

  constructor(taken: Iterable<string>) {
    this.taken = new Set(taken);
  }

  for(name: string): string {
    for (let i = this.next.get(name) ?? 2; ; i++) {
      const candidate = `${name}-${i}`;
      if (this.taken.has(candidate)) continue;
      this.taken.add(candidate);
      this.next.set(name, i + 1);
      return candidate;
    }
  }
}
