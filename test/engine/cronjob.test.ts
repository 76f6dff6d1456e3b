// The CronJob controller: schedule arithmetic and the CronJob simulated over a time window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCronSchedule } from '../../server/src/k8s/cron';
import {
  getJobName,
  jobsOverHistoryLimit,
  mostRecentScheduleTime,
  syncCronJob,
  type CronJobSpecView,
} from '../../server/src/engine/controllers/cronjob';
import { simulate } from '../../server/src/engine/simulate';

function schedule(spec: string) {
  const p = parseCronSchedule(spec);
  assert.ok(p.ok);
  return p.schedule;
}

const cjSpec = (over: Partial<CronJobSpecView> = {}): CronJobSpecView => ({
  name: 'hello',
  schedule: '0 * * * *',
  timeZone: null,
  concurrencyPolicy: 'Allow',
  suspend: false,
  startingDeadlineSeconds: null,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 1,
  ...over,
});

test('job names are the scheduled time in minutes since the epoch', () => {
  assert.equal(getJobName('hello', new Date('2016-05-19T10:00:00Z')), `hello-${Date.UTC(2016, 4, 19, 10) / 60000}`);
});

test('more than 100 missed activations are "many" and still start the latest one', () => {
  const r = mostRecentScheduleTime({ creationTimestamp: new Date('2016-05-01T00:00:00Z') }, new Date('2016-05-19T10:30:00Z'), schedule('0 * * * *'), false);
  assert.equal(r.missedSchedules, 'many');
  assert.equal(r.mostRecentTime?.toISOString(), '2016-05-19T10:00:00.000Z');
  const sync = syncCronJob(cjSpec(), { creationTimestamp: new Date('2016-05-01T00:00:00Z'), active: [], lastScheduleTime: null, lastSuccessfulTime: null }, [], new Date('2016-05-19T10:30:00Z'));
  assert.equal(sync.createJob?.scheduledTime.toISOString(), '2016-05-19T10:00:00.000Z');
  assert.ok(sync.events.some((e) => e.reason === 'TooManyMissedTimes' && e.type === 'Warning'));
});

test('Forbid skips a run while one is active; Replace deletes it first', () => {
  const status = { creationTimestamp: new Date('2016-05-19T08:59:00Z'), active: ['hello-1'], lastScheduleTime: new Date('2016-05-19T09:00:00Z'), lastSuccessfulTime: null };
  const jobs = [{ name: 'hello-1' }];
  const now = new Date('2016-05-19T10:00:30Z');
  const forbid = syncCronJob(cjSpec({ concurrencyPolicy: 'Forbid' }), status, jobs, now);
  assert.equal(forbid.createJob, undefined);
  assert.ok(forbid.events.some((e) => e.reason === 'JobAlreadyActive'));
  assert.equal(forbid.requeueAfterSeconds, 3570);
  const replace = syncCronJob(cjSpec({ concurrencyPolicy: 'Replace' }), status, jobs, now);
  assert.deepEqual(replace.deleteJobs, ['hello-1']);
  assert.deepEqual(replace.status.active, [getJobName('hello', new Date('2016-05-19T10:00:00Z'))]);
});

test('a missed start past startingDeadlineSeconds is not started', () => {
  const r = syncCronJob(cjSpec({ startingDeadlineSeconds: 10 }), { creationTimestamp: new Date('2016-05-19T09:30:00Z'), active: [], lastScheduleTime: null, lastSuccessfulTime: null }, [], new Date('2016-05-19T10:00:11Z'));
  assert.equal(r.createJob, undefined);
  assert.equal(r.requeueAfterSeconds, 3589);
});

test('history limits delete the oldest finished Jobs', () => {
  const jobs = [3, 1, 2, 4].map((h) => ({ name: `j${h}`, startTime: new Date(Date.UTC(2024, 0, 1, h)) }));
  assert.deepEqual(jobsOverHistoryLimit(jobs, 2).map((j) => j.name), ['j1', 'j2']);
  assert.deepEqual(jobsOverHistoryLimit(jobs, null), []);
});

