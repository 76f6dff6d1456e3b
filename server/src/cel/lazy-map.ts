// A CEL map whose entries are computed when an expression first reads them, as cel-go's
// k8s.io/apiserver/pkg/cel/lazy MapValue does for an admission policy's `variables`
// (admission/plugin/cel/composition.go compositionContext.Variables): a variable no expression
// reads is never evaluated, and one that fails makes only the expressions that read it fail.
// An entry that fails is a CEL error value, so the runtime treats it as cel-go treats an error
// (`variables.bad || true` is true); its SettledError carries the outcome its reader reports.
import { CelScalar, celError, celFunc, celMap, isCelError, mapType, type CelError, type CelFunc, type CelMap, type CelResult, type CelValue } from '@bufbuild/cel';
import { SettledError, type FailedEvaluation } from './settled-error';

/** The CEL error value an entry holds when its outcome is `evaluation`. */
export function settledError(evaluation: FailedEvaluation): CelResult {
  return celError(new SettledError(evaluation));
}

/**
 * The map of `names`, each computed by `resolve` once, when first read. cel-es recognises a map
 * by a marker (isCelMap) that these maps inherit from one empty map: their own methods answer.
 */
export function lazyCelMap(names: readonly string[], resolve: (name: string) => CelResult): CelMap {
  return new LazyCelMap(new Set(names), resolve) as unknown as CelMap;
}

class LazyCelMap {
  private readonly computed = new Map<string, CelResult>();

  constructor(
    private readonly declared: ReadonlySet<string>,
    private readonly resolve: (name: string) => CelResult,
  ) {}

  get size(): number {
    return this.declared.size;
  }

  /** An error travels as the entry's value: the runtime returns what a map holds as it is. */
  get(key: unknown): CelValue | undefined {
    if (typeof key !== 'string' || !this.declared.has(key)) return undefined;
    let value = this.computed.get(key);
    if (value === undefined) {
      value = this.resolve(key);
      this.computed.set(key, value);
    }
    return value as CelValue;
  }

  /**
   * A presence test (`has(variables.x)`): cel-go calls lazy MapValue's Find (interpreter/attributes.go
   * refQualify), which computes the entry; a failed one's error is the test's result, as cel-es
   * returns what this gives. `in` (lazy.go Contains) computes it too: see IN_MAP_FUNCS.
   */
  has(key: unknown): boolean | CelError {
    if (typeof key !== 'string' || !this.declared.has(key)) return false;
    const value = this.get(key);
    return isCelError(value) ? value : true;
  }

  keys(): IterableIterator<string> {
    return this.declared.keys();
  }

  *entries(): IterableIterator<[string, CelValue]> {
    for (const name of this.declared) yield [name, this.get(name)!];
  }

  *values(): IterableIterator<CelValue> {
    for (const name of this.declared) yield this.get(name)!;
  }

  forEach(callback: (value: CelValue, key: string, map: CelMap) => void, thisArg?: unknown): void {
    for (const name of this.declared) callback.call(thisArg, this.get(name)!, name, this as unknown as CelMap);
  }

  [Symbol.iterator](): IterableIterator<[string, CelValue]> {
    return this.entries();
  }
}

Object.setPrototypeOf(LazyCelMap.prototype, celMap(new Map()));

/**
 * `'x' in m` on a string key, in place of cel-es's own overload (same signature, so it replaces
 * it): k8s.io/apiserver/pkg/cel/lazy/lazy.go MapValue.Contains returns the entry's error value
 * itself, so `'v' in variables` fails with the variable's own error (composition.go
 * variableAccessor.Callback: `composited variable "v" fails to evaluate: ...`). cel-es's overload
 * hands that error to toCel, which rewords it "Unsupported input Error: ..."; thrown, the runtime
 * keeps the error value as it is.
 */
export const IN_MAP_FUNCS: CelFunc[] = [
  celFunc('@in', [CelScalar.STRING, mapType(CelScalar.DYN, CelScalar.DYN)], CelScalar.BOOL, (key, map) => {
    const found = (map as CelMap).has(key) as boolean | CelError;
    if (isCelError(found)) throw found;
    return found;
  }),
];
