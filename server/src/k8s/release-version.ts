// Kubernetes release numbers (`1.35`): parsing and ordering. Numeric, not lexical: 1.100 after 1.99.

/** `1.35`, `v1.35.2`, `1.35.0-eks-1234` -> `1.35`; undefined when the text names no release. */
export function releaseOf(text: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(text.trim());
  return match ? `${Number(match[1])}.${Number(match[2])}` : undefined;
}

export function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}
