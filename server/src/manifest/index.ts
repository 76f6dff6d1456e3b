export * from './types';
export * from './parse';
export { YAML_PARSE_OPTIONS } from './yaml-options';
export { inTemplatesFolder } from './template-detection';
export type { BranchChoice, TemplateCapabilities } from './template-branches';
export * from './split';
export * from './locate';
export * from './kinds';
export * from './file-text';
