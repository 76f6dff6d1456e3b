// A fresh name for a renamed duplicate: `<name>-2`, `<name>-3`, ... not already taken.
export function uniqueName(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let i = 2; ; i++) {
    const candidate = `${name}-${i}`;
    if (!used.has(candidate)) return candidate;
  }
}
