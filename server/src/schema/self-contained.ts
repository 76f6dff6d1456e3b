// One kind's schema as a self-contained JSON Schema file (draft-07, the definitions it reaches
// inlined under `definitions`), for tools that take a schema file, such as yaml-language-server.
import type { RawSchema, SchemaCatalog } from './catalog';
import { DEFINITION_REF_PREFIX } from './raw-schema';

export function selfContainedSchema(structural: SchemaCatalog, kindKey: string): Record<string, unknown> | undefined {
  const catalog = structural.described;
  const root = catalog.kindSchema(kindKey);
  if (!root) return undefined;
  const definitions: Record<string, RawSchema> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(DEFINITION_REF_PREFIX)) {
        const name = value.slice(DEFINITION_REF_PREFIX.length);
        const target = catalog.definition(name);
        if (target && !definitions[name]) {
          definitions[name] = target;
          walk(target);
        }
      } else walk(value);
    }
  };
  walk(root);
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: `${kindKey} (Kubernetes ${catalog.version})`, ...root, definitions };
}
