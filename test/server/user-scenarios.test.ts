// Realistic manifests as users write them (CRLF line endings, a BOM, leading comments, multi-kind
// files), driven over stdio: each test here once failed against the bundled server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CompletionItem, CompletionList, Diagnostic, DocumentSymbol, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { parseAllDocuments } from 'yaml';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { startedClient, LspClient, applyEdits } from './lsp-client';

const SERVICE_AND_STATEFULSET = `apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector:
    app: db
  ports:
    - name: pg
      port: 5432
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 3
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: postgres
          image: postgres:16.2
          ports:
            - name: pg
              containerPort: 5432
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 10
  strategy:
    rollingUpdate:
      maxSurge: 25%
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

let client: LspClient;
let n = 0;
const uri = (name: string) => `file:///virtual/scenarios/${n++}-${name}`;
const crlf = (text: string) => text.replace(/\n/g, '\r\n');

before(async () => (client = await startedClient()));
after(() => client.shutdown());

function position(text: string, needle: string, extra = 1): { line: number; character: number } {
  const lines = text.split(/\r?\n/);
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return { line, character: lines[line].indexOf(needle) + extra };
}

async function hover(u: string, text: string, needle: string): Promise<string> {
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: position(text, needle) });
  return h ? (h.contents as MarkupContent).value : '';
}

async function complete(u: string, line: number, character: number): Promise<string[]> {
  const r = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri: u }, position: { line, character } });
  return (Array.isArray(r) ? r : r.items).map((i) => i.label);
}

describe('CRLF line endings', () => {
  test('a valid multi-document CRLF file gets no diagnostics, like its LF twin', async () => {
    const lf: Diagnostic[] = await client.open(uri('lf.yaml'), SERVICE_AND_STATEFULSET);
    const windows = await client.open(uri('crlf.yaml'), crlf(SERVICE_AND_STATEFULSET));
    assert.deepEqual(lf, []);
    assert.deepEqual(windows, []);
  });

  test('a CRLF multi-document file outlines each document and hovers its fields', async () => {
    const text = crlf(SERVICE_AND_STATEFULSET);
    const u = uri('crlf-outline.yaml');
    await client.open(u, text);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
    assert.deepEqual(symbols.map((s) => [s.name, s.range.start.line]), [['Service db', 0], ['StatefulSet db', 11]]);
    assert.match(await hover(u, text, 'serviceName'), /\*\*serviceName\*\*/);
  });

  test('a CRLF Deployment hovers maxSurge with the resolved numbers', async () => {
    const text = crlf(`${SERVICE_AND_STATEFULSET}---\n${DEPLOYMENT}`);
    const u = uri('crlf-surge.yaml');
    assert.deepEqual(await client.open(u, text), []);
    assert.match(await hover(u, text, 'maxSurge'), /25% of 10 replicas -> 3 extra pods/);
  });
});

describe('completion after a nested block', () => {
  test('a blank line under an empty `spec:` that follows `metadata:` offers the spec keys', async () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  \n';
    const u = uri('new-spec.yaml');
    await client.open(u, text);
    const labels = await complete(u, 5, 2);
    assert.ok(labels.includes('replicas') && labels.includes('template'), labels.join(','));
    assert.ok(!labels.includes('status'), labels.join(','));
  });

  test('a new container key after a nested `resources` block belongs to the container', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      resources:\n        limits:\n          cpu: "1"\n      \n';
    const u = uri('after-resources.yaml');
    await client.open(u, text);
    const labels = await complete(u, 10, 6);
    assert.ok(labels.includes('image') && labels.includes('ports'), labels.join(','));
    assert.ok(!labels.includes('resources') && !labels.includes('name'), labels.join(','));
  });
});

describe('hover at the first character of a key', () => {
  test('`spec` right after a nested `metadata` block documents spec, not the last metadata field', async () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  labels:\n    a: b\nspec:\n  replicas: 2\n';
    const u = uri('hover-start.yaml');
    await client.open(u, text);
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: { line: 6, character: 0 } });
    assert.match((h?.contents as MarkupContent | undefined)?.value ?? '', /^\*\*spec\*\*/);
  });
});

