// The job controller's public surface: the upstream arithmetic and the simulation controller.
export * from './sync';
export * from './completed-indexes';
export * from './controller';
