// A fresh server runs the parser and the checks in V8's interpreter until its JIT has compiled
// them: the first large file opened would take ~1.5x what the same file takes later. So while the
// editor is idle after start-up, the server checks a built-in sample of every workload kind (with
// a few findings) through the same publisher path, in small slices, and publishes nothing. It
// waits while the editor is busy (a file opened or edited in the last QUIET_MS): the user's own
// checks come first, and they warm the JIT too.
// Then it types into a sample file, one edit per slice: an edit takes another path than an open
// (the check cache re-parses one document and keeps the others' findings; kept diagnostics and
// their bytes are reused), and until V8 has compiled that path the first keystrokes after opening
// a large file cost 2-3 times the later ones (server CPU per edit over the first 20 edits of the
// mixed 1,000-document file of `npm run bench lsp-realistic`, the warm-up done: 12.5-14 -> 9-10 ms,
// for some 250 ms of idle CPU once, at load ~19). The sample is checked with the settings object a
// file's check gets and encoded by the connection's own encoder, so what V8 compiles holds for the
// editor's files. Once the editor's own edits have begun the typing stops: they compete with it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContentTypeEncoder, NotificationMessage } from 'vscode-jsonrpc';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import type { KdrySettings } from '../settings';
import { DiagnosticsPublisher } from './diagnostics';
import { DocumentText } from './document-text';
import { FileStore } from './files';

/** About 130 ms of idle CPU once; V8 has then optimised what a 1000-document open spends its time in. */
const SLICES = 80;
const DOCUMENTS_PER_SLICE = 2;
/** The typing: EDITS edits of one line of a file of EDITED_DOCUMENTS documents (V8 optimises a function once it has run enough of its bytecode). */
const EDITED_DOCUMENTS = 200;
const EDITS = 60;
const QUIET_MS = 100;
/** The sample files' uris start with it (none is published). */
export const WARM_UP_URI = 'kdry-warm-up:///';

/** What the editor has asked of the server so far (DiagnosticsPublisher's figures). */
export interface EditorActivity {
  /** When a check was last asked for or run (performance.now()). */
  readonly lastActive: number;
  /** Checks of files edited since they were last published. */
  readonly edits: number;
}

/**
 * `encoder`: the connection's (connection.ts stdioPublishEncoder), which encodes the sample's
 * publishes as it does the editor's files', without writing them.
 */
export async function warmUp(settings: () => KdrySettings, activity: EditorActivity, encoder?: ContentTypeEncoder): Promise<void> {
  const files = new FileStore();
  let current: DocumentText | undefined;
  const publish = async (params: PublishDiagnosticsParams) => void (await encoder?.encode({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params } as NotificationMessage, { charset: 'utf-8' }));
  const publisher = new DiagnosticsPublisher({ sendDiagnostics: publish }, files, () => current, settings, () => []);
  const slice = async (): Promise<boolean> => {
    for (let quiet = performance.now() - activity.lastActive; quiet < QUIET_MS; quiet = performance.now() - activity.lastActive) await sleep(QUIET_MS - quiet);
    return settings().enable; // kdry is off: nothing will be checked to warm up for
  };
  for (let n = 0; n < SLICES; n++) {
    if (!(await slice())) return;
    current = DocumentText.create(`${WARM_UP_URI}${n}.yaml`, 'yaml', 1, warmUpSample(n * DOCUMENTS_PER_SLICE, DOCUMENTS_PER_SLICE));
    publisher.validate(current.uri);
    publisher.clear(current.uri);
    files.remove(current.uri);
    await new Promise(setImmediate);
  }
  const text = warmUpSample(0, EDITED_DOCUMENTS);
  const lines = text.split('\n');
  const line = lines.findIndex((l, i) => i >= lines.length >> 1 && /^\s+image: /.test(l));
  const [before, after] = [lines[line], `${lines[line]}-typed`];
  current = DocumentText.create(`${WARM_UP_URI}typed.yaml`, 'yaml', 1, text);
  for (let edit = 0; edit <= EDITS && line >= 0; edit++) {
    if (!(await slice()) || activity.edits > 0) break;
    // The first slice opens the file, the others each type one edit.
    if (edit > 0) {
      const [from, to] = edit % 2 ? [before, after] : [after, before];
      current = DocumentText.update(current, [{ range: { start: { line, character: 0 }, end: { line, character: from.length } }, text: to }], current.version + 1);
    }
    publisher.validate(current.uri);
    await new Promise(setImmediate);
  }
  // The empty publish also drops the encoder's copy of the file's last publish.
  publisher.clear(current.uri);
  files.remove(current.uri);
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
