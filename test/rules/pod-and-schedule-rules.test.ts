import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { applyFix, findings, fixTitled, slice, valueOf } from './helpers';
import { fixesOf } from '../../server/src/findings';

const deployment = (spec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
${spec}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      initContainers:
      - name: migrate
        image: busybox
      containers:
      - name: web
        image: "nginx:1.27"
        ports:
        - name: http
          containerPort: 8080
      - name: migrate
        image: busybox
        ports:
        - name: http
          containerPort: 9090
        - name: admin
          containerPort: 9091
        - name: admin
          containerPort: 9092
`;

test('duplicate-container-name: the second use is reported on its value, init containers included', () => {
  const text = deployment('  replicas: 1');
  const [f, ...rest] = findings('duplicate-container-name', text);
  assert.equal(rest.length, 0);
  assert.equal(f.range[0], text.lastIndexOf('migrate'));
  assert.equal(slice(text, f.range), 'migrate');
  assert.match(f.message, /spec\.template\.spec\.containers\[1\]\.name: Duplicate value: "migrate"` \(also the name of spec\.template\.spec\.initContainers\[0\]\)/);
  const fixed = applyFix(text, fixTitled(f, 'Rename to migrate-2'));
  assert.equal((valueOf(fixed) as any).spec.template.spec.containers[1].name, 'migrate-2');
  assert.deepEqual(findings('duplicate-container-name', fixed), []);
});

test('duplicate-container-name: several copies of one name get distinct names, so every fix applied leaves no duplicate', () => {
  const text = deployment('  replicas: 1').replace('      - name: web\n', '      - name: migrate-2\n        image: "a:1"\n      - name: migrate\n        image: "b:1"\n      - name: web\n');
  const found = findings('duplicate-container-name', text);
  assert.deepEqual(found.map((f) => fixesOf(f)[0].title), ['Rename to migrate-3', 'Rename to migrate-4']);
  let fixed = text;
  for (const f of [...found].reverse()) fixed = applyFix(fixed, fixesOf(f)[0]);
  assert.deepEqual(findings('duplicate-container-name', fixed), []);
});

test('duplicate-port-name: error inside a container, warning across containers', () => {
  const text = deployment('  replicas: 1');
  const found = findings('duplicate-port-name', text);
  assert.equal(found.length, 2);
  const [across, within] = found;
  assert.equal(across.severity, 'warning');
  assert.equal(across.range[0], text.indexOf('name: http', text.indexOf('name: migrate', text.indexOf('containers:'))) + 'name: '.length);
  assert.match(across.message, /duplicate port name "http" with spec\.template\.spec\.containers\[0\]\.ports\[0\]/);
  assert.equal(within.severity, 'error', 'the rule\'s own severity');
  assert.equal(within.range[0], text.lastIndexOf('admin'));
  assert.match(within.message, /ports\[2\]\.name: Duplicate value: "admin"/);
  const fixed = applyFix(text, fixTitled(within, 'Rename to admin-2'));
  assert.deepEqual(findings('duplicate-port-name', fixed).map((f) => f.severity), ['warning']);
});

test('min-ready-seconds-deadline: explicit and defaulted deadlines', () => {
  const explicit = deployment('  minReadySeconds: 60\n  progressDeadlineSeconds: 60');
  const [f] = findings('min-ready-seconds-deadline', explicit);
  assert.equal(f.range[0], explicit.indexOf('60', explicit.indexOf('progressDeadlineSeconds')));
  assert.match(f.message, /progressDeadlineSeconds: Invalid value: 60: must be greater than minReadySeconds/);
  const fixed = applyFix(explicit, fixTitled(f, 'Set progressDeadlineSeconds to 660'));
  assert.equal((valueOf(fixed) as any).spec.progressDeadlineSeconds, 660);
  assert.deepEqual(findings('min-ready-seconds-deadline', fixed), []);

  const defaulted = deployment('  minReadySeconds: 600');
  const [d] = findings('min-ready-seconds-deadline', defaulted);
  assert.equal(slice(defaulted, d.range), '600');
  assert.match(d.message, /defaults to 600/);
  assert.deepEqual(findings('min-ready-seconds-deadline', deployment('  minReadySeconds: 599')), []);
});

const cron = (spec: string) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: c
spec:
${spec}
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox}]
`;

test('cronjob-schedule: the seed\'s six-field schedule, with the drop-seconds fix', () => {
  const original = readFileSync('examples/original/cronjob-monitor.yaml', 'utf8');
  const [f] = findings('cronjob-schedule', original);
  assert.equal(slice(original, f.range), '"0 */5 * * * *"');
  assert.match(f.message, /expected exactly 5 fields, found 6/);
  const fixed = applyFix(original, fixTitled(f, 'Drop the seconds field'));
  assert.equal((valueOf(fixed) as any).spec.schedule, '*/5 * * * *');
  assert.deepEqual(findings('cronjob-schedule', fixed), []);
  // The prefix is the sixth word, not a seconds field: no Quartz hint (trial 17's U9).
  const [prefixed] = findings('cronjob-schedule', cron('  schedule: "CRON_TZ=UTC 0 * * * *"'));
  assert.doesNotMatch(prefixed.message, /seconds|Quartz/);
  assert.match(findings('cronjob-schedule', cron('  schedule: "0 0 * * * *"'))[0].message, /Quartz\/Spring expression whose first field is seconds/);
  const corrected = readFileSync('examples/corrected/cronjob-monitor.yaml', 'utf8');
  assert.deepEqual(findings('cronjob-schedule', corrected), []);
});

test('cronjob-schedule: macros, names and ranges pass; out of range and Quartz syntax fail', () => {
  for (const s of ['"@hourly"', '"@every 90m"', '"0 9 * JAN-MAR MON-FRI"', '"*/15 0-6,22-23 1,15 * ?"'])
    assert.deepEqual(findings('cronjob-schedule', cron(`  schedule: ${s}`)), [], s);
  for (const s of ['"61 * * * *"', '"0 0 L * *"', '"0 0 * * MON#2"', '"every day"'])
    assert.equal(findings('cronjob-schedule', cron(`  schedule: ${s}`)).length, 1, s);
});

test('cronjob-schedule: TZ= prefix moves to spec.timeZone; unknown and Local zones are rejected', () => {
  const text = cron('  schedule: "TZ=Asia/Seoul 30 9 * * *"');
  const [f] = findings('cronjob-schedule', text);
  assert.match(f.message, /cannot use TZ or CRON_TZ in schedule, use timeZone field instead/);
  const fixed = applyFix(text, fixTitled(f, 'Move Asia/Seoul to spec.timeZone'));
  const spec = (valueOf(fixed) as any).spec;
  assert.equal(spec.schedule, '30 9 * * *');
  assert.equal(spec.timeZone, 'Asia/Seoul');
  assert.deepEqual(findings('cronjob-schedule', fixed), []);

  const unknown = cron('  schedule: "@daily"\n  timeZone: Mars/Olympus');
  const [u] = findings('cronjob-schedule', unknown);
  assert.equal(slice(unknown, u.range), 'Mars/Olympus');
  assert.match(u.message, /unknown time zone Mars\/Olympus/);
  assert.match(findings('cronjob-schedule', cron('  schedule: "@daily"\n  timeZone: Local'))[0].message, /explicit time zone/);
});