describe('empty documents', () => {
  test('leading and repeated `---` markers (generated output) are empty documents, not a syntax error', async () => {
    const text = `---\n---\n# generated\n---\n${SERVICE_AND_STATEFULSET}---\n---\n`;
    const u = uri('empty-docs.yaml');
    assert.deepEqual(await client.open(u, text), []);
    assert.deepEqual(await client.change(u, crlf(text)), []);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
    assert.deepEqual(symbols.map((s) => s.name), ['Service db', 'StatefulSet db']);
  });

  test('a mistake after empty documents is still reported at its key', async () => {
    const text = `---\n---\n${DEPLOYMENT.replace('  replicas: 10', '  replica: 10')}`;
    const diagnostics = await client.open(uri('empty-then-typo.yaml'), text);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['schema', 7, 2]]);
  });
});

describe('a tab used as indentation', () => {
  test('is one error at the tab that says what to do, not a cascade over the rest of the document', async () => {
    const text = SERVICE_AND_STATEFULSET.replace('  serviceName: db', '\tserviceName: db');
    const diagnostics = await client.open(uri('tab.yaml'), text);
    const tabLine = text.split('\n').findIndex((l) => l.startsWith('\t'));
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['yaml-syntax', tabLine, 0]]);
    assert.match(diagnostics[0].message as string, /spaces/);
  });

  test('two tabs in two documents are two errors; a later syntax error in a tab-free document stays', async () => {
    const text = `${SERVICE_AND_STATEFULSET.replace('  clusterIP: None', '\tclusterIP: None').replace('  serviceName: db', '\tserviceName: db')}---\n${DEPLOYMENT.replace('  replicas: 10', '  replicas: [10')}`;
    const diagnostics = await client.open(uri('tabs-and-more.yaml'), text);
    const lines = text.split('\n');
    const expected = [lines.findIndex((l) => l.startsWith('\tclusterIP')), lines.findIndex((l) => l.startsWith('\tserviceName'))];
    assert.deepEqual(diagnostics.filter((d) => (d.message as string).startsWith('Tabs')).map((d) => d.range.start.line), expected);
    assert.ok(diagnostics.some((d) => d.code === 'yaml-syntax' && d.range.start.line > lines.findIndex((l) => l.includes('kind: Deployment'))), JSON.stringify(diagnostics));
  });
});

