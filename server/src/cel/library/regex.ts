// k8s.io/apiserver/pkg/cel/library/regex.go: string.find(regex) and string.findAll(regex[, limit]).
// The pattern must be valid RE2 (as Go's regexp requires); matching then runs on JavaScript's
// engine, which agrees with RE2 on the syntax RE2 accepts.
import { CelScalar, celMethod, type CelFunc } from '@bufbuild/cel';
import { RE2JS } from '@bufbuild/re2';
import { CelLibraryError } from './opaque';

const compiled = new Map<string, RegExp>();

function regexOf(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re) return re;
  try {
    RE2JS.compile(pattern);
    re = new RegExp(pattern, 'gu');
  } catch (err) {
    throw new CelLibraryError(`error parsing regexp: ${(err as Error).message}`);
  }
  compiled.set(pattern, re);
  return re;
}

function findAll(text: string, pattern: string, limit: bigint): string[] {
  const re = regexOf(pattern);
  const out: string[] = [];
  if (limit === 0n) return out;
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) {
    out.push(m[0]);
    if (limit > 0n && BigInt(out.length) >= limit) break;
  }
  return out;
}

export const REGEX_FUNCS: CelFunc[] = [
  celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (pattern) {
    return findAll(this, pattern, 1n)[0] ?? '';
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], CelScalar.DYN, function (pattern) {
    return findAll(this, pattern, -1n);
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], CelScalar.DYN, function (pattern, limit) {
    return findAll(this, pattern, limit);
  }),
];
