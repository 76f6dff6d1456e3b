// Tier 1: the extension-host suite (test/e2e/suite) inside a real VS Code: code-server loads this
// repository as the extension under development through the workbench's URL payload (honoured with
// --vscode-option enable-smoke-test-driver) and reports run()'s outcome through codeAutomationExit.
// Usage: node --import tsx test/e2e/run-ext-tests.ts   (after npm run build and .ci/e2e-setup.sh)
import { mkdirSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCodeServer } from './harness/codeServer';
import { launchBrowser } from './harness/browser';
import { makeWorkspace } from './harness/workspace';
import { bundleSuite } from './harness/bundleSuite';
import { REPO, checkTools, type Page } from './harness/tools';

const HARNESS_TIMEOUT_MS = Number(process.env.KDRY_E2E_TIMEOUT_MS ?? 240_000);

async function main(): Promise<number> {
  checkTools();
  if (!existsSync(join(REPO, 'dist', 'client.js'))) throw new Error('dist/client.js is missing: run npm run build first');
  const suite = await bundleSuite();
  const workspace = makeWorkspace();
  const runDir = mkdtempSync(join(tmpdir(), 'kdry-e2e-host-'));
  const resultsFile = join(runDir, 'results.json');
  const server = await startCodeServer(runDir, { KDRY_E2E_RESULTS: resultsFile });
  const browser = await launchBrowser();
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => console.log(...(Array.isArray(args) ? args : [args])));
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
      setTimeout(() => resolve(124), HARNESS_TIMEOUT_MS);
    });
    const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(REPO)], ['extensionTestsPath', remote(suite)], ['skipWelcome', 'true']]);
    // KDRY_E2E_TRACE=file: a Chrome trace of the whole run (main threads, tasks, layout, paint), for chrome://tracing or Perfetto.
    const trace = process.env.KDRY_E2E_TRACE ? await startTrace(page) : undefined;
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const code = await exitCode;
    if (trace) await trace(process.env.KDRY_E2E_TRACE!);
    if (code === 124) console.log(`extension-host tests: no exit after ${HARNESS_TIMEOUT_MS} ms (see ${server.log})`);
    mkdirSync(join(REPO, 'artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO, 'artifacts', 'ext-host-tests.png') }).catch(() => undefined);
    if (existsSync(resultsFile)) {
      const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
      console.log(`figures: ${JSON.stringify(results.figures)}`);
      if (process.env.KDRY_E2E_SUMMARY) (await import('node:fs')).writeFileSync(process.env.KDRY_E2E_SUMMARY, JSON.stringify(results));
    }
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/** Starts Chrome tracing on the page; the function returned stops it and writes the trace. */
async function startTrace(page: Page): Promise<(file: string) => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  const events: unknown[] = [];
  cdp.on('Tracing.dataCollected', ({ value }: { value: unknown[] }) => events.push(...value));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,toplevel,blink.user_timing,v8.execute,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  return async (file) => {
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await done;
    (await import('node:fs')).writeFileSync(file, JSON.stringify({ traceEvents: events }));
  };
}
