// A tiny sequential test runner for the extension host (the `run()` contract of @vscode/test-electron
// and of the workbench's extensionTestsPath): each test gets a timeout, failures are collected, the
// last line is `N passed, N failed`, and run() rejects when anything failed.
import { writeFileSync } from 'node:fs';

type TestFn = () => Promise<void> | void;
const tests: { name: string; fn: TestFn; timeoutMs: number }[] = [];
/** Figures measured along the way (activation, edit-to-render), written to KDRY_E2E_RESULTS. */
export const figures: Record<string, unknown> = {};

export function test(name: string, fn: TestFn, timeoutMs = 30_000): void {
  tests.push({ name, fn, timeoutMs });
}

export async function runAll(): Promise<void> {
  let passed = 0;
  let failed = 0;
  const failures: string[] = [];
  // KDRY_E2E_GREP: only the tests whose name matches (a regular expression), e.g. activation and the edit-to-render figures.
  const only = process.env.KDRY_E2E_GREP ? new RegExp(process.env.KDRY_E2E_GREP) : undefined;
  for (const { name, fn, timeoutMs } of tests) {
    if (only && !only.test(name)) continue;
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(fn),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs))),
      ]);
      passed++;
      console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push(`${name}: ${message}`);
      console.log(`  ✗ ${name} (${Date.now() - started} ms)\n    ${message.split('\n').join('\n    ')}`);
    } finally {
      clearTimeout(timer);
    }
  }
  const resultsFile = process.env.KDRY_E2E_RESULTS;
  if (resultsFile) writeFileSync(resultsFile, JSON.stringify({ passed, failed, failures, figures }, null, 1));
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} extension-host test(s) failed`);
}

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
