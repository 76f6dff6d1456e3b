// The daemonset controller's public surface: the upstream arithmetic and the simulation controller.
export * from './placement';
export * from './rollout';
export * from './controller';
