// Canary weight plans as typed by the user.

/** `10, 25,50,100` -> [10, 25, 50, 100]; undefined unless ascending, within 1..100 and ending at 100. */
export function parseWeights(text: string): number[] | undefined {
  const parts = text.split(',').map((p) => p.trim().replace(/%$/, ''));
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) return undefined;
  const weights = parts.map(Number);
  const ascending = weights.every((w, i) => w >= 1 && w <= 100 && (i === 0 || w > weights[i - 1]));
  return ascending && weights[weights.length - 1] === 100 ? weights : undefined;
}
