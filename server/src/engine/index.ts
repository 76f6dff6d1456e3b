// The engine's public entry: simulate() and the upstream-named helpers, each documented where
// it is defined. Nothing here imports LSP or vscode code.
export * from './types';
export * from './intstr';
export * from './labels';
export * from './simulate';
export * from './world';
export * from './clock';
export * from './lifecycle';
export * from './timeline';
export * from './services';
export * from './scheduling';
export { SIMULATED_KINDS, selectWorkload, validateWorkload } from './workload';
export * from './cluster';
export * from './scheduler';
export * from './quantity';
export * from './controllers/deployment/util';
export * from './controllers/deployment/rolling';
export * from './controllers/deployment/recreate';
export * from './controllers/deployment/sync';
export * from './controllers/deployment/progress';
export * from './controllers/deployment/controller';
export * from './controllers/replicaset';
export * from './controllers/statefulset';
export * from './controllers/daemonset';
export * from './controllers/job';
export * from './controllers/cronjob';
export * from './cron';
export * from './patterns';
