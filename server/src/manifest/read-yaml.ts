// YAML that kdry reads for its own use rather than to check it (a cluster file, a scheduler's
// configuration in a ConfigMap, `.kdry/config.yaml`), read as a manifest is: by the fast loader
// where it answers, else by `yaml` within the guards of parse.ts (nesting limit, collection keys,
// goyaml's alias ratio). Such a file may come from the repository as much as a manifest does; read
// without them, a 1 KB line of nested keys took seconds and 100,000 `[` overflowed the stack.
import { fastLoad } from './fast-load';
import { lineOf } from './file-text';
import { readGuarded } from './guarded-parse';
import { splitDocuments } from './split';

export interface YamlDocument {
  /** The document's value; undefined when it could not be read. */
  value: unknown;
  /** Why not: the first error, with its 1-based line in the text. */
  problem?: { message: string; line: number };
}

/** Every document of `text` (split at its `---` lines, as a manifest is). */
export function readYamlDocuments(text: string): YamlDocument[] {
  return splitDocuments(text).map((chunk) => {
    const fast = fastLoad(chunk.source);
    if (fast) return { value: fast.value };
    const { value, problems } = readGuarded(chunk);
    const error = problems.find((p) => p.severity === 'error');
    return error ? { value: undefined, problem: { message: error.message, line: lineOf(text, error.range[0]) } } : { value };
  });
}

