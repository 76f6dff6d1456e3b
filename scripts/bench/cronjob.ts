// CronJob over one year with a `*/5` schedule: the schedule's next-time walk alone (UTC and a DST
// zone), then the CronJob controller driving a Job every five minutes through the engine.
import { performance } from 'node:perf_hooks';
import { parseCronSchedule } from '../../server/src/k8s/cron';
import { simulate } from '../../server/src/engine/simulate';

const YEAR_SECONDS = 365 * 86400;

function iterate(zone?: string): { count: number; ms: number } {
  const parsed = parseCronSchedule('*/5 * * * *', zone);
  if (!parsed.ok) throw new Error(parsed.error);
  const start = Date.UTC(2025, 0, 1);
  const end = start + YEAR_SECONDS * 1000;
  let t: Date | null = new Date(start);
  let count = 0;
  const t0 = performance.now();
  while (t !== null && t.getTime() < end) {
    t = parsed.schedule.next(t);
    count++;
  }
  return { count, ms: performance.now() - t0 };
}

export default async function run(): Promise<void> {
  for (const zone of [undefined, 'America/New_York']) {
    const { count, ms } = iterate(zone);
    console.log(`next() over one year, */5, ${zone ?? 'UTC'}: ${count} activations in ${ms.toFixed(0)} ms (${((ms * 1000) / count).toFixed(2)} µs each)`);
  }
  const cronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { spec: { template: { metadata: { annotations: { 'kdry.dev/run-seconds': '30' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
    },
  };
  const t0 = performance.now();
  const result = simulate({ objects: [cronJob], windowSeconds: YEAR_SECONDS, maxSteps: 10_000_000 });
  const ms = performance.now() - t0;
  // Past the first day a step's events count the day's folded ones: `288× Created job …`.
  const created = (message: string) => (message.startsWith('Created job') ? 1 : Number(/^(\d+)× Created job/.exec(message)?.[1] ?? 0));
  const jobs = result.steps.reduce((n, s) => n + s.events.filter((e) => e.object === 'cronjob.batch/tick').reduce((k, e) => k + created(e.message), 0), 0);
  console.log(`CronJob controller, */5 for one year: ${jobs} Jobs, ${result.steps.length} steps in ${ms.toFixed(0)} ms; problems: ${result.problems.map((p) => p.message).join('; ') || 'none'}`);
}
