export * from './types';
export * from './parse';
export * from './split';
export * from './locate';
export * from './kinds';