const cronJob = (spec: Record<string, unknown>, runSeconds = 5) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'tick' },
  spec: {
    schedule: '*/10 * * * *',
    ...spec,
    jobTemplate: { spec: { template: { metadata: { annotations: { 'kdry.dev/run-seconds': String(runSeconds) } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
  },
});

const createdJobs = (r: ReturnType<typeof simulate>) =>
  r.steps.flatMap((s) => s.events.filter((e) => e.object === 'cronjob.batch/tick' && e.message.startsWith('Created job')).map((e) => ({ time: s.time, name: e.message.slice('Created job '.length) })));

test('simulated CronJob creates one Job per activation, named after the scheduled minute', () => {
  const r = simulate({ objects: [cronJob({})], windowSeconds: 3600, startTime: '2025-01-01T00:00:00Z' });
  const jobs = createdJobs(r);
  assert.deepEqual(jobs.map((j) => j.time), [600, 1200, 1800, 2400, 3000, 3600]);
  assert.equal(jobs[0].name, `tick-${Date.UTC(2025, 0, 1, 0, 10) / 60000}`);
  const last = r.steps[r.steps.length - 1].status.find((row) => row.object === 'cronjob.batch/tick');
  assert.equal(last?.columns['LAST SCHEDULE'], '2025-01-01T01:00:00Z');
  // successfulJobsHistoryLimit defaults to 3: older finished Jobs are gone from the status rows.
  const jobRows = r.steps[r.steps.length - 1].status.filter((row) => row.object.startsWith('job.batch/'));
  assert.ok(jobRows.length <= 4, JSON.stringify(jobRows.map((j) => j.object)));
});

test('simulated CronJob with Forbid waits for the running Job, then starts the latest missed run late', () => {
  const minute = (seconds: number) => `tick-${(Date.UTC(2025, 0, 1) + seconds * 1000) / 60000}`;
  const late = simulate({ objects: [cronJob({ concurrencyPolicy: 'Forbid' }, 900)], windowSeconds: 3600 });
  // Each 900 s Job blocks the next activations; when it ends the most recent missed one starts.
  assert.deepEqual(createdJobs(late).map((j) => j.time), [600, 1502, 2404, 3306]);
  assert.deepEqual(createdJobs(late).map((j) => j.name), [minute(600), minute(1200), minute(2400), minute(3000)]);
  // With startingDeadlineSeconds those late starts are out of the window: only on-time runs start.
  const onTime = simulate({ objects: [cronJob({ concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 60 }, 900)], windowSeconds: 3600 });
  assert.deepEqual(createdJobs(onTime).map((j) => j.time), [600, 1800, 3000]);
  const allow = simulate({ objects: [cronJob({}, 900)], windowSeconds: 3600 });
  assert.equal(createdJobs(allow).length, 6);
  const replace = simulate({ objects: [cronJob({ concurrencyPolicy: 'Replace' }, 900)], windowSeconds: 3600 });
  assert.ok(replace.steps.some((s) => s.events.some((e) => e.message.startsWith('Deleted job'))));
});

test('simulated suspended CronJob starts nothing', () => {
  const r = simulate({ objects: [cronJob({ suspend: true })], windowSeconds: 3600 });
  assert.equal(createdJobs(r).length, 0);
});

test('simulated CronJob honours its time zone', () => {
  const r = simulate({ objects: [cronJob({ schedule: '0 9 * * *', timeZone: 'Asia/Tokyo' })], windowSeconds: 86400, startTime: '2025-01-01T00:00:00Z' });
  // 09:00 in Tokyo is 00:00 UTC: the first run is a day after the start.
  assert.deepEqual(createdJobs(r).map((j) => j.time), [86400]);
});

test('an unparseable schedule or unknown time zone is a problem at its field, not a completed run', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ schedule: 'every day at noon' }, 'spec.schedule'],
    [{ schedule: '61 * * * *' }, 'spec.schedule'],
    [{ schedule: '0 * * * *', timeZone: 'Mars/Base' }, 'spec.timeZone'],
  ];
  for (const [spec, path] of cases) {
    const r = simulate({ objects: [cronJob(spec)], windowSeconds: 7200 });
    assert.equal(createdJobs(r).length, 0);
    assert.deepEqual(r.problems.map((p) => p.path), [path], JSON.stringify(r.problems));
    assert.equal(r.summary.completed, false);
  }
  // The controller's own prefix form still parses (it warns UnsupportedSchedule at run time).
  assert.deepEqual(simulate({ objects: [cronJob({ schedule: 'CRON_TZ=UTC 0 * * * *' })], windowSeconds: 7200 }).problems, []);
});

test('a window ending exactly on a schedule time completes: the Job started at its last instant had no time to run', () => {
  const onTick = simulate({ objects: [cronJob({})], windowSeconds: 3600, startTime: '2025-01-01T00:00:00Z' });
  assert.deepEqual(createdJobs(onTick).map((j) => j.time).slice(-1), [3600]);
  assert.equal(onTick.summary.completed, true);
  // A Job still running from before the last instant is unfinished work within the window.
  const long = simulate({ objects: [cronJob({}, 900)], windowSeconds: 3300, startTime: '2025-01-01T00:00:00Z' });
  assert.equal(long.summary.completed, false);
  const longOnTick = simulate({ objects: [cronJob({}, 900)], windowSeconds: 3600, startTime: '2025-01-01T00:00:00Z' });
  assert.equal(longOnTick.summary.completed, false);
});

// pkg/controller/cronjob/cronjob_controllerv2.go syncCronJob under Forbid: an activation that finds
// a Job still active creates nothing (event JobAlreadyActive); once that Job finishes, the next
// sync's mostRecentScheduleTime finds the missed activation and starts it late, named after the
// scheduled time (getJobName). cronRuns lists those Jobs, not the schedule's bare activations.
test('cronRuns under Forbid: skipped activations are absent, the late start is listed when it happened', () => {
  const cj = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick' },
    spec: {
      schedule: '*/1 * * * *',
      concurrencyPolicy: 'Forbid',
      jobTemplate: { spec: { template: { metadata: { annotations: { 'kdry.dev/run-seconds': '90' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } },
    },
  };
  const r = simulate({ objects: [cj], windowSeconds: 420 });
  const created = r.steps.flatMap((s) => s.events.filter((e) => e.message.startsWith('Created job ')).map((e) => ({ seconds: s.time, job: e.message.slice('Created job '.length) })));
  assert.deepEqual(r.cronRuns?.map((run) => ({ seconds: run.seconds, job: run.job })), created);
  // 00:01 runs until about 00:02:32; 00:02 is skipped then started late under its own name.
  assert.deepEqual(r.cronRuns?.slice(0, 2).map((run) => [run.time, run.job]), [
    ['2025-01-01T00:01:00.000Z', 'tick-28928161'],
    ['2025-01-01T00:02:32.000Z', 'tick-28928162'],
  ]);
  assert.ok(!r.cronRuns?.some((run) => run.job === 'tick-28928163'), 'the 00:03 activation never creates a Job');
  assert.ok(r.steps.some((s) => s.events.some((e) => e.message === 'Not starting job because prior execution is running and concurrency policy is Forbid')));
});
