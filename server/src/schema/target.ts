// The Kubernetes release a check is for, and the bundled release whose schemas stand for it.
// A bundled release stands for itself. A newer one is checked against the newest bundled release,
// and a field that release does not know may be one the newer release added: a warning, not an
// error. An older one is checked against the oldest bundled release.
import { BUNDLED_RELEASES, newestRelease } from './bundled-releases';
import { schemaCatalog, type SchemaCatalog } from './catalog';
import { compareVersions, releaseOf } from '../k8s/release-version';

export interface KubernetesTarget {
  /** The release asked for (`1.37`). */
  version: string;
  /** The schemas checked against. */
  catalog: SchemaCatalog;
  /** The release asked for is newer than the newest bundled one. */
  newerThanData: boolean;
  /** The release asked for is older than the oldest bundled one. */
  olderThanData: boolean;
}

const targets = new Map<string, KubernetesTarget>();
/** By the text asked for: a check asks for each document (and some rules again), a release is read once. */
const byText = new Map<string, KubernetesTarget | undefined>();
/** The texts come from settings and files (a version typed key by key): the map is emptied past this many. */
const MAX_REMEMBERED = 64;

/** The target for a release number (`1.31`, `v1.31.4`); undefined when the text names none. */
export function kubernetesTarget(text: string = newestRelease()): KubernetesTarget | undefined {
  let target = byText.get(text);
  if (target === undefined && !byText.has(text)) {
    if (byText.size >= MAX_REMEMBERED) byText.clear();
    byText.set(text, (target = targetOf(text)));
  }
  return target;
}

function targetOf(text: string): KubernetesTarget | undefined {
  const version = releaseOf(text);
  if (!version) return undefined;
  let target = targets.get(version);
  if (target) return target;
  // Any major.minor the text names gets a target (`1.999` too): bounded like byText.
  if (targets.size >= MAX_REMEMBERED) targets.clear();
  const oldest = BUNDLED_RELEASES[0];
  const newest = newestRelease();
  const newerThanData = compareVersions(version, newest) > 0;
  const olderThanData = compareVersions(version, oldest) < 0;
  const bundled = newerThanData ? newest : olderThanData ? oldest : version;
  // A release between two bundled ones cannot exist (they are consecutive), but a gap in the data might.
  const standIn = BUNDLED_RELEASES.includes(bundled) ? bundled : [...BUNDLED_RELEASES].reverse().find((v) => compareVersions(v, bundled) <= 0)!;
  target = { version, catalog: schemaCatalog(standIn), newerThanData, olderThanData };
  targets.set(version, target);
  return target;
}
