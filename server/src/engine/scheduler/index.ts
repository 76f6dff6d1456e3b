// The scheduler's public surface: schedulePod and the cache the engine core keeps up to date,
// the plugins' building blocks (named after kube-scheduler's), and the corev1 helpers the
// DaemonSet controller shares (toleration and node affinity matching).
export * from './framework';
export * from './cache';
export * from './schedule';
export * from './podinfo';
export * from './requests';
export * from './tolerations';
export * from './nodeaffinity';
export * from './filters/nodeunschedulable';
export * from './filters/nodename';
export * from './filters/tainttoleration';
export * from './filters/nodeaffinity';
export * from './filters/nodeports';
export * from './filters/noderesources';
export * from './filters/interpodaffinity';
export * from './filters/podtopologyspread';
export * from './scores/resourceallocation';
export * from './scores/leastallocated';
export * from './scores/balancedallocation';
export * from './scores/tainttoleration';
export * from './scores/nodeaffinity';
export * from './scores/podtopologyspread';
export * from './scores/interpodaffinity';
