// Schema validation, hover and completion data for the workload kinds (Kubernetes 1.33).
export { validateDocument } from './validate';
export { schemaAt, propertiesAt, type SchemaInfo, type SchemaFieldInfo, type PropertyCompletion } from './lookup';
export { schemaKinds } from './catalog';
export { SCHEMA_RULE_ID } from './findings';
