// The fields a built-in object has once the API server has decoded it, beyond what SetDefaults_
// writes: the `+default` markers of k8s.io/api (zz_generated.defaults.go, e.g. a port's protocol
// TCP) and the Go fields serialised when unset (a non-pointer struct without omitempty, e.g. a
// container's `resources: {}`, as runtime.DefaultUnstructuredConverter ToUnstructured writes them
// for CEL, cel/condition.go objectToResolveVal). The release's OpenAPI data carries both as each
// property's `default`; the walk is k8s/schema-defaulting.ts, over that data.
import { isRecord } from '../manifest';
import type { DefaultingNode } from '../k8s/schema-defaulting';
import type { RawSchema, SchemaCatalog } from '../schema/catalog';

const nodes = new WeakMap<SchemaCatalog, WeakMap<RawSchema, OpenApiNode>>();

/** The node of `schema` in the release's data: `$ref`s resolved once per node and release (a walk meets each node per list item). */
export function openApiNode(schema: RawSchema, catalog: SchemaCatalog): OpenApiNode {
  let byNode = nodes.get(catalog);
  if (!byNode) nodes.set(catalog, (byNode = new WeakMap()));
  let node = byNode.get(schema);
  if (!node) byNode.set(schema, (node = new OpenApiNode(schema, catalog)));
  return node;
}

export class OpenApiNode implements DefaultingNode {
  readonly default: unknown;
  /** A built-in object's null stays as written: kdry does not model Go's decoding of null into a zero value. */
  readonly nullable = true;
  readonly defaults: readonly (readonly [string, unknown])[];
  remembered?: WeakMap<object, unknown>;
  private readonly properties: Map<string, RawSchema>;
  private readonly additional: RawSchema | undefined;
  private readonly itemSchema: RawSchema | undefined;
  private below?: boolean;
  constructor(readonly schema: RawSchema, readonly catalog: SchemaCatalog) {
    const node = catalog.resolve(schema);
    this.default = node.default;
    this.properties = new Map(Object.entries(node.properties ?? {}));
    this.defaults = [...this.properties].flatMap(([key, property]) => {
      const value = catalog.resolve(property).default;
      return value === undefined ? [] : [[key, value] as const];
    });
    this.additional = isRecord(node.additionalProperties) ? node.additionalProperties : undefined;
    this.itemSchema = node.items;
  }
  get items(): OpenApiNode | undefined {
    return this.itemSchema && openApiNode(this.itemSchema, this.catalog);
  }
  property(key: string): OpenApiNode | undefined {
    const child = this.properties.get(key) ?? this.additional;
    return child && openApiNode(child, this.catalog);
  }
  get defaultsBelow(): boolean {
    if (this.below === undefined) {
      this.below = false; // a definition that holds itself (JSONSchemaProps) ends here
      const children = [...this.properties.values(), ...(this.additional ? [this.additional] : [])].map((child) => openApiNode(child, this.catalog));
      this.below = this.defaults.length > 0 || (this.items?.defaultsBelow ?? false) || children.some((child) => child.defaultsBelow);
    }
    return this.below;
  }
}
