// policy/check_procMount_restricted.go: restricted keeps the unconditional /proc check from 1.35,
// when the baseline one relaxes for user-namespace pods, and replaces the baseline one.
import type { Check } from '../check';
import { PROC_MOUNT_ID, procMount_1_0 } from './proc-mount-baseline';

export const procMountRestricted: Check = {
  id: 'procMount_restricted',
  level: 'restricted',
  versions: [{ minimumVersion: 35, checkPod: procMount_1_0, overrideCheckIds: [PROC_MOUNT_ID] }],
};
