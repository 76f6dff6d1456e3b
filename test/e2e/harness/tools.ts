// Where the pinned end-to-end tools live (installed by .ci/e2e-setup.sh into the gitignored .e2e/).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..', '..', '..');
export const TOOLS = process.env.KDRY_E2E_TOOLS ?? join(REPO, '.e2e');
export const NODE24_BIN = join(TOOLS, 'node24', 'node_modules', 'node', 'bin');
export const CODE_SERVER = join(TOOLS, 'cs', 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.KDRY_E2E_CHROMIUM ?? '/usr/bin/chromium';

export function checkTools(): void {
  for (const path of [join(NODE24_BIN, 'node'), CODE_SERVER, CHROMIUM]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run bash .ci/e2e-setup.sh first`);
  }
}

/* playwright-core lives in the tools folder, not in the extension's dependencies, so its types are
   not visible to the project's type-check: these aliases stand for its Page, Frame and Locator objects. */
/* eslint-disable @typescript-eslint/no-explicit-any */
export type Page = any;
export type Locator = any;
export type FrameLocator = any;
export type BrowserContext = any;

/** playwright-core from the tools folder (not a dependency of the extension). */
export function playwright(): { chromium: { launchPersistentContext(dir: string, options: Record<string, unknown>): Promise<BrowserContext> } } {
  return createRequire(join(TOOLS, 'cs', 'package.json'))('playwright-core');
}
