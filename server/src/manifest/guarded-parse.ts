// A document's text read by `yaml` within the guards Kubernetes' YAML reader has: the nesting
// limit (nesting-limit.ts), no map or list as a key (collection-key.ts), goyaml's alias ratio
// (alias-ratio.ts), repeated keys (duplicate-keys.ts). Every parse of a manifest that the fast
// loaders decline comes here (parse.ts), and so does YAML kdry reads for itself (read-yaml.ts).
import { isAlias, isMap, isScalar, isSeq, visit, type Document, type YAMLError } from 'yaml';
import type { ManifestProblem, Offsets } from './types';
import type { DocumentChunk } from './split';
import { collectionKey, COLLECTION_KEY_MESSAGE } from './collection-key';
import { EXCESSIVE_ALIASING, excessiveAliasing } from './alias-ratio';
import { duplicateKeys } from './duplicate-keys';
import { parseDocumentWithin, TOO_DEEP_MESSAGE } from './nesting-limit';
import { YAML_PARSE_OPTIONS } from './yaml-options';
import { treeValue } from './tree-value';

/** `chunk` read within the guards (see the top of this file): problems at file offsets, no value when there is an error. */
export function readGuarded(chunk: DocumentChunk): { yaml: Document.Parsed; value: unknown; problems: ManifestProblem[] } {
  const yaml = parseYaml(chunk.source);
  const problems = yamlProblems(yaml, chunk.offset);
  let value: unknown;
  const badKey = yaml.errors.length === 0 ? collectionKey(yaml) : undefined;
  if (badKey) problems.push({ code: 'INVALID_MAP_KEY', message: COLLECTION_KEY_MESSAGE, range: [chunk.offset + badKey[0], chunk.offset + badKey[1]], severity: 'error' });
  else if (yaml.errors.length === 0) {
    try {
      value = documentValue(yaml);
    } catch (err) {
      problems.push(valueProblem(yaml, chunk, err));
    }
  }
  return { yaml, value, problems };
}

/** What `yaml` reports on a text that stands at file offset `offset`: its errors, warnings and repeated keys, in text order. */
export function yamlProblems(yaml: Document.Parsed, offset: number): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const e of yaml.errors) problems.push(toProblem(e, offset, 'error'));
  for (const w of yaml.warnings) problems.push(toProblem(w, offset, 'warning'));
  for (const { key, repeats } of duplicateKeys(yaml)) {
    const [start, end] = repeats[0];
    const times = repeats.length === 1 ? '' : ` (\`${key.length > 60 ? `${key.slice(0, 60)}…` : key}\` is written ${(repeats.length + 1).toLocaleString('en-US')} times in this map)`;
    problems.push({ code: 'DUPLICATE_KEY', message: `Map keys must be unique${times}`, range: [offset + start, offset + end], severity: 'error' });
  }
  return problems.sort((a, b) => a.range[0] - b.range[0]);
}

/**
 * How every document is parsed: YAML 1.2 core schema as the API server's decoder reads it, strict,
 * and `<<` merge keys expanded (kubectl and the API server expand them). Duplicate keys are an
 * error too, found by duplicate-keys.ts rather than the library's quadratic check.
 */
export function parseYaml(source: string): Document.Parsed {
  return parseDocumentWithin(source, YAML_PARSE_OPTIONS);
}

/** The document's value (tree-value.ts, toJS without its quadratic alias lookup); alias bombs are refused by goyaml's rule first (alias-ratio.ts). */
export function documentValue(yaml: Document.Parsed): unknown {
  if (excessiveAliasing(yaml)) throw new Error(EXCESSIVE_ALIASING);
  return treeValue(yaml);
}

/** Why the document has no value: a merge key on something that is not a map, or too many aliases. */
function valueProblem(yaml: Document.Parsed, chunk: DocumentChunk, err: unknown): ManifestProblem {
  const reason = err instanceof Error ? err.message : String(err);
  const firstLine: Offsets = [chunk.offset, chunk.offset + Math.min(chunk.source.length, firstLineLength(chunk.source))];
  if (/merge/i.test(reason)) {
    const key = badMergeKey(yaml);
    return {
      code: 'BAD_MERGE',
      message: 'A merge key (`<<`) takes a map, an alias of a map, or a list of those; the document is not validated further.',
      range: key ? [chunk.offset + key[0], chunk.offset + key[1]] : firstLine,
      severity: 'error',
    };
  }
  return {
    code: 'ALIAS_LIMIT',
    message: `YAML aliases expand to too many nodes, as Kubernetes' YAML reader counts them (${reason}); the document is not validated further.`,
    range: firstLine,
    severity: 'error',
  };
}

/** The first `<<` key whose value is not a map or an alias (a list of them is checked by yaml itself). */
function badMergeKey(yaml: Document.Parsed): Offsets | undefined {
  let found: Offsets | undefined;
  visit(yaml, {
    Pair(_, pair) {
      const mergeable = (n: unknown) => isMap(n) || isAlias(n);
      if (isScalar(pair.key) && pair.key.source === '<<' && pair.key.range && !(mergeable(pair.value) || (isSeq(pair.value) && pair.value.items.every(mergeable)))) {
        found = [pair.key.range[0], pair.key.range[1]];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function toProblem(e: YAMLError, offset: number, severity: 'error' | 'warning'): ManifestProblem {
  const [start, end] = e.pos;
  // The parser's own words when it runs out of stack are "Maximum call stack size exceeded": say what it means.
  const message = e.code === 'RESOURCE_EXHAUSTION' && e.message !== TOO_DEEP_MESSAGE ? 'This YAML nests too deeply to be read (the parser ran out of stack here); no manifest needs that many levels, so the document is not checked' : e.message.split('\n')[0];
  return { code: e.code, message, range: [offset + start, offset + Math.max(end, start + 1)], severity };
}

function firstLineLength(s: string): number {
  const nl = s.indexOf('\n');
  return nl < 0 ? s.length : nl;
}
