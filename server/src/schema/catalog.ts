// One Kubernetes release's schemas as data, for the validator and for everything that reads them:
// hover, completion and the wording of schema errors.
import { newestRelease, releaseSchemas, type ReleaseSchemas, type ServedKind } from './bundled-releases';
import { DEFINITION_REF_PREFIX, type RawSchema } from './raw-schema';

export type { RawSchema };

export class SchemaCatalog {
  /** Resolved forms of the nodes of this release, so following a `$ref` allocates once per node. */
  private readonly resolved = new Map<RawSchema, RawSchema>();
  private describedTwin: SchemaCatalog | undefined;

  /**
   * `withDescriptions`: the definitions with every description (hover, completion, schema files);
   * else as the validator reads them, the descriptions left out but those saying a field is deprecated.
   */
  constructor(
    readonly release: ReleaseSchemas,
    private readonly withDescriptions = false,
  ) {}

  get version(): string {
    return this.release.version;
  }

  /** The release's definition `name` in this catalog's form. */
  definition(name: string): RawSchema | undefined {
    return this.withDescriptions ? this.release.describedDefinition(name) : this.release.definition(name);
  }

  /** The same release's catalog with every description. */
  get described(): SchemaCatalog {
    if (this.withDescriptions) return this;
    return (this.describedTwin ??= new SchemaCatalog(this.release, true));
  }

  /** The kind the release serves under `apiVersion/kind`, or undefined. */
  servedKind(kindKey: string): ServedKind | undefined {
    return this.release.kinds.get(kindKey);
  }

  /** The kind's root schema, or undefined for kinds the release does not serve. */
  kindSchema(kindKey: string): RawSchema | undefined {
    const served = this.release.kinds.get(kindKey);
    return served && this.definition(served.definition);
  }

  /**
   * The schema with its `$ref` followed: the definition's keywords, overridden by the ones written
   * beside the reference (a field's own description and default are more specific than its type's).
   */
  resolve(schema: RawSchema): RawSchema {
    if (!schema.$ref) return schema;
    let resolved = this.resolved.get(schema);
    if (resolved) return resolved;
    resolved = schema;
    for (let depth = 0; resolved.$ref && depth < 8; depth++) {
      const { $ref, ...beside } = resolved;
      const target = this.definition(definitionName($ref));
      resolved = target ? { ...target, ...beside } : beside;
    }
    this.resolved.set(schema, resolved);
    return resolved;
  }

  /** The schema of the value at `path` below `schema`, or undefined when the path leaves it. */
  descend(schema: RawSchema, path: readonly (string | number)[]): RawSchema | undefined {
    let node: RawSchema | undefined = this.resolve(schema);
    for (const segment of path) {
      node = childSchema(node, segment);
      if (!node) return undefined;
      node = this.resolve(node);
    }
    return node;
  }

  /** The name of the definition that `path` below the kind's root lands in, if it is one. */
  definitionAt(kindKey: string, path: readonly (string | number)[]): string | undefined {
    const served = this.release.kinds.get(kindKey);
    if (!served) return undefined;
    let name: string | undefined = served.definition;
    let node = this.definition(name);
    for (const segment of path) {
      if (!node) return undefined;
      node = childSchema(this.resolve(node), segment);
      name = node?.$ref ? definitionName(node.$ref) : undefined;
    }
    return name;
  }
}

export function definitionName(ref: string): string {
  return ref.startsWith(DEFINITION_REF_PREFIX) ? ref.slice(DEFINITION_REF_PREFIX.length) : ref;
}

const catalogs = new Map<string, SchemaCatalog>();

/** The catalog of a bundled release (default: the newest), built on first use. */
export function schemaCatalog(version: string = newestRelease()): SchemaCatalog {
  let catalog = catalogs.get(version);
  if (!catalog) catalogs.set(version, (catalog = new SchemaCatalog(releaseSchemas(version))));
  return catalog;
}

function childSchema(schema: RawSchema, segment: string | number): RawSchema | undefined {
  if (typeof segment === 'number' || /^\d+$/.test(segment)) {
    if (schema.items) return schema.items;
    if (typeof segment === 'number') return undefined;
  }
  if (schema.properties && Object.hasOwn(schema.properties, segment)) return schema.properties[segment];
  if (typeof schema.additionalProperties === 'object') return schema.additionalProperties;
  return undefined;
}
