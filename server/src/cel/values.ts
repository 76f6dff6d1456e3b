// Manifest values as CEL sees them through a structural schema (k8s.io/apiserver/pkg/cel/common
// UnstructuredToVal): objects become maps, `integer` fields CEL int (64-bit, here bigint), `number`
// fields double even when written `1`, int-or-string and schemaless values by what they hold,
// strings of format byte, duration, date and date-time bytes, durations and timestamps.
import type { CelInput } from '@bufbuild/cel';
import { propertySchema, type StructuralSchema } from '../k8s/structural-schema';
import { formattedToCel } from './format-values';
import { typedCelList } from './list-types';

export function toCel(value: unknown, schema?: StructuralSchema): CelInput {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (schema?.type === 'number') return value;
    // Past 2^53 the YAML parser has already rounded the digits; the value stays an int all the same.
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (typeof value === 'string') return schema?.type === 'string' ? ((formattedToCel(value, schema.format) as CelInput | undefined) ?? value) : value;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => toCel(item, schema?.items));
    return (schema && typedCelList(items, schema['x-kubernetes-list-type'], schema['x-kubernetes-list-map-keys'])) ?? items;
  }
  const map = new Map<string, CelInput>();
  for (const [key, child] of Object.entries(value)) map.set(key, toCel(child, schema ? propertySchema(schema, key) : undefined));
  return map;
}
