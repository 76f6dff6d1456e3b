// Schema look-ups for hover and completion (server/src/schema's schemaAt / propertiesAt).
import type { ObjectPath } from '../manifest';

export interface SchemaInfo {
  description?: string;
  type?: string;
  enum?: unknown[];
  /** Default value as the API server applies it, when known. */
  default?: unknown;
}

export interface PropertyInfo extends SchemaInfo {
  name: string;
  required: boolean;
  /** The value is a mapping / a list (completion inserts a block for it). */
  shape: 'object' | 'array' | 'scalar';
}

/** The schema of the field at `path` in a document of kind `kindKey` (e.g. 'apps/v1/Deployment'). */
export function fieldSchema(_kindKey: string, _path: ObjectPath): SchemaInfo | undefined {
  return undefined;
}

/** The properties a mapping at `path` may have. */
export function fieldProperties(_kindKey: string, _path: ObjectPath): PropertyInfo[] {
  return [];
}
