// The conformance runner over the repo's vectors (so `npm test` counts them), and the runner's
// own mechanics: exact comparison, sets, prose, unsupported kinds, exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAdapters, type AdapterRegistry } from '../../conformance/adapter';
import { compareExpected, exitCode, formatReport, runConformance } from '../../scripts/conformance';

const root = join(__dirname, '..', '..');
const vectorsDir = join(root, 'conformance', 'vectors');

describe('conformance vectors of the repo', async () => {
  const report = await runConformance(vectorsDir);
  it('loads every adapter without conflicts', () => assert.deepEqual(report.errors, []));
  for (const file of readdirSync(vectorsDir).filter((f) => f.endsWith('.json')).sort()) {
    it(file, () => {
      const total = (JSON.parse(readFileSync(join(vectorsDir, file), 'utf8')) as unknown[]).length;
      const results = report.results.filter((r) => r.file === file);
      assert.equal(results.length, total, 'every vector gets a verdict');
      const bad = results.filter((r) => r.verdict !== 'pass');
      assert.deepEqual(bad.map((r) => `${r.verdict} ${r.id} (${r.kind}): ${r.diff.join('; ')}`), []);
    });
  }
});

describe('conformance runner', () => {
  it('compares exactly, ignoring key order; sets sorted; prose skipped; non-null sentinel', () => {
    assert.deepEqual(compareExpected('x', { a: { p: 1, q: [1, 2] } }, { a: { q: [1, 2], p: 1 }, extra: 1 }), []);
    assert.deepEqual(compareExpected('x', { a: [1, 2] }, { a: [2, 1] }), ['a: expected [1,2], got [2,1]']);
    assert.deepEqual(compareExpected('x', { a: null }, {}), ['a: expected null, got undefined']);
    assert.deepEqual(compareExpected('startOrdinal', { podNames: ['b', 'a'] }, { podNames: ['a', 'b'] }), []);
    assert.deepEqual(compareExpected('startOrdinal', { podNames: ['a', 'b'] }, { podNames: ['a', 'c'] }), ['podNames (set): expected ["a","b"], got ["a","c"]']);
    assert.deepEqual(compareExpected('rollingUpdateSequence', { syncs: [{ sync: 1, note: 'prose', before: 'prose', expectPodsPresent: [0] }] }, { syncs: [{ sync: 1, expectPodsPresent: [0] }] }), []);
    assert.equal(compareExpected('rollingUpdateSequence', { syncs: [{ sync: 1, expectPodsPresent: [0] }] }, { syncs: [{ sync: 1, expectPodsPresent: [1] }] }).length, 1);
    assert.deepEqual(compareExpected('nextScheduleTime', { scheduledTime: 'non-null' }, { scheduledTime: '2016-05-29T11:00:00Z' }), []);
    assert.equal(compareExpected('nextScheduleTime', { scheduledTime: 'non-null' }, { scheduledTime: null }).length, 1);
  });

  it('reports pass / fail / unsupported per file and kind, a throw as error, and a non-zero exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kdry-conf-'));
    writeFileSync(
      join(dir, 'a.json'),
      JSON.stringify([
        { id: 'ok', input: { kind: 'double', n: 2 }, expected: { n: 4 } },
        { id: 'wrong', input: { kind: 'double', n: 3 }, expected: { n: 7 } },
        { id: 'boom', input: { kind: 'explode' }, expected: { error: true } },
        { id: 'nope', input: { kind: 'unknownKind' }, expected: { x: 1 } },
      ]),
    );
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    const registry: AdapterRegistry = {
      adapters: new Map<string, (input: any) => unknown>([
        ['double', (input) => ({ n: input.n * 2 })],
        ['explode', () => { throw new Error('invalid value'); }],
      ]),
      sources: new Map(),
      errors: [],
    };
    const report = await runConformance(dir, registry);
    assert.deepEqual(report.results.map((r) => [r.id, r.verdict]), [['ok', 'pass'], ['wrong', 'fail'], ['boom', 'pass'], ['nope', 'unsupported']]);
    assert.equal(report.errors.length, 1);
    assert.match(report.errors[0], /^broken\.json: not JSON/);
    const text = formatReport(report);
    assert.match(text, /a\.json: 2 pass, 1 fail, 1 unsupported/);
    assert.match(text, /fail wrong \(double\)\n\s+n: expected 7, got 6/);
    assert.match(text, /double: 1 pass, 1 fail, 0 unsupported \[wrong\]/);
    assert.match(text, /unknownKind: 0 pass, 0 fail, 1 unsupported \[nope\]/);
    assert.equal(exitCode(report), 1);
    assert.equal(exitCode({ results: report.results.filter((r) => r.verdict === 'pass'), errors: [] }), 0);
    assert.equal(exitCode(await runConformance(join(dir, 'missing'), registry)), 1);
    const single = await runConformance(join(dir, 'a.json'), registry);
    assert.equal(single.results.length, 4);
    assert.deepEqual(single.errors, []);
  });

  it('merges the adapter files into one registry', async () => {
    const registry = await loadAdapters();
    assert.deepEqual(registry.errors, []);
    assert.equal(registry.sources.get('resolveFenceposts'), 'deployment.ts');
    assert.equal(registry.sources.get('nodeResourcesFitFilter'), 'scheduler.ts');
  });

  it('npm run conformance -- <folder> exits non-zero on a failing vector', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kdry-conf-cli-'));
    writeFileSync(join(dir, 'v.json'), JSON.stringify([{ id: 'bad', input: { kind: 'scaleIntOrPercent', value: '50%', total: 10, roundUp: true }, expected: { value: 6 } }]));
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'conformance.ts'), dir], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /fail bad \(scaleIntOrPercent\)\n\s+value: expected 6, got 5/);
  });
});