describe('cross-file answers name each object once and prefer the file at hand', () => {
  test('a workload present in two files (base and overlay) is named once in service-target-port', async () => {
    await client.open(uri('base-deploy.yaml'), DEPLOYMENT.replace('          image: nginx:1.27', '          image: nginx:1.27\n          ports:\n            - name: http\n              containerPort: 80'));
    await client.open(uri('overlay-deploy.yaml'), DEPLOYMENT.replace('  replicas: 10', '  replicas: 2').replace('          image: nginx:1.27', '          image: nginx:1.27\n          ports:\n            - name: http\n              containerPort: 80'));
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: htp\n';
    const diagnostics = await client.open(uri('web-svc.yaml'), service);
    const target = diagnostics.find((d) => d.code === 'service-target-port');
    assert.ok(target, JSON.stringify(diagnostics));
    assert.equal((target.message as string).split('Deployment "web"').length - 1, 1, target.message as string);
  });

  test('statefulset-service-name judges the Service in the same file, not a namesake elsewhere', async () => {
    // a name no other test uses, so the only namesake is the non-headless one opened first
    await client.open(uri('other-pgq-svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: pgq\nspec:\n  selector:\n    app: pgq\n  ports:\n    - port: 5432\n');
    const diagnostics = await client.open(uri('pgq.yaml'), SERVICE_AND_STATEFULSET.replace(/\bdb\b/g, 'pgq'));
    assert.deepEqual(diagnostics.filter((d) => d.code === 'statefulset-service-name'), []);
  });
});

const JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  backoffLimit: 2
  template:
    spec:
      containers:
        - name: migrate
          image: migrate:1.0
`;

describe('restartPolicy of pod templates', () => {
  test('a Job without restartPolicy is rejected (defaults to Always); each fix adds an allowed policy and clears it', async () => {
    const u = uri('job.yaml');
    const diagnostics = await client.open(u, JOB);
    const found = diagnostics.filter((d) => d.code === 'restart-policy');
    assert.equal(found.length, 1, JSON.stringify(diagnostics));
    assert.deepEqual(found[0].range.start, { line: 7, character: 4 });
    assert.match(found[0].message as string, /Unsupported value: "Always": supported values: "OnFailure", "Never"/);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: found[0].range, context: { diagnostics: [found[0]] } });
    const fixes = actions.filter((a) => a.edit);
    assert.deepEqual(fixes.map((a) => a.title).filter((t) => t.startsWith('Add')), ['Add restartPolicy: OnFailure', 'Add restartPolicy: Never']);
    for (const fix of fixes.filter((a) => a.title.startsWith('Add'))) {
      const fixed = applyEdits(JOB, fix.edit!.changes![u]);
      assert.deepEqual(parseAllDocuments(fixed).flatMap((d) => d.errors), []);
      assert.deepEqual(await client.change(u, fixed), []);
    }
  });

  test('a Deployment whose pods would not restart is rejected; the fix sets Always (CRLF kept)', async () => {
    const text = crlf(DEPLOYMENT.replace('    spec:\n      containers:', '    spec:\n      restartPolicy: Never\n      containers:'));
    const u = uri('deploy-never.yaml');
    const diagnostics = await client.open(u, text);
    const found = diagnostics.find((d) => d.code === 'restart-policy');
    assert.ok(found, JSON.stringify(diagnostics));
    assert.match(found.message as string, /supported values: "Always"/);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: found.range, context: { diagnostics: [found] } });
    const fix = actions.find((a) => a.isPreferred);
    assert.equal(fix?.title, 'Change restartPolicy to Always');
    assert.deepEqual(await client.change(u, applyEdits(text, fix.edit!.changes![u])), []);
  });
});

describe('a container without an image', () => {
  test('is an error at the container (the OpenAPI says optional, the API server requires it); adding one clears it', async () => {
    const text = DEPLOYMENT.replace('          image: nginx:1.27\n', '          ports:\n            - containerPort: 80\n');
    const u = uri('no-image.yaml');
    const diagnostics = await client.open(u, text);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['container-image', 18, 10]]);
    assert.match(diagnostics[0].message as string, /spec\.template\.spec\.containers\[0\]\.image: Required value/);
    assert.deepEqual(await client.change(u, text.replace('          ports:', '          image: nginx:1.27\n          ports:')), []);
  });
});

describe('value completion', () => {
  test('a boolean field offers true and false', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: \n  containers:\n    - name: a\n      image: a:1\n      stdin: \n';
    const u = uri('bool.yaml');
    await client.open(u, text);
    assert.deepEqual(await complete(u, 5, 15), ['true', 'false']);
    assert.deepEqual(await complete(u, 9, 13), ['true', 'false']);
  });

  test('a string field that is no enum offers nothing', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostname: \n';
    const u = uri('string.yaml');
    await client.open(u, text);
    assert.deepEqual(await complete(u, 5, 12), []);
  });
});

describe('kinds under the wrong apiVersion or misspelt', () => {
  test('a Deployment under v1 is reported at apiVersion; the preferred fix sets apps/v1 and clears it', async () => {
    const text = DEPLOYMENT.replace('apiVersion: apps/v1', 'apiVersion: v1');
    const u = uri('deploy-v1.yaml');
    const diagnostics = await client.open(u, text);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['unknown-kind', 0, 12]]);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: diagnostics[0].range, context: { diagnostics } });
    const fix = actions.find((a) => a.isPreferred)!;
    assert.equal(fix.title, 'Change apiVersion to apps/v1');
    assert.deepEqual(await client.change(u, applyEdits(text, fix.edit!.changes![u])), []);
  });

  test('a misspelt kind in apps/v1 and a lower-case core kind get a did-you-mean; CRDs and Knative Services stay silent', async () => {
    const typo = await client.open(uri('typo-kind.yaml'), DEPLOYMENT.replace('kind: Deployment', 'kind: Deploymnet'));
    assert.deepEqual(typo.map((d) => d.code), ['unknown-kind']);
    assert.match(typo[0].message as string, /Did you mean "Deployment"\?/);
    const lower = await client.open(uri('lower-kind.yaml'), SERVICE_AND_STATEFULSET.replace('kind: Service', 'kind: service'));
    assert.deepEqual(lower.map((d) => [d.code, d.range.start.line]), [['unknown-kind', 1]]);
    const knative = 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: hello\nspec:\n  template:\n    spec:\n      containers:\n        - image: hello:1\n';
    assert.deepEqual(await client.open(uri('knative.yaml'), knative), []);
    assert.deepEqual(await client.open(uri('widget.yaml'), 'apiVersion: acme.io/v1\nkind: deployment\nmetadata:\n  name: w\n'), []);
  });
});

describe('numbers the API server bounds', () => {
  test('a port above 65535, a negative replicas and a negative CronJob backoffLimit are errors at their values', async () => {
    const text = `${DEPLOYMENT.replace('replicas: 10', 'replicas: -1').replace('          image: nginx:1.27', '          image: nginx:1.27\n          ports:\n            - containerPort: 80800\n              hostPort: 0')}---\n${'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 0\n      targetPort: 80800\n'}`;
    const diagnostics = (await client.open(uri('ranges.yaml'), text)).filter((d) => d.code === 'number-range');
    const lines = text.split('\n');
    const at = (d: Diagnostic) => lines[d.range.start.line].slice(d.range.start.character, d.range.end.character);
    assert.deepEqual(diagnostics.map(at), ['-1', '80800', '0', '80800']);
    assert.match(diagnostics[0].message as string, /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);
    assert.match(diagnostics[1].message as string, /spec\.template\.spec\.containers\[0\]\.ports\[0\]\.containerPort: Invalid value: 80800: must be between 1 and 65535, inclusive/);
    const cron = 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "0 * * * *"\n  failedJobsHistoryLimit: 1\n  jobTemplate:\n    spec:\n      backoffLimit: -2\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: c\n              image: c:1\n';
    const cronDiagnostics = await client.open(uri('cron-ranges.yaml'), cron);
    assert.deepEqual(cronDiagnostics.map((d) => [d.code, d.range.start.line]), [['number-range', 9]]);
  });
});

describe('rollout numbers per controller', () => {
  test('a StatefulSet maxUnavailable rounds down but never below 1', async () => {
    const text = SERVICE_AND_STATEFULSET.replace('  replicas: 3\n', '  replicas: 3\n  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 10%\n');
    const u = uri('sts-unavailable.yaml');
    await client.open(u, text);
    assert.match(await hover(u, text, 'maxUnavailable'), /10% of 3 -> 1 unavailable \(rounded down, but the StatefulSet controller allows at least 1\)/);
    const half = text.replace('10%', '50%');
    await client.change(u, half);
    assert.match(await hover(u, half, 'maxUnavailable'), /50% of 3 -> 1 unavailable \(rounded down\)/);
  });

  test('a DaemonSet rounds maxUnavailable up', async () => {
    const text = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 15%\n';
    const u = uri('ds-unavailable.yaml');
    await client.open(u, text);
    assert.match(await hover(u, text, 'maxUnavailable'), /rounded up \(e\.g\. 2 of 10 nodes\)/);
  });
});

describe('one mistake, one diagnostic', () => {
  test('a misspelt `containers:` is reported once, without a targetPort error on the Service that selects it', async () => {
    const text = `${DEPLOYMENT.replace('      containers:', '      contianers:')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: cascade\nspec:\n  selector:\n    app: web\n    tier: cascade\n  ports:\n    - port: 80\n      targetPort: http\n`;
    const labelled = text.replace('        app: web\n    spec:', '        app: web\n        tier: cascade\n    spec:');
    const diagnostics = await client.open(uri('cascade.yaml'), labelled);
    assert.deepEqual(diagnostics.map((d) => d.code), ['schema'], JSON.stringify(diagnostics));
  });
});

// Trial 17's G2: the value of a Pod Security label hovered to nothing.
describe('hover on a Namespace\'s Pod Security labels', () => {
  test('the mode and the level say what they do to pods; the version label what it pins', async () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/warn-version: v1.29\n';
    const u = uri('psa-namespace.yaml');
    await client.open(u, text);
    const level = await hover(u, text, 'restricted');
    assert.match(level, /\*\*Pod Security, enforce mode\*\*: in this namespace a pod that violates the level is rejected\. A Deployment, StatefulSet, Job \.\.\. is still accepted/);
    assert.match(level, /Level \*\*restricted\*\* asks for baseline, and hardening: `runAsNonRoot: true`/);
    assert.match(await hover(u, text, 'warn-version'), /\*\*Pod Security, warn version\*\*: the `warn` level is judged with the checks as Kubernetes v1\.29 defined them/);
    assert.doesNotMatch(await hover(u, text, 'name: shop'), /Pod Security/);
  });
});
