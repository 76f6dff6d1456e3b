// Kubernetes release numbers (`1.35`): parsing and ordering. Numeric, not lexical: 1.100 after 1.99.

/** `1.35`, `v1.35.2`, `1.35.0-eks-1234` -> `1.35`; undefined when the text names no release. */
export function releaseOf(text: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(text.trim());
  return match ? `${Number(match[1])}.${Number(match[2])}` : undefined;
}

export function compareVersions(a: string, b: string): number {
  const [am, an] = parts(a);
  const [bm, bn] = parts(b);
  return am - bm || an - bn;
}

/**
 * Major and minor of a release, parsed once per text: rules compare the release in force with
 * feature-gate stages for every document (a few dozen distinct texts in all), and splitting them
 * each time was a tenth of api-server-warnings' time on a 1,000-document file.
 */
function parts(version: string): readonly [number, number] {
  let parsed = parsedVersions.get(version);
  if (!parsed) {
    const [major, minor] = version.split('.').map(Number);
    parsed = [major, minor];
    if (parsedVersions.size < 1000) parsedVersions.set(version, parsed);
  }
  return parsed;
}

const parsedVersions = new Map<string, readonly [number, number]>();
