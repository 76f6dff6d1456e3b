// Where an unknown field would be valid: `maxSurge` written directly under a Deployment's spec
// belongs at spec.strategy.rollingUpdate.maxSurge. Searches below the object that holds the field.
import type { RawSchema, SchemaCatalog } from './catalog';

const MAX_DEPTH = 3;

/** The shortest relative path below `objectSchema` that declares `name`, or undefined. */
export function fieldHome(catalog: SchemaCatalog, objectSchema: RawSchema, name: string): string[] | undefined {
  let frontier: { path: string[]; schema: RawSchema }[] = [{ path: [], schema: catalog.resolve(objectSchema) }];
  for (let depth = 0; depth <= MAX_DEPTH && frontier.length; depth++) {
    const next: typeof frontier = [];
    for (const { path, schema } of frontier) {
      if (schema.properties && Object.hasOwn(schema.properties, name)) return [...path, name];
      for (const [child, childSchema] of Object.entries(schema.properties ?? {})) {
        if (child === 'status') continue; // written by controllers, never the place for user input
        const resolved = catalog.resolve(childSchema);
        if (resolved?.properties) next.push({ path: [...path, child], schema: resolved });
      }
    }
    frontier = next;
  }
  return undefined;
}
