export * from './types';
export * from './parse';
export type { BranchChoice, TemplateCapabilities } from './template-branches';
export * from './split';
export * from './locate';
export * from './kinds';
export * from './file-text';
