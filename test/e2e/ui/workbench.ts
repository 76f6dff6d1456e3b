// Moves through the code-server workbench the way a user does, with the selectors that work in
// VS Code 1.139 (see ../shared/e2e/RECIPE.md). Every wait is bounded.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { REPO, type FrameLocator, type Page } from '../harness/tools';

export const ARTIFACTS = join(REPO, 'artifacts');
const WAIT = { timeout: 20_000 };

export async function openWorkbench(page: Page, url: string, folder: string): Promise<void> {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor(WAIT);
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor(WAIT);
}

export async function openFile(page: Page, name: string): Promise<void> {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
  await page.locator('.tabs-container .tab', { hasText: name }).first().waitFor(WAIT);
  await page.locator('.monaco-editor .view-lines').first().waitFor(WAIT);
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor(WAIT);
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor(WAIT);
  await page.keyboard.press('Enter');
}

/** Opens the quick-fix menu at the cursor (Ctrl+.) and returns its row titled `title`. */
export async function quickFix(page: Page, title: string) {
  const action = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
  // Ctrl+. can arrive before the code actions for the line are computed: ask again a few times.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    try {
      await action.waitFor({ timeout: 5_000 });
      return action;
    } catch (error) {
      if (attempt === 4) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** Picks the quick-pick row that contains `text` (the quick input must be open). */
export async function pick(page: Page, text: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor(WAIT);
  await row.click();
}

/** The Dry-run view's document: the webview's outer iframe, then its active frame. */
export function dryRunFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** The Dry-run opened in the editor area (kdry.openDryRunPanel): the webview whose body says `in-editor`. */
export async function editorPanelFrame(page: Page): Promise<FrameLocator> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const count = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < count; i++) {
      const frame = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('iframe#active-frame');
      if ((await frame.locator('body.in-editor').count()) > 0) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error('no Dry-run webview in the editor area');
}

export async function screenshot(page: Page, name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, clip });
  return path;
}

/** Drags the primary sidebar's edge so the Dry-run view gets `width` pixels (for readable screenshots). */
export async function widenSidebar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}
