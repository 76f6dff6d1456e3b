// The same extension-host suite under @vscode/test-electron, for machines that can download desktop
// VS Code (these CI machines cannot: see test/e2e/README.md; there run-ext-tests.ts uses code-server).
// Usage: npm run build && node --import tsx test/e2e/run-test-electron.ts [--vscode-executable /path/to/code]
import { runTests } from '@vscode/test-electron';
import { join } from 'node:path';
import { bundleSuite } from './harness/bundleSuite';
import { makeWorkspace } from './harness/workspace';
import { REPO } from './harness/tools';

async function main(): Promise<void> {
  const suite = await bundleSuite();
  const at = process.argv.indexOf('--vscode-executable');
  await runTests({
    vscodeExecutablePath: at > 0 ? process.argv[at + 1] : undefined,
    extensionDevelopmentPath: REPO,
    extensionTestsPath: suite,
    launchArgs: [makeWorkspace(), '--disable-workspace-trust'], // built-in extensions (vscode.git) stay on
    extensionTestsEnv: { KDRY_E2E_RESULTS: join(REPO, 'artifacts', 'ext-host-results.json') },
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
