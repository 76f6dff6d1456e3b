// Schema validation, hover and completion data for every built-in kind of the bundled Kubernetes releases.
export { validateDocument, type ValidateOptions } from './validate';
export { schemaAt, propertiesAt, propertyCompletions, type SchemaInfo, type SchemaFieldInfo, type PropertyCompletion } from './lookup';
export { schemaCatalog, SchemaCatalog } from './catalog';
export { BUNDLED_RELEASES, newestRelease, type ServedKind } from './bundled-releases';
export { kubernetesTarget, type KubernetesTarget } from './target';
export { releaseOf, compareVersions } from '../k8s/release-version';
