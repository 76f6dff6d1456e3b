// The statefulset controller's public surface: the upstream arithmetic and the simulation controller.
export * from './identity';
export * from './control';
export * from './controller';
