// k8s.io/apiserver/pkg/cel/library/ip.go and cidr.go: ip(), isIP(), ip.isCanonical(), cidr(),
// isCIDR() and their methods. Parsing follows Go's netip as Kubernetes uses it: no IPv4 octets
// with leading zeros, no zones, and IPv4-mapped IPv6 addresses are refused.
import { isIP } from 'node:net';
import { CelScalar, celFunc, celMethod, mapType, type CelFunc, type CelValue } from '@bufbuild/cel';
import { CelLibraryError, opaque, opaqueKind, opaqueValue } from './opaque';

const OPAQUE = mapType(CelScalar.STRING, CelScalar.DYN);

export interface ParsedIp {
  family: 4 | 6;
  /** 4 or 16 bytes. */
  bytes: number[];
  /** netip.Addr.String(): dotted quad, or RFC 5952 for IPv6. */
  canonical: string;
}

export function parseIp(text: string): ParsedIp | undefined {
  if (isIP(text) === 4) {
    const parts = text.split('.');
    if (parts.some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
    const bytes = parts.map(Number);
    return { family: 4, bytes, canonical: bytes.join('.') };
  }
  if (isIP(text) !== 6 || text.includes('%')) return undefined;
  const canonical = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const bytes = ipv6Bytes(canonical);
  // ::ffff:a.b.c.d: one address with two spellings; Kubernetes refuses it.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return undefined;
  return { family: 6, bytes, canonical };
}

function ipv6Bytes(canonical: string): number[] {
  const [head, tail] = canonical.includes('::') ? canonical.split('::') : [canonical, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const front = groups(head);
  const back = groups(tail);
  const all = tail === undefined ? front : [...front, ...new Array(8 - front.length - back.length).fill(0), ...back];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

export interface ParsedCidr {
  ip: ParsedIp;
  prefix: number;
  canonical: string;
}

export function parseCidr(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9]\d{0,2})$/.test(bits) || Number(bits) > ip.bytes.length * 8) return undefined;
  return { ip, prefix: Number(bits), canonical: `${ip.canonical}/${bits}` };
}

function masked(ip: ParsedIp, prefix: number): ParsedIp {
  const bytes = ip.bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  const canonical = ip.family === 4 ? bytes.join('.') : parseIp(bytesToV6(bytes))!.canonical;
  return { family: ip.family, bytes, canonical };
}

function bytesToV6(bytes: number[]): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return groups.join(':');
}

function contains(cidr: ParsedCidr, ip: ParsedIp): boolean {
  return ip.family === cidr.ip.family && masked(ip, cidr.prefix).canonical === masked(cidr.ip, cidr.prefix).canonical;
}

function ipOf(value: CelValue): ParsedIp {
  const text = typeof value === 'string' ? value : opaqueValue(value, 'ip');
  const ip = text === undefined ? undefined : parseIp(text);
  if (!ip) throw new CelLibraryError(typeof value === 'string' ? `IP Address "${value}" parse error during conversion from string` : 'no such overload');
  return ip;
}

function cidrOf(value: CelValue): ParsedCidr {
  const text = typeof value === 'string' ? value : opaqueValue(value, 'cidr');
  const cidr = text === undefined ? undefined : parseCidr(text);
  if (!cidr) throw new CelLibraryError(typeof value === 'string' ? `network address parse error during conversion from string: invalid CIDR "${value}"` : 'no such overload');
  return cidr;
}

const ipMethod = (name: string, test: (ip: ParsedIp) => boolean) =>
  celMethod(name, OPAQUE, [], CelScalar.BOOL, function () {
    return test(ipOf(this));
  });

const isLoopback = (ip: ParsedIp) => (ip.family === 4 ? ip.bytes[0] === 127 : ip.canonical === '::1');
const isUnspecified = (ip: ParsedIp) => ip.bytes.every((b) => b === 0);
const isLinkLocalMulticast = (ip: ParsedIp) => (ip.family === 4 ? ip.bytes[0] === 224 && ip.bytes[1] === 0 && ip.bytes[2] === 0 : ip.bytes[0] === 0xff && (ip.bytes[1] & 0x0f) === 0x02);
const isLinkLocalUnicast = (ip: ParsedIp) => (ip.family === 4 ? ip.bytes[0] === 169 && ip.bytes[1] === 254 : ip.bytes[0] === 0xfe && (ip.bytes[1] & 0xc0) === 0x80);
const isMulticast = (ip: ParsedIp) => (ip.family === 4 ? ip.bytes[0] >= 224 && ip.bytes[0] < 240 : ip.bytes[0] === 0xff);
/** netip.Addr.IsGlobalUnicast: not unspecified, loopback, multicast, link-local, nor IPv4 broadcast. */
const isGlobalUnicast = (ip: ParsedIp) =>
  !isUnspecified(ip) && !isLoopback(ip) && !isMulticast(ip) && !isLinkLocalUnicast(ip) && !(ip.family === 4 && ip.bytes.every((b) => b === 255));

export const IP_FUNCS: CelFunc[] = [
  celFunc('ip', [CelScalar.STRING], OPAQUE, (text) => opaque('ip', ipOf(text).canonical)),
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (text) => parseIp(text) !== undefined),
  // ip.isCanonical("...") is a function in the `ip` namespace: the parser reads it as a dotted name.
  celFunc('ip.isCanonical', [CelScalar.STRING], CelScalar.BOOL, (text) => ipOf(text).canonical === text),
  celMethod('family', OPAQUE, [], CelScalar.INT, function () {
    return BigInt(ipOf(this).family);
  }),
  ipMethod('isUnspecified', isUnspecified),
  ipMethod('isLoopback', isLoopback),
  ipMethod('isLinkLocalMulticast', isLinkLocalMulticast),
  ipMethod('isLinkLocalUnicast', isLinkLocalUnicast),
  ipMethod('isGlobalUnicast', isGlobalUnicast),
  celFunc('cidr', [CelScalar.STRING], OPAQUE, (text) => opaque('cidr', cidrOf(text).canonical)),
  celFunc('isCIDR', [CelScalar.STRING], CelScalar.BOOL, (text) => parseCidr(text) !== undefined),
  celMethod('containsIP', OPAQUE, [CelScalar.DYN], CelScalar.BOOL, function (ip) {
    return contains(cidrOf(this), ipOf(ip));
  }),
  celMethod('containsCIDR', OPAQUE, [CelScalar.DYN], CelScalar.BOOL, function (other) {
    const outer = cidrOf(this);
    const inner = cidrOf(other);
    return inner.prefix >= outer.prefix && contains(outer, inner.ip);
  }),
  celMethod('ip', OPAQUE, [], OPAQUE, function () {
    return opaque('ip', cidrOf(this).ip.canonical);
  }),
  celMethod('masked', OPAQUE, [], OPAQUE, function () {
    const cidr = cidrOf(this);
    return opaque('cidr', `${masked(cidr.ip, cidr.prefix).canonical}/${cidr.prefix}`);
  }),
  celMethod('prefixLength', OPAQUE, [], CelScalar.INT, function () {
    return BigInt(cidrOf(this).prefix);
  }),
  celFunc('string', [OPAQUE], CelScalar.STRING, (value) => {
    const kind = opaqueKind(value);
    const text = kind === 'ip' || kind === 'cidr' || kind === 'url' ? opaqueValue(value, kind) : undefined;
    if (text === undefined) throw new CelLibraryError('no such overload');
    return text;
  }),
];
