// Hover and completion facts for custom resources, in the shape schema/lookup.ts gives for the
// built-in kinds: the field's description, type, enum and default, and its children.
import { propertyCompletions, type PropertyCompletion, type SchemaFieldInfo, type SchemaInfo } from '../schema';
import type { WorkspaceIndex } from '../workspace';
import { describeSource, resolveCustomResource } from './registry';
import { isSchema, schemaAtPath, type StructuralSchema } from '../k8s/structural-schema';

export interface CustomSchemaInfo extends SchemaInfo {
  /** describeSource() of the schema: "schema from the CRD in `crds/x.yaml`". */
  source: string;
}

/** `kindKey` is `apiVersion/kind` (`argoproj.io/v1alpha1/Rollout`), as the editor features name a document's kind. */
export function customSchemaAt(workspace: WorkspaceIndex, kindKey: string, path: readonly (string | number)[]): CustomSchemaInfo | undefined {
  const slash = kindKey.lastIndexOf('/');
  const resolution = resolveCustomResource(workspace, kindKey.slice(0, slash), kindKey.slice(slash + 1));
  if (resolution?.kind !== 'schema') return undefined;
  const schema = schemaAtPath(resolution.schema, path);
  if (!schema) return undefined;
  const info: CustomSchemaInfo = { ...fieldInfo(schema), source: describeSource(resolution.source) };
  if (schema.required?.length) info.required = [...schema.required];
  if (schema.properties) info.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, child]) => [name, fieldInfo(child)]));
  if (isSchema(schema.additionalProperties)) info.additionalProperties = fieldInfo(schema.additionalProperties);
  if (schema.items) info.items = fieldInfo(schema.items);
  return info;
}

/** The keys the object at `path` may have, required ones first, then by name. */
export function customPropertiesAt(workspace: WorkspaceIndex, kindKey: string, path: readonly (string | number)[]): PropertyCompletion[] {
  return propertyCompletions(customSchemaAt(workspace, kindKey, path));
}

function fieldInfo(schema: StructuralSchema): SchemaFieldInfo {
  const info: SchemaFieldInfo = {};
  if (schema.description !== undefined) info.description = schema.description;
  const type = schema['x-kubernetes-int-or-string'] ? 'integer | string' : schema.type;
  if (type !== undefined) info.type = type;
  if (schema.format !== undefined) info.format = schema.format;
  if (schema.enum) info.enum = schema.enum.map(String);
  if (schema.default !== undefined) info.default = schema.default;
  return info;
}
