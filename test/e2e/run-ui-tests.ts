// Tier 2: Playwright scenarios in the real workbench against the packaged .vsix, installed into a
// fresh extensions dir of code-server. Screenshots go to artifacts/.
// Usage: node --import tsx test/e2e/run-ui-tests.ts   (after npm run build and .ci/e2e-setup.sh)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeServerCli, prepareRunDir, startCodeServer } from './harness/codeServer';
import { launchBrowser } from './harness/browser';
import { makeWorkspace } from './harness/workspace';
import { REPO, checkTools } from './harness/tools';
import { openWorkbench, screenshot } from './ui/workbench';
import { scenarios } from './ui/scenarios';

/** Per scenario; KDRY_E2E_SCENARIO_MS raises it on a loaded machine (at load 25-34 the rollout scenario took 85-93 s). */
const SCENARIO_TIMEOUT_MS = Number(process.env.KDRY_E2E_SCENARIO_MS ?? 90_000);

function packageVsix(dir: string): string {
  const vsix = join(dir, 'kdry.vsix');
  execFileSync(join(REPO, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], { cwd: REPO, stdio: 'inherit', timeout: 120_000 });
  return vsix;
}

async function main(): Promise<number> {
  checkTools();
  const runDir = mkdtempSync(join(tmpdir(), 'kdry-e2e-ui-'));
  const vsix = packageVsix(runDir);
  const { userDataDir, extensionsDir } = prepareRunDir(runDir);
  if (await codeServerCli(['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], runDir) !== 0) {
    throw new Error('installing the .vsix into code-server failed');
  }
  const server = await startCodeServer(runDir);
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  const updateUserSettings = (patch: Record<string, unknown>) =>
    writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(readFileSync(settingsFile, 'utf8')), ...patch }, null, 1));
  const browser = await launchBrowser();
  let passed = 0;
  let failed = 0;
  try {
    // KDRY_E2E_ONLY=text runs only the scenarios whose name contains it (a loaded machine, one scenario to look at).
    const only = process.env.KDRY_E2E_ONLY;
    for (const scenario of scenarios.filter((s) => !only || s.name.includes(only))) {
      const page = await browser.newPage();
      const started = Date.now();
      try {
        const workspace = makeWorkspace();
        await Promise.race([
          (async () => {
            await openWorkbench(page, server.url, workspace);
            await scenario.run(page, { updateUserSettings });
          })(),
          new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${SCENARIO_TIMEOUT_MS} ms`)), SCENARIO_TIMEOUT_MS)),
        ]);
        passed++;
        console.log(`  ✓ ${scenario.name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed++;
        const shot = await screenshot(page, `failed-${passed + failed}`).catch(() => 'none');
        console.log(`  ✗ ${scenario.name} (${Date.now() - started} ms)\n    ${error instanceof Error ? error.message : String(error)}\n    screenshot: ${shot}`);
      } finally {
        await page.close().catch(() => undefined);
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.message : error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
