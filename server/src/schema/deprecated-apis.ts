// apiVersions a release still serves but has deprecated: every request for them gets a `Warning:`
// header, as `kubectl apply` prints it. The text is the API server's: apiserver
// endpoints/deprecation/deprecation.go WarningMessage ("<group/version> <Kind> is deprecated in
// v<deprecated>+[, unavailable in v<removed>+][; use <group/version> <Kind>]"), from each type's
// APILifecycleDeprecated / Removed / Replacement. Only the APIs served by default in the bundled
// releases (1.29 on) are listed; alpha and off-by-default beta APIs get their own note.

export interface DeprecatedApi {
  apiVersion: string;
  kinds: readonly string[];
  deprecatedIn: string;
  /** The first release that no longer serves it, when one is planned. */
  removedIn?: string;
  /** apiVersion and kind to use instead; the kind is the same one unless given. */
  replacement?: { apiVersion: string; kind?: string };
}

export const DEPRECATED_APIS: readonly DeprecatedApi[] = [
  // KEP-4974: v1.Endpoints APILifecycleDeprecated 1.33, replacement discovery.k8s.io/v1 EndpointSlice;
  // never removed (the API guarantees keep it).
  { apiVersion: 'v1', kinds: ['Endpoints'], deprecatedIn: '1.33', replacement: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' } },
  // flowcontrol/v1beta3 zz_generated.prerelease-lifecycle.go: introduced 1.26, deprecated 1.29, removed 1.32.
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], deprecatedIn: '1.29', removedIn: '1.32', replacement: { apiVersion: 'flowcontrol.apiserver.k8s.io/v1' } },
];

/** The deprecated API entry for this apiVersion and kind, whether or not the release has deprecated it yet. */
export function deprecatedApi(apiVersion: string, kind: string): DeprecatedApi | undefined {
  return DEPRECATED_APIS.find((api) => api.apiVersion === apiVersion && api.kinds.includes(kind));
}

/** The API server's warning text: `v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice`. */
export function deprecationWarning(api: DeprecatedApi, kind: string): string {
  const removed = api.removedIn ? `, unavailable in v${api.removedIn}+` : '';
  const use = api.replacement ? `; use ${api.replacement.apiVersion} ${api.replacement.kind ?? kind}` : '';
  return `${api.apiVersion} ${kind} is deprecated in v${api.deprecatedIn}+${removed}${use}`;
}
