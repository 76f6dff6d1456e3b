// The CEL environment of a Kubernetes release, as data (k8s.io/apiserver/pkg/cel/environment/base.go,
// baseOptsWithoutStrictCost, read on the release-1.29 ... release-1.36 branches and master for 1.37):
// each library with the release that introduced it (IntroducedVersion) and, where a newer version
// replaced it, the release that removed it (RemovedVersion), and the functions and macros it declares
// (library/library_compatibility_test.go lists the Kubernetes libraries' functions by release).
//
// Which releases' libraries an expression may use depends on whether it is new or stored
// (environment/environment.go, EnvSet):
// - NewExpressions: an expression being written (a CRD created, or a rule changed) is compiled in the
//   environment of the compatibility version, DefaultCompatibilityVersion(): the effective version's
//   MinCompatibilityVersion, which is the binary's release minus one (component-base compatibility,
//   binaryVersion.SubtractMinor(1); hard-coded 1.28 in 1.29 and 1.29 in 1.30). So a library reaches
//   new expressions one release after the API server first knows it: the lists extension came in 1.34,
//   and a 1.34 API server still refuses a new CRD whose rule calls `sort()`; a 1.35 one accepts it.
//   This is so that the release before can still run what was stored (rollback).
// - StoredExpressions: an expression already stored (a custom resource checked against its CRD) is
//   compiled with every option of the binary that no newer version removed (filterAndBuildOpts with
//   the maximum version).
// Worked example: a rule with `self.sort()` in a CRD applied to 1.34 is refused (new: 1.33 libraries),
// while on 1.35 it is accepted, and a custom resource of a CRD a 1.34 cluster has stored runs it.
// `string(ip)` and `string(cidr)` are overloads of the standard `string`, always declared.
// Options that are language settings (optional types, cross-type numeric comparisons, 1.28) and the
// authorizer libraries (no authorizer in CRD rules) are not listed: every release kdry targets
// (1.29 and later, so new expressions from 1.28) has the former, CRD rules never the latter.
import { compareVersions } from '../k8s/release-version';

export interface CelLibraryVersion {
  /** base.go's option, as written there. */
  option: string;
  introduced: string;
  removed?: string;
  /** Functions by the name cel-go looks up: global (`semver`), namespaced (`sets.contains`) or member (`sort`). */
  functions: readonly string[];
  /** Macros it adds: `all`/`exists`/`existsOne` with two variables, `sortBy`. */
  macros?: readonly CelMacro[];
  /** cel-go's literal validators (cel.ASTValidators; literal-validators.ts). */
  validatesLiterals?: boolean;
}

export type CelMacro = 'twoVariableComprehensions' | 'sortBy';

const FORMAT_NAMES = ['dns1123Label', 'dns1123Subdomain', 'dns1035Label', 'qualifiedName', 'dns1123LabelPrefix', 'dns1123SubdomainPrefix', 'dns1035LabelPrefix', 'labelValue', 'uri', 'uuid', 'byte', 'date', 'datetime'];
const KUBERNETES_LISTS = ['isSorted', 'sum', 'max', 'min', 'indexOf', 'lastIndexOf'];
const STRINGS_V0 = ['charAt', 'indexOf', 'lastIndexOf', 'lowerAscii', 'upperAscii', 'replace', 'split', 'substring', 'trim', 'join'];

export const CEL_LIBRARY_VERSIONS: readonly CelLibraryVersion[] = [
  { option: 'library.URLs', introduced: '1.0', functions: ['url', 'isURL', 'getScheme', 'getHost', 'getHostname', 'getPort', 'getEscapedPath', 'getQuery'] },
  { option: 'library.Regex', introduced: '1.0', functions: ['find', 'findAll'] },
  // master (1.37): library.Lists(ListsVersion(0)) removed at 1.37, ListsVersion(1) adds `includes`.
  { option: 'library.Lists(0)', introduced: '1.0', removed: '1.37', functions: KUBERNETES_LISTS },
  { option: 'library.Lists(1)', introduced: '1.37', functions: [...KUBERNETES_LISTS, 'includes'] },
  // "add the new validator in 1.29": compile errors for a bad duration, timestamp or regex literal and mixed-type list and map literals.
  { option: 'cel.ASTValidators(cel.ValidateDurationLiterals(), cel.ValidateTimestampLiterals(), cel.ValidateRegexLiterals(), cel.ValidateHomogeneousAggregateLiterals())', introduced: '1.29', functions: [], validatesLiterals: true },
  { option: 'library.Quantity', introduced: '1.28', functions: ['quantity', 'isQuantity', 'add', 'sub', 'asApproximateFloat', 'asInteger', 'compareTo', 'isGreaterThan', 'isInteger', 'isLessThan', 'sign'] },
  // cel-go ext/strings.go: `format` and `strings.quote` are "Introduced at version: 1".
  { option: 'ext.Strings(ext.StringsVersion(0))', introduced: '1.0', removed: '1.29', functions: STRINGS_V0 },
  { option: 'ext.Strings(ext.StringsVersion(2))', introduced: '1.29', functions: [...STRINGS_V0, 'format', 'strings.quote'] },
  { option: 'ext.Sets()', introduced: '1.29', functions: ['sets.contains', 'sets.equivalent', 'sets.intersects'] },
  { option: 'library.IP', introduced: '1.30', functions: ['ip', 'family', 'isUnspecified', 'isLoopback', 'isLinkLocalMulticast', 'isLinkLocalUnicast', 'isGlobalUnicast', 'ip.isCanonical', 'isIP'] },
  { option: 'library.CIDR', introduced: '1.30', functions: ['cidr', 'containsIP', 'containsCIDR', 'masked', 'prefixLength', 'isCIDR', 'ip'] },
  { option: 'library.Format', introduced: '1.31', functions: ['format.named', 'validate', ...FORMAT_NAMES.map((n) => `format.${n}`)] },
  { option: 'ext.TwoVarComprehensions()', introduced: '1.32', functions: ['transformList', 'transformMap', 'transformMapEntry'], macros: ['twoVariableComprehensions'] },
  { option: 'library.SemverLib(library.SemverVersion(1))', introduced: '1.33', functions: ['semver', 'isSemver', 'major', 'minor', 'patch', 'compareTo', 'isGreaterThan', 'isLessThan'] },
  // kubernetes/kubernetes#131700; cel-go ext/lists.go.
  { option: 'ext.Lists(ext.ListsVersion(3))', introduced: '1.34', functions: ['slice', 'flatten', 'sort', 'reverse', 'distinct', 'lists.range'], macros: ['sortBy'] },
];

