// The ReplicaSet controller: pod ordering and victim choice, create batching, and the simulation
// controller that keeps a set's pods at its replica count.
export * from './activepods';
export * from './podstodelete';
export * from './slowstart';
export * from './controller';
