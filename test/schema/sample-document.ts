// Documents generated from a release's schema: the smallest object the schema accepts (every
// required field, recursively, with a value of its type, enum and format), for fixtures of every kind.
import { stringify } from 'yaml';
import type { SchemaCatalog } from '../../server/src/schema';
import type { RawSchema } from '../../server/src/schema/raw-schema';

const FORMAT_SAMPLES: Record<string, unknown> = {
  quantity: '1',
  'int-or-percent': '10%',
  'int-or-port-name': 'http',
  'date-time': '2025-01-31T12:00:00Z',
  byte: 'a2Ry',
};

export function sampleValue(catalog: SchemaCatalog, node: RawSchema, depth = 0): unknown {
  const schema = catalog.resolve(node);
  if (schema.enum?.length) return schema.enum.find((v) => v !== '') ?? schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (schema.format && FORMAT_SAMPLES[schema.format] !== undefined && (type === 'string' || Array.isArray(schema.type))) return FORMAT_SAMPLES[schema.format];
  switch (type) {
    case 'string':
      return 'x';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 12 || !schema.items ? [] : [sampleValue(catalog, schema.items, depth + 1)];
    default: {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) out[name] = sampleValue(catalog, schema.properties![name], depth + 1);
      return out;
    }
  }
}

/** The smallest valid document of `kindKey` in the catalog's release, as YAML. */
export function sampleDocument(catalog: SchemaCatalog, kindKey: string): string {
  const served = catalog.servedKind(kindKey)!;
  const body = sampleValue(catalog, catalog.kindSchema(kindKey)!) as Record<string, unknown>;
  const { apiVersion: _a, kind: _k, metadata, ...rest } = body;
  return stringify({ apiVersion: served.apiVersion, kind: served.kind, metadata: { name: 'sample', ...(metadata as object) }, ...rest });
}
