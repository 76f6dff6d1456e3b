// k8s.io/apiserver/pkg/cel/library/semverlib.go: semver(), isSemver() and Semver's accessors
// (Semantic Versioning 2.0.0 as blang/semver's strict Parse reads it; normalize=true accepts a
// leading "v" and a missing minor or patch, as the library's normalizeVersion does).
import { CelScalar, celFunc, celMethod, mapType, type CelFunc, type CelValue } from '@bufbuild/cel';
import { CelLibraryError, opaque, opaqueValue } from './opaque';

const OPAQUE = mapType(CelScalar.STRING, CelScalar.DYN);
const NUMBER = '(0|[1-9]\\d*)';
const IDENT = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)';
const SEMVER = new RegExp(`^${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$`);

interface Semver {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string[];
}

function normalize(text: string): string {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(text);
  if (!m) return text;
  const trim = (n: string | undefined) => (n === undefined ? '0' : n.replace(/^0+(?=\d)/, ''));
  return `${trim(m[1])}.${trim(m[2])}.${trim(m[3])}${m[4]}`;
}

export function parseSemver(text: string, normalized = false): Semver | undefined {
  const m = SEMVER.exec(normalized ? normalize(text) : text);
  if (!m) return undefined;
  return { major: BigInt(m[1]), minor: BigInt(m[2]), patch: BigInt(m[3]), pre: m[4] ? m[4].split('.') : [] };
}

function semverOf(value: CelValue): Semver {
  const text = opaqueValue(value, 'semver');
  const v = text === undefined ? undefined : parseSemver(text);
  if (!v) throw new CelLibraryError('no such overload');
  return v;
}

/** Semver precedence: numbers, then a pre-release sorts before the release, identifiers compared in order. */
export function compareSemver(a: Semver, b: Semver): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (!a.pre.length || !b.pre.length) return Number(!a.pre.length) - Number(!b.pre.length);
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const [x, y] = [a.pre[i], b.pre[i]];
    if (x === y) continue;
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (nx && ny) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(a.pre.length - b.pre.length);
}

function construct(text: string, normalized: boolean) {
  const v = parseSemver(text, normalized);
  if (!v) throw new CelLibraryError(`could not parse semver "${text}"`);
  return opaque('semver', `${v.major}.${v.minor}.${v.patch}${v.pre.length ? `-${v.pre.join('.')}` : ''}`);
}

export const SEMVER_FUNCS: CelFunc[] = [
  celFunc('semver', [CelScalar.STRING], OPAQUE, (text) => construct(text, false)),
  celFunc('semver', [CelScalar.STRING, CelScalar.BOOL], OPAQUE, (text, normalized) => construct(text, normalized)),
  celFunc('isSemver', [CelScalar.STRING], CelScalar.BOOL, (text) => parseSemver(text) !== undefined),
  celFunc('isSemver', [CelScalar.STRING, CelScalar.BOOL], CelScalar.BOOL, (text, normalized) => parseSemver(text, normalized) !== undefined),
  celMethod('major', OPAQUE, [], CelScalar.INT, function () {
    return semverOf(this).major;
  }),
  celMethod('minor', OPAQUE, [], CelScalar.INT, function () {
    return semverOf(this).minor;
  }),
  celMethod('patch', OPAQUE, [], CelScalar.INT, function () {
    return semverOf(this).patch;
  }),
];

export { semverOf };
