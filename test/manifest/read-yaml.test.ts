// Every YAML kdry reads for itself goes through the guards a manifest is parsed with
// (manifest/read-yaml.ts): the cluster file of simulate, capacity and the Dry-run
// (engine/cluster/load.ts), a scheduler configuration in a ConfigMap's text (scope/schedulers.ts)
// and `.kdry/config.yaml` (cli/config.ts). Each reader is given the three hostile shapes: nesting
// far past the limit (Kubernetes' reader stops at 10,000 levels, goyaml scannerc.go
// `max_flow_level`; kdry at MAX_NESTING), a billion-laughs alias bomb (goyaml decode.go
// `decoder.unmarshal`: "document contains excessive aliasing") and nested collection keys
// (decode.go `decoder.mapping`: "invalid map key"). Each must give a clear error, not throw, and
// return (before, 250 nested keys took 5 s in the cluster reader, and 100,000 `[` overflowed the stack).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readYamlDocuments } from '../../server/src/manifest/read-yaml';
import { MAX_NESTING } from '../../server/src/manifest/nesting-limit';
import { parseClusterText } from '../../server/src/engine';
import { ConfigError, loadSettings } from '../../server/src/cli/config';
import { findingsIn, uri, webDeployment, workspaceOf } from '../scope/helpers';

const GUARD = { timeout: 60_000 };

/** `lines` of a map, each indented by `indent`, holding one of the hostile shapes under `key`. */
const HOSTILE: Record<string, (indent: string) => string> = {
  'flow nesting': (i) => `${i}deep: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
  'block nesting': (i) => Array.from({ length: MAX_NESTING + 10 }, (_, n) => `${i}${' '.repeat(n)}k:\n`).join(''),
  'alias bomb': (i) => {
    const lines = [`${i}a0: &a0 [x, x, x, x, x, x, x, x, x, x]`];
    for (let n = 1; n < 9; n++) lines.push(`${i}a${n}: &a${n} [${Array(10).fill(`*a${n - 1}`).join(', ')}]`);
    return `${lines.join('\n')}\n`;
  },
  'collection keys': (i) => `${i}${'? '.repeat(250)}1\n`,
};

/** What each shape is refused with, as parse.ts says it for a manifest. */
const REASON: Record<string, RegExp> = {
  'flow nesting': new RegExp(`nests too deeply to be read: more than ${MAX_NESTING} collections`),
  'block nesting': new RegExp(`nests too deeply to be read: more than ${MAX_NESTING} collections`),
  'alias bomb': /YAML aliases expand to too many nodes, as Kubernetes' YAML reader counts them \(document contains excessive aliasing\)/,
  'collection keys': /A map or list is used as a map key here: .*`yaml: invalid map key`/,
};

const LINE_OF_SHAPE = 6;

/** The CLI's settings from a repository whose `.kdry/config.yaml` is `text`. */
async function settingsOf(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-config-'));
  try {
    mkdirSync(join(dir, '.git'));
    mkdirSync(join(dir, '.kdry'));
    writeFileSync(join(dir, '.kdry', 'config.yaml'), text);
    return await loadSettings(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('readYamlDocuments: ordinary documents are read as a manifest is, merge keys expanded, one value per document', () => {
  const docs = readYamlDocuments('a: &x {b: 1}\nc:\n  <<: *x\n  d: "2"\n---\n---\n- !!str 3\n- |\n  text\n');
  assert.deepEqual(
    docs.map((d) => d.value),
    [{ a: { b: 1 }, c: { b: 1, d: '2' } }, null, ['3', 'text\n']],
  );
  assert.ok(docs.every((d) => d.problem === undefined));
  const broken = readYamlDocuments('a: 1\n---\nb: c: d\n');
  assert.deepEqual(broken[0], { value: { a: 1 } });
  assert.equal(broken[1].value, undefined);
  assert.equal(broken[1].problem?.line, 3);
});

for (const [shape, write] of Object.entries(HOSTILE)) {
  test(`readYamlDocuments, ${shape}: no value, the reason, the line`, GUARD, () => {
    const [doc] = readYamlDocuments(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n${write('  ')}`);
    assert.equal(doc.value, undefined);
    assert.match(doc.problem!.message, REASON[shape]);
    assert.ok(doc.problem!.line === 1 || doc.problem!.line >= LINE_OF_SHAPE, `line ${doc.problem!.line}`);
  });

  test(`the cluster file (engine/cluster/load.ts), ${shape}: an error naming the file and the reason, no nodes`, GUARD, () => {
    const text = `apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\nstatus:\n${write('  ')}  allocatable: {cpu: "4", memory: 8Gi}\n`;
    const loaded = parseClusterText(text, '/repo/.kdry/cluster.yaml');
    assert.deepEqual(loaded.nodes, []);
    assert.equal(loaded.errors.length, 1, loaded.errors.join('\n'));
    assert.match(loaded.errors[0], /^cluster\.yaml: line \d+: /);
    assert.match(loaded.errors[0], REASON[shape]);
  });

  test(`a scheduler configuration in a ConfigMap's text (scope/schedulers.ts), ${shape}: it declares nothing, and the pods naming its profile are warned`, GUARD, () => {
    const configMap = `apiVersion: v1
kind: ConfigMap
metadata: {name: my-scheduler-config, namespace: kube-system}
data:
  config.yaml: |
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
    - schedulerName: hostile
${write('      ')}`;
    const web = webDeployment('      - name: web\n        image: "nginx:1.27"\n').replace('    spec:\n      containers:', '    spec:\n      schedulerName: hostile\n      containers:');
    const workspace = workspaceOf({ 'platform/scheduler.yaml': configMap, 'app/web.yaml': web });
    const found = findingsIn(workspace, 'app/web.yaml', 'unknown-scheduler');
    assert.equal(found.length, 1, uri('app/web.yaml'));
    assert.match(found[0].message, /^No scheduler named "hostile" is deployed/);
  });

  test(`.kdry/config.yaml (cli/config.ts), ${shape}: a ConfigError naming the file, the line and the reason`, GUARD, async () => {
    await assert.rejects(settingsOf(`simulationChecks: false\nrules:\n${write('  ')}`), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /config\.yaml: line \d+: /);
      assert.match(e.message, REASON[shape]);
      return true;
    });
  });
}

test('.kdry/config.yaml: a trailing `---` is no second document; two documents are refused', async () => {
  assert.equal((await settingsOf('simulationChecks: false\n---\n')).settings.simulationChecks, false);
  await assert.rejects(settingsOf('simulationChecks: false\n---\nsimulationChecks: true\n'), /holds more than one YAML document/);
});
