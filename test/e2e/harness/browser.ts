// Debian's chromium driven by playwright-core, headless, with a throw-away profile.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, playwright, type BrowserContext } from './tools';

export async function launchBrowser(): Promise<BrowserContext> {
  const { chromium } = playwright();
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'kdry-pw-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
