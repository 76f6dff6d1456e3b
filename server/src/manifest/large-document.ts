// A large document that js-yaml cannot read for a syntax error is not read again by `yaml` in full
// to say where. `yaml` reads a 1 MiB flow sequence on one line in ~1.5 s of CPU (its CST parser
// ~0.9 s, the tree of 150,000 nodes the rest, and their garbage on top) on every keystroke that
// leaves the document broken; js-yaml (the fast loader's reader) stops at the error in ~0.12 s.
// Over the bound the document's problem is js-yaml's first error, at its place, and says so.
// Text js-yaml reads but the fast loader leaves to `yaml` (tags, tabs, repeated keys…) is still
// read by `yaml`, which alone judges it. On 12,600 mutated examples (yaml-corpus.ts) js-yaml threw
// where `yaml` read without error 4 times, each on an empty key (` :` on a line of its own).
import { YAMLException } from 'js-yaml';
import type { ManifestProblem } from './types';
import type { DocumentChunk } from './split';

/** Documents longer than this (UTF-16 units of source) are not read by `yaml` in full when js-yaml finds a syntax error in them. */
export const FULL_READ_MAX_DOCUMENT_BYTES = 256 * 1024;

export function tooLargeToReadInFull(source: string): boolean {
  return source.length > FULL_READ_MAX_DOCUMENT_BYTES;
}

/**
 * js-yaml's parser stops at 100 levels (its `maxDepth`): no syntax error, as Kubernetes reads deeper;
 * `yaml` judges such a document within Kubernetes' nesting limit (nesting-limit.ts).
 */
const JS_YAML_DEPTH_LIMIT = /^nesting exceeded maxDepth/;

/**
 * js-yaml's syntax error in `chunk` as a problem at file offsets; undefined for anything else it
 * threw (its depth limit, a stack overflow).
 */
export function quickSyntaxProblem(chunk: DocumentChunk, error: unknown): ManifestProblem | undefined {
  if (!(error instanceof YAMLException) || !error.mark || JS_YAML_DEPTH_LIMIT.test(error.reason)) return undefined;
  const at = chunk.offset + error.mark.position;
  const kib = (n: number) => Math.round(n / 1024).toLocaleString('en-US');
  return {
    code: 'LARGE_DOCUMENT_SYNTAX',
    message: `${error.reason} (this document is ${kib(chunk.source.length)} KiB; in documents over ${kib(FULL_READ_MAX_DOCUMENT_BYTES)} KiB kdry reports the first syntax error its quick YAML reader finds, without reading the document in full)`,
    range: [at, at + 1],
    severity: 'error',
  };
}

/**
 * Whether the text has top-level `apiVersion:` and `kind:` lines with a value: what a broken
 * document's tree would tell (isKubernetesObject in parse.ts) without building it.
 */
export function looksLikeKubernetes(source: string): boolean {
  return /^apiVersion:[ \t]*\S/m.test(source) && /^kind:[ \t]*\S/m.test(source);
}