/** Every function some release declares: the ones whose absence kdry can tell. */
const KNOWN_FUNCTIONS: ReadonlySet<string> = new Set(CEL_LIBRARY_VERSIONS.flatMap((l) => l.functions));

export type ExpressionKind = 'new' | 'stored';

export interface CelEnvironment {
  /** `1.34 (new expressions: 1.33 libraries)`: for messages and cache keys. */
  readonly key: string;
  readonly release: string;
  readonly kind: ExpressionKind;
  /** The release whose libraries it has: the release itself for stored expressions, the one before for new ones. */
  readonly compatibility: string;
  declares(fn: string): boolean;
  has(macro: CelMacro): boolean;
  /** Whether cel-go's duration, timestamp and regex literal validators run after the type check (from 1.29). */
  readonly validatesLiterals: boolean;
  /**
   * How mixed-type list and map literals are refused: base.go's 1.0 options have
   * cel.HomogeneousAggregateLiterals(), which from the cel-go of 1.29 (v0.17) is the validator, so
   * every expression of a 1.29 or later binary gets it, new or stored; in the cel-go of 1.28 and
   * before (v0.16) it was a checker feature that joins the elements (literal-validators.ts
   * checkerAggregateErrors).
   */
  readonly homogeneousLiterals: 'validator' | 'checker';
  /** The library that declares `fn` and the release it came in, when this environment lacks it. */
  missing(fn: string): CelLibraryVersion | undefined;
  missingMacro(macro: CelMacro): CelLibraryVersion | undefined;
}

const environments = new Map<string, CelEnvironment>();

/** DefaultCompatibilityVersion() of a release's API server: its MinCompatibilityVersion, one minor back. */
export function compatibilityVersionOf(release: string): string {
  const [major, minor] = release.split('.').map(Number);
  return `${major}.${Math.max(0, minor - 1)}`;
}

/** The environment a release's API server compiles `kind` expressions in. */
export function celEnvironment(release: string, kind: ExpressionKind): CelEnvironment {
  const key = `${release}/${kind}`;
  let env = environments.get(key);
  if (!env) {
    env = build(release, kind);
    environments.set(key, env);
  }
  return env;
}

function build(release: string, kind: ExpressionKind): CelEnvironment {
  const compatibility = kind === 'new' ? compatibilityVersionOf(release) : release;
  // filterAndBuildOpts: introduced at or before the compatibility version, not removed at or before it.
  // Stored expressions get what the binary has: introduced by its release, not removed by it.
  const active = CEL_LIBRARY_VERSIONS.filter((l) => compareVersions(compatibility, l.introduced) >= 0 && (l.removed === undefined || compareVersions(compatibility, l.removed) < 0));
  const functions = new Set(active.flatMap((l) => l.functions));
  const macros = new Set(active.flatMap((l) => l.macros ?? []));
  const newest = (pick: (l: CelLibraryVersion) => boolean) => CEL_LIBRARY_VERSIONS.filter(pick).find((l) => l.removed === undefined);
  return {
    key: `${release}/${kind}`,
    release,
    kind,
    compatibility,
    declares: (fn) => functions.has(fn),
    has: (macro) => macros.has(macro),
    validatesLiterals: active.some((l) => l.validatesLiterals === true),
    homogeneousLiterals: compareVersions(release, '1.29') >= 0 ? 'validator' : 'checker',
    missing: (fn) => (KNOWN_FUNCTIONS.has(fn) && !functions.has(fn) ? newest((l) => l.functions.includes(fn)) : undefined),
    missingMacro: (macro) => (macros.has(macro) ? undefined : newest((l) => l.macros?.includes(macro) === true)),
  };
}

/** Why `fn` (or the macro) is not there, in the release's terms. */
export function absenceReason(env: CelEnvironment, name: string, library: CelLibraryVersion): string {
  const since = env.kind === 'new'
    ? `a new rule compiles in the environment of Kubernetes ${env.compatibility} (DefaultCompatibilityVersion, one release back), and ${library.option} is there from ${library.introduced}, so new rules may use it from ${nextRelease(library.introduced)}`
    : `${library.option} comes in Kubernetes ${library.introduced}`;
  return `${name} is not in the CEL environment of Kubernetes ${env.release}: ${since}`;
}

function nextRelease(release: string): string {
  const [major, minor] = release.split('.').map(Number);
  return `${major}.${minor + 1}`;
}
