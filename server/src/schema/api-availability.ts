// Whether the target release serves an apiVersion/kind, and if not, since or until when, and which
// apiVersion serves the kind instead. Bundled releases answer from the data (KIND_RELEASES: kinds
// some releases serve and others do not); older removals from the cited table in removed-apis.ts.
import { BUNDLED_RELEASES } from './bundled-releases';
import { KIND_RELEASES } from './generated/releases';
import { compareVersions } from '../k8s/release-version';
import { REMOVED_APIS, removedApi } from './removed-apis';
import type { KubernetesTarget } from './target';

export type ApiAvailability =
  | {
      served: true;
      /** Built into the release but not served unless the API server enables it (--runtime-config). */
      offByDefault?: 'alpha' | 'beta';
    }
  | {
      served: false;
      /** The release that added it, when the target is older. */
      addedIn?: string;
      /** The release that removed it, when the target is newer. */
      removedIn?: string;
      /** An apiVersion the target serves the kind at, when there is one. */
      replacement?: string;
      note?: string;
    };

/** undefined: kdry knows nothing about this apiVersion/kind (a custom resource, a typo). */
export function apiAvailability(apiVersion: string, kind: string, target: KubernetesTarget): ApiAvailability | undefined {
  const kindKey = `${apiVersion}/${kind}`;
  const catalog = target.catalog;
  if (catalog.servedKind(kindKey)) {
    const offByDefault = /alpha\d*$/.test(apiVersion) ? 'alpha' : betaOffByDefault(apiVersion) ? 'beta' : undefined;
    return offByDefault ? { served: true, offByDefault } : { served: true };
  }
  const releases = Object.hasOwn(KIND_RELEASES, kindKey) ? KIND_RELEASES[kindKey] : undefined;
  const removed = removedApi(apiVersion, kind);
  if (!releases && !removed) return undefined;
  const replacement = servedVersionOf(apiVersion, kind, target) ?? (removed?.replacement && catalog.servedKind(`${removed.replacement}/${kind}`) ? removed.replacement : undefined);
  // A release older than kdry's data still served what was removed after it (extensions/v1beta1 Ingress on 1.18).
  if (removed && compareVersions(target.version, removed.removedIn) < 0) return { served: true };
  if (removed) return { served: false, removedIn: removed.removedIn, replacement, note: removed.note };
  const first = releases![0];
  const last = releases![releases!.length - 1];
  if (compareVersions(target.version, first) < 0) return { served: false, addedIn: first, replacement };
  const removedIn = BUNDLED_RELEASES.find((v) => compareVersions(v, last) > 0);
  // A target newer than kdry's data does not know the kind only if the newest data dropped it.
  return { served: false, removedIn, replacement };
}

/**
 * KEP-3136 (since 1.24): a beta API new since then is off by default. kubernetes/kubernetes
 * pkg/controlplane/instance.go lists them in betaAPIGroupVersionsDisabledByDefault and turns back on
 * only legacyBetaEnabledByDefaultResources, which in 1.29-1.31 (its last release) is
 * flowcontrol.apiserver.k8s.io/v1beta3's FlowSchema and PriorityLevelConfiguration. Every other beta
 * apiVersion the releases 1.29-1.35 build is in the list (admissionregistration, authentication,
 * storage, networking, resource v1beta1/v1beta2, coordination, certificates, storagemigration);
 * past 1.35 kdry assumes the policy holds for any beta it knows.
 */
function betaOffByDefault(apiVersion: string): boolean {
  return /beta\d*$/.test(apiVersion) && apiVersion !== 'flowcontrol.apiserver.k8s.io/v1beta3';
}

/** The apiVersion of the same group the target serves `kind` at: GA first, then beta, then alpha. */
export function servedVersionOf(apiVersion: string, kind: string, target: KubernetesTarget): string | undefined {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const candidates: string[] = [];
  for (const served of target.catalog.release.kinds.values()) {
    if (served.kind !== kind) continue;
    const servedGroup = served.apiVersion.includes('/') ? served.apiVersion.slice(0, served.apiVersion.indexOf('/')) : '';
    if (servedGroup === group) candidates.push(served.apiVersion);
  }
  const rank = (v: string) => (/alpha/.test(v) ? 2 : /beta/.test(v) ? 1 : 0);
  return candidates.sort((a, b) => rank(a) - rank(b) || b.localeCompare(a))[0];
}

/**
 * What Helm's `.Capabilities.APIVersions.Has` answers on a cluster of the target release, for the
 * built-in APIs: `group/version/Kind` when that kind is served, `group/version` when any kind is.
 */
export function servesApi(api: string, target: KubernetesTarget): boolean {
  const kind = /^(.*)\/([A-Z]\w*)$/.exec(api);
  if (kind) return apiAvailability(kind[1], kind[2], target)?.served === true;
  for (const served of target.catalog.release.kinds.values()) if (served.apiVersion === api) return true;
  return REMOVED_APIS.some((r) => r.apiVersion === api && compareVersions(target.version, r.removedIn) < 0);
}
