// Clusters: the embedded default and user cluster files.
export * from './default';
export * from './load';
