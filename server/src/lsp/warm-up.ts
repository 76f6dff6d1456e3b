// A fresh server runs the parser and the checks in V8's interpreter until its JIT has compiled
// them: the first large file opened would take ~1.5x what the same file takes later. So while the
// editor is idle after start-up, the server checks a built-in sample of every workload kind (with
// a few findings) through the same publisher path, in small slices, and publishes nothing. It
// waits while the editor is busy (a file opened or edited in the last QUIET_MS): the user's own
// checks come first, and they warm the JIT too.
import { setTimeout as sleep } from 'node:timers/promises';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { KdrySettings } from '../settings';
import { monotonicMs } from './clock';
import { DiagnosticsPublisher } from './diagnostics';
import { FileStore } from './files';

/** About 130 ms of idle CPU once; V8 has then optimised what a 1000-document open spends its time in. */
const SLICES = 80;
const DOCUMENTS_PER_SLICE = 2;
const QUIET_MS = 100;

/** `lastActive`: when the editor last asked for a check (monotonicMs()). True when every slice ran. */
export async function warmUp(settings: () => KdrySettings, lastActive: () => number): Promise<boolean> {
  const files = new FileStore();
  let current: TextDocument | undefined;
  const publisher = new DiagnosticsPublisher({ sendDiagnostics: async () => undefined }, files, () => current, settings, () => []);
  for (let slice = 0; slice < SLICES; slice++) {
    await whenQuiet(lastActive, QUIET_MS);
    if (!settings().enable) return false; // kdry is off: nothing will be checked to warm up for
    current = TextDocument.create(`kdry-warm-up:///${slice}.yaml`, 'yaml', 1, warmUpSample(slice * DOCUMENTS_PER_SLICE, DOCUMENTS_PER_SLICE));
    publisher.validate(current.uri);
    files.remove(current.uri);
    await new Promise(setImmediate);
  }
  return true;
}

/** Resolves once the editor has asked for nothing for `quietMs` (`lastActive`: monotonicMs() of its last ask). */
export async function whenQuiet(lastActive: () => number, quietMs: number, now = monotonicMs, wait: (ms: number) => Promise<unknown> = sleep): Promise<void> {
  for (let quiet = now() - lastActive(); quiet < quietMs; quiet = now() - lastActive()) await wait(quietMs - quiet);
}

/** `count` documents of the sample from document `first` on, as one multi-document file. */
export function warmUpSample(first: number, count: number): string {
  return Array.from({ length: count }, (_, i) => sampleDocument(first + i)).join('---\n');
}

/** Document `i` of the sample: the workload kinds in turn, each with its usual fields. */
function sampleDocument(i: number): string {
  const name = `sample-${i}`;
  const labels = `app: ${name}\n        tier: backend`;
  const container = `      containers:
      - name: main
        image: ${i % 5 === 0 ? 'nginx' : 'nginx:1.27'}
        ports:
        - name: http
          containerPort: ${8000 + (i % 7)}
        env:
        - name: MODE
          value: "${i}"
        resources:
          requests:
            cpu: ${100 + i}m
            memory: 128Mi
        readinessProbe:
          httpGet:
            path: /ready
            port: http`;
  const template = `  template:
    metadata:
      labels:
        ${labels}
    spec:
${container}`;
  switch (i % 6) {
    case 0:
      return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${i % 4}
  selector:
    matchLabels:
      app: ${name}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: ${i % 2}
${template}
`;
    case 1:
      return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: sample-${i - 1}
  ports:
  - name: http
    port: 80
    targetPort: http
`;
    case 2:
      return `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
spec:
  serviceName: ${name}
  replicas: 3
  selector:
    matchLabels:
      app: ${name}
${template}
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
`;
    case 3:
      return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: ${i % 9 === 0 ? 'other' : name}
${template}
`;
    case 4:
      return `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
  schedule: "*/${1 + (i % 30)} * * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: run
            image: busybox:1.36
            command: ["sh", "-c", "date"]
`;
    default:
      return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
  completions: ${1 + (i % 5)}
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
${container}
`;
  }
}
