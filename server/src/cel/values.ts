// Manifest values as CEL sees them through a structural schema (k8s.io/apiserver/pkg/cel/common
// UnstructuredToVal): objects become maps, `integer` fields CEL int (64-bit, here bigint), `number`
// fields double even when written `1`, int-or-string and schemaless values by what they hold,
// strings of format byte, duration, date and date-time bytes, durations and timestamps.
import type { CelInput } from '@bufbuild/cel';
import { propertySchema, type StructuralSchema } from '../k8s/structural-schema';
import { formattedToCel } from './format-values';
import { celAtomicList, celObject, typedCelList } from './list-types';

/** Set while converting when a set or map list was made below: its containers compare member by member (list-types.ts). */
let typedBelow = false;

export function toCel(value: unknown, schema?: StructuralSchema): CelInput {
  typedBelow = false;
  return convert(value, schema);
}

function convert(value: unknown, schema: StructuralSchema | undefined): CelInput {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (schema?.type === 'number') return value;
    // Past 2^53 the YAML parser has already rounded the digits; the value stays an int all the same.
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (typeof value === 'string') return schema?.type === 'string' ? ((formattedToCel(value, schema.format) as CelInput | undefined) ?? value) : value;
  if (typeof value === 'boolean') return value;
  if (!schema) return Array.isArray(value) ? value.map((item) => convert(item, undefined)) : new Map(Object.entries(value).map(([key, child]) => [key, convert(child, undefined)]));
  const outer = typedBelow;
  typedBelow = false;
  let out: CelInput;
  if (Array.isArray(value)) {
    const items = value.map((item) => convert(item, schema.items));
    const typed = typedCelList(items, schema['x-kubernetes-list-type'], schema['x-kubernetes-list-map-keys']);
    out = typed ?? celAtomicList(items, typedBelow);
    typedBelow ||= typed !== undefined;
  } else {
    const map = new Map<string, CelInput>();
    for (const [key, child] of Object.entries(value)) map.set(key, convert(child, propertySchema(schema, key)));
    out = celObject(map, typedBelow);
  }
  typedBelow ||= outer;
  return out;
}
