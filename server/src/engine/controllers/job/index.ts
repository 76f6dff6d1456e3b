// The job controller's public surface: the upstream arithmetic and the simulation controller.
export * from './sync';
export * from './completed-indexes';
export * from './controller';
export * from './pod-failure-policy';
export * from './success-policy';
