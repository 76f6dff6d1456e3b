// The CEL conformance suite's values (cel.expr.Value, from google/cel-spec, shipped by
// @bufbuild/cel-spec) turned into inputs for kdry's CEL environment, and compared with what it
// returns: ints as bigint, uints as CelUint, lists and maps element by element (map keys of
// either numeric type match as CEL's heterogeneous equality has them), NaN equal to NaN,
// messages (timestamps, durations, test protos) by their protobuf equality.
import { celList, celUint, isCelList, isCelMap, isCelType, isCelUint, type CelInput, type CelValue } from '@bufbuild/cel';
import type { Value } from '@bufbuild/cel-spec/cel/expr/value_pb.js';
import { equals, type Registry } from '@bufbuild/protobuf';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';
import { anyUnpack } from '@bufbuild/protobuf/wkt';

/** A binding of a conformance test as a value kdry's environment takes. */
export function toInput(value: Value, registry: Registry): CelInput {
  const kind = value.kind;
  switch (kind.case) {
    case 'nullValue':
      return null;
    case 'boolValue':
    case 'stringValue':
    case 'doubleValue':
    case 'int64Value':
    case 'bytesValue':
      return kind.value;
    case 'uint64Value':
      return celUint(kind.value);
    case 'listValue':
      return celList(kind.value.values.map((v) => toInput(v, registry)));
    case 'mapValue': {
      const map = new Map<bigint | string | boolean | ReturnType<typeof celUint>, CelInput>();
      for (const entry of kind.value.entries) map.set(toInput(entry.key!, registry) as string, toInput(entry.value!, registry));
      return map;
    }
    case 'objectValue': {
      const message = anyUnpack(kind.value, registry);
      if (!message) throw new Error(`no message type ${kind.value.typeUrl} in the test registry`);
      return message;
    }
    default:
      throw new Error(`unsupported binding kind ${kind.case}`);
  }
}

/** Whether kdry's result equals the expected value. */
export function matches(actual: CelValue, expected: Value, registry: Registry): boolean {
  const kind = expected.kind;
  switch (kind.case) {
    case 'nullValue':
      return actual === null;
    case 'boolValue':
    case 'stringValue':
    case 'int64Value':
      return actual === kind.value;
    case 'doubleValue':
      return typeof actual === 'number' && (Object.is(actual, kind.value) || actual === kind.value || (Number.isNaN(actual) && Number.isNaN(kind.value)));
    case 'uint64Value':
      return isCelUint(actual) && actual.value === kind.value;
    case 'bytesValue':
      return actual instanceof Uint8Array && actual.length === kind.value.length && actual.every((b, i) => b === kind.value[i]);
    case 'listValue': {
      if (!isCelList(actual) || actual.size !== kind.value.values.length) return false;
      const items = [...actual];
      return kind.value.values.every((v, i) => matches(items[i], v, registry));
    }
    case 'mapValue': {
      if (!isCelMap(actual) || actual.size !== kind.value.entries.length) return false;
      return kind.value.entries.every((entry) => {
        const key = toInput(entry.key!, registry) as bigint | string | boolean;
        const found = actual.get(isCelUint(key) ? key : key);
        return found !== undefined && matches(found, entry.value!, registry);
      });
    }
    case 'typeValue':
      return isCelType(actual) && actual.name === kind.value;
    case 'objectValue': {
      const message = anyUnpack(kind.value, registry);
      if (!message || !isReflectMessage(actual)) return false;
      const schema = registry.getMessage(message.$typeName);
      return schema !== undefined && actual.desc.typeName === message.$typeName && equals(schema, actual.message, message);
    }
    default:
      return false;
  }
}
