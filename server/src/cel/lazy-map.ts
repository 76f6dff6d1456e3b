// A CEL map whose entries are computed when an expression first reads them, as cel-go's
// k8s.io/apiserver/pkg/cel/lazy MapValue does for an admission policy's `variables`
// (admission/plugin/cel/composition.go compositionContext.Variables): a variable no expression
// reads is never evaluated, and one that fails makes only the expressions that read it fail.
// An entry that fails is a CEL error value, so the runtime treats it as cel-go treats an error
// (`variables.bad || true` is true); its SettledError carries the outcome its reader reports.
import { celError, celMap, type CelMap, type CelResult, type CelValue } from '@bufbuild/cel';
import { SettledError, type FailedEvaluation } from './settled-error';

/** The CEL error value an entry holds when its outcome is `evaluation`. */
export function settledError(evaluation: FailedEvaluation): CelResult {
  return celError(new SettledError(evaluation));
}

/**
 * The map of `names`, each computed by `resolve` once, when first read. cel-es recognises a map
 * by its marker (isCelMap), which this object inherits from an empty map: its own methods answer.
 */
export function lazyCelMap(names: readonly string[], resolve: (name: string) => CelResult): CelMap {
  const declared = new Set(names);
  const values = new Map<string, CelResult>();
  // An error travels as the entry's value: the runtime returns what a map holds as it is.
  const get = (key: unknown): CelValue | undefined => {
    if (typeof key !== 'string' || !declared.has(key)) return undefined;
    let value = values.get(key);
    if (value === undefined) {
      value = resolve(key);
      values.set(key, value);
    }
    return value as CelValue;
  };
  const lazy: Partial<CelMap> = {
    get size() {
      return declared.size;
    },
    get,
    has: (key) => typeof key === 'string' && declared.has(key),
    keys: () => declared.keys(),
    *entries(): MapIterator<[string, CelValue]> {
      for (const name of declared) yield [name, get(name)!];
      return undefined;
    },
    *values(): MapIterator<CelValue> {
      for (const name of declared) yield get(name)!;
      return undefined;
    },
    forEach(callback, thisArg) {
      for (const name of declared) callback.call(thisArg, get(name)!, name, lazy as CelMap);
    },
    [Symbol.iterator]() {
      return (lazy as CelMap).entries();
    },
  };
  return Object.create(celMap(new Map()), Object.getOwnPropertyDescriptors(lazy)) as CelMap;
}
