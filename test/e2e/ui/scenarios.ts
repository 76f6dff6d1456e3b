// Playwright scenarios against the installed .vsix: what a user sees in the real workbench.
import { dryRunFrame, editorPanelFrame, openFile, pick, quickFix, runCommand, screenshot, widenSidebar } from './workbench';
import type { Page } from '../harness/tools';

const WAIT = { timeout: 20_000 };

function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export interface ScenarioContext {
  /** Merges `patch` into the user settings.json of the running workbench (applied live). */
  updateUserSettings(patch: Record<string, unknown>): void;
}

export interface Scenario {
  name: string;
  run(page: Page, context: ScenarioContext): Promise<void>;
}

export const scenarios: Scenario[] = [
  {
    name: "the seed's mis-indented Deployment: squiggles and a Problems row",
    async run(page) {
      await openFile(page, 'seed-rolling-update.yaml');
      await page.locator('.monaco-editor .squiggly-error').first().waitFor(WAIT);
      await runCommand(page, 'View: Focus Problems');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'misplaced-rollout-fields' }).first();
      await row.waitFor(WAIT);
      const text = await row.innerText();
      expect(/spec\.strategy/.test(text), `the Problems row says where the field belongs: ${text}`);
      await screenshot(page, 'problems');
    },
  },
  {
    name: 'a quick-fix applied from the editor re-indents the strategy block',
    async run(page) {
      await openFile(page, 'seed-rolling-update.yaml');
      await page.locator('.monaco-editor .squiggly-error').first().waitFor(WAIT);
      await page.locator('.monaco-editor .view-line', { hasText: 'maxSurge: 0' }).first().click();
      const action = await quickFix(page, 'Move the rollout fields');
      await screenshot(page, 'quick-fix-menu');
      await action.click();
      await page.waitForFunction(() => !document.querySelector('.monaco-editor .squiggly-error'), undefined, WAIT);
      const indent = async (key: string) => ((await page.locator('.monaco-editor .view-line', { hasText: key }).first().textContent()) ?? '').search(/\S/);
      const [rolling, surge] = [await indent('rollingUpdate:'), await indent('maxSurge: 0')];
      expect(surge > rolling && rolling > 3, `maxSurge (column ${surge}) moved under rollingUpdate (column ${rolling})`);
      await runCommand(page, 'View: Focus Problems');
      await page.waitForFunction(() => !document.querySelector('.markers-panel')?.textContent?.includes('misplaced-rollout-fields'), undefined, WAIT);
      await screenshot(page, 'quick-fix-applied');
    },
  },
  {
    name: 'the Dry-run view renders pods, nodes and the timeline of a 3-replica RollingUpdate, then a rollout',
    async run(page) {
      await openFile(page, 'web-rolling.yaml');
      await runCommand(page, 'kdry: Show Dry-run');
      const view = dryRunFrame(page);
      await view.locator('table.pods tbody tr').nth(2).waitFor(WAIT);
      expect((await view.locator('table.pods tbody tr').count()) === 3, '3 pod rows');
      expect((await view.locator('.node').count()) >= 1, 'node columns');
      expect((await view.locator('.node .chip.pod').count()) === 3, '3 pod chips on nodes');
      expect((await view.locator('svg.timeline-chart polyline').count()) === 5, 'the timeline chart');
      expect(/embedded default cluster|cluster/i.test(await view.locator('.status-line').innerText()), 'the view names the cluster');
      await screenshot(page, 'dry-run');

      // Simulate rollout from the view: no git change, so pick the image tag, then the manifest's strategy.
      await view.locator('#simulate-rollout').click();
      await pick(page, 'Image tag of web');
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Image tag of web' }).waitFor(WAIT);
      await page.locator('.quick-input-widget input.input').press('Enter'); // accept the pre-filled next tag, nginx:1.27.1
      await pick(page, "The manifest's own strategy");
      await view.locator('.status-line', { hasText: 'Rollout of web-rolling.yaml' }).waitFor(WAIT);
      const steps = await view.locator('button.step').count();
      expect(steps > 3, `rollout steps listed, got ${steps}`);
      expect((await view.locator('.steps', { hasText: 'Scaled up replica set' }).count()) === 1, 'kubectl words in the steps');
      expect((await view.locator('svg.timeline-chart line.bound').count()) === 2, 'maxSurge/maxUnavailable bounds drawn');
      await view.locator('#step-slider').focus();
      await page.keyboard.press('Home');
      await view.locator('.step-label', { hasText: /^Step 1 of/ }).waitFor(WAIT);
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await view.locator('.step-label', { hasText: /^Step 3 of/ }).waitFor(WAIT);
      await screenshot(page, 'rollout');
      await widenSidebar(page, 640);
      await view.locator('h2', { hasText: 'Nodes' }).scrollIntoViewIfNeeded();
      await screenshot(page, 'rollout-wide', { x: 0, y: 0, width: 1100, height: 900 });

      // Fault from the view: the new revision never becomes ready, so the rollout stalls at the deadline.
      await view.locator('#fault-never-ready').check();
      await view.locator('.conditions', { hasText: 'Progressing=False/ProgressDeadlineExceeded' }).waitFor(WAIT);
      await screenshot(page, 'fault-never-ready', { x: 0, y: 0, width: 1100, height: 900 });
    },
  },
  {
    name: 'a manifest full of HTML and script payloads renders inert',
    async run(page) {
      let dialogs = 0;
      page.on('dialog', (dialog: { dismiss(): Promise<void> }) => {
        dialogs++;
        void dialog.dismiss();
      });
      await openFile(page, 'xss.yaml');
      // Its squiggles say the extension is up: on a loaded machine the palette may not list kdry's commands before.
      await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
      await runCommand(page, 'kdry: Show Dry-run');
      const view = dryRunFrame(page);
      await view.locator('#workload option').first().waitFor({ state: 'attached', ...WAIT });
      const label = await view.locator('#workload option').first().textContent();
      expect(label?.includes('<img src=x onerror='), `the payload shows as text: ${label}`);
      await view.locator('table.pods tbody tr').first().waitFor(WAIT);
      expect((await view.locator('#app img, #app script, #app iframe').count()) === 0, 'no element was created from manifest text');
      const title = await view.locator('body').evaluate(() => document.title);
      expect(title === 'kdry Dry-run', `the payload did not run (title ${title})`);
      expect(dialogs === 0, 'no alert() ran');
      await screenshot(page, 'xss-inert');
    },
  },
  {
    name: 'a typo in a Helm chart template: a squiggle on the key, and a quick-fix that leaves the template actions alone',
    async run(page) {
      await openFile(page, 'chart-deployment.yaml');
      // The typo is below the fold, where the editor renders no squiggle yet: go to it as a user would (F8).
      const peek = page.locator('.marker-widget', { hasText: 'readinesProbe' }).first();
      await page.locator('.monaco-editor .view-line').first().click(); // focus the editor, not the explorer
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('F8');
        try {
          await peek.waitFor({ timeout: 5_000 });
          break;
        } catch (error) {
          if (attempt === 4) throw error;
        }
      }
      await screenshot(page, 'helm-template-problem');
      await page.keyboard.press('Escape');
      await page.locator('.monaco-editor .squiggly-error').first().waitFor(WAIT);
      await page.locator('.monaco-editor .view-line', { hasText: 'readinesProbe:' }).first().click();
      const action = await quickFix(page, 'Rename "readinesProbe" to "readinessProbe"');
      await action.click();
      await page.waitForFunction(() => !document.querySelector('.monaco-editor .squiggly-error'), undefined, WAIT);
      const fixed = page.locator('.monaco-editor .view-line', { hasText: 'readinessProbe:' }).first();
      await fixed.waitFor(WAIT);
      const untouched = await page.locator('.monaco-editor .view-line', { hasText: 'toYaml .Values.readinessProbe' }).count();
      expect(untouched === 1, 'the template action below the key is untouched');
      await screenshot(page, 'helm-template-fixed');
    },
  },
  {
    name: "the analysis picker: an Argo Rollout's failing step analysis aborts the update, an inconclusive one pauses it",
    async run(page) {
      await openFile(page, 'rollout-analysis.yaml');
      // Its CodeLens says the language server is up: on a loaded machine the view may not draw before.
      await page.locator('.monaco-editor .codelens-decoration', { hasText: 'Simulate rollout' }).first().waitFor({ timeout: 60_000 });
      await runCommand(page, 'kdry: Show Dry-run');
      const view = dryRunFrame(page);
      await view.locator('#fault-analysis-row').waitFor({ timeout: 60_000 }); // shown for a Rollout only
      await view.locator('#simulate-rollout').click();
      await pick(page, 'Image tag of checkout');
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Image tag of checkout' }).waitFor(WAIT);
      await page.locator('.quick-input-widget input.input').press('Enter'); // nginx:1.27.1
      await pick(page, "The manifest's own strategy");
      await view.locator('.status-line', { hasText: 'Rollout of rollout-analysis.yaml' }).waitFor(WAIT);
      const steps = view.locator('.steps');
      await steps.filter({ hasText: 'Rollout completed update to revision 2' }).waitFor(WAIT);
      // every run fails: the step analysis aborts the update in Argo's words
      await view.locator('#fault-analysis').selectOption('Failed');
      await steps.filter({ hasText: 'Rollout aborted update to revision 2: Step-based analysis phase error/failed: Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)' }).waitFor(WAIT);
      await screenshot(page, 'analysis-failed', { x: 0, y: 0, width: 1100, height: 900 });
      // only step 1's runs fail: step 1 has none, so step 2's analysis passes and the update completes
      const step = view.locator('#fault-analysis-step');
      await step.fill('1');
      await step.dispatchEvent('change');
      await steps.filter({ hasText: 'Rollout completed update to revision 2' }).waitFor(WAIT);
      // step 2's run is inconclusive: Argo pauses the Rollout there
      await step.fill('2');
      await view.locator('#fault-analysis').selectOption('Inconclusive');
      await steps.filter({ hasText: 'Rollout is paused (InconclusiveAnalysis)' }).waitFor(WAIT);
      expect((await steps.filter({ hasText: 'Rollout aborted' }).count()) === 0, 'an inconclusive run does not abort');
      await view.locator('table.status td', { hasText: /^Paused$/ }).first().waitFor(WAIT);
      await screenshot(page, 'analysis-inconclusive', { x: 0, y: 0, width: 1100, height: 900 });
    },
  },
  {
    // last: the theme is a user setting and would carry over to later scenarios
    name: 'the Dry-run view follows a high-contrast theme',
    async run(page, context) {
      context.updateUserSettings({ 'workbench.colorTheme': 'Default High Contrast' });
      await page.reload(); // settings.json is read at workbench start
      await page.locator('.monaco-workbench.hc-black').waitFor(WAIT);
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor(WAIT);
      await openFile(page, 'web-rolling.yaml');
      await runCommand(page, 'kdry: Show Dry-run');
      const view = dryRunFrame(page);
      await view.locator('table.pods tbody tr').nth(2).waitFor(WAIT);
      const classes = await view.locator('body').getAttribute('class');
      expect(/vscode-high-contrast/.test(classes ?? ''), `the webview body carries the theme kind: ${classes}`);
      const [foreground, background] = await view.locator('body').evaluate((body: HTMLElement) => {
        const style = getComputedStyle(body);
        return [style.color, style.getPropertyValue('--vscode-sideBar-background') || getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background')];
      });
      expect(foreground && background, `theme colours reach the view (${foreground} on ${background})`);
      await screenshot(page, 'high-contrast', { x: 0, y: 0, width: 1100, height: 900 });
    },
  },
  {
    name: 'the Dry-run beside the file: a row per pod over time, the fault pickers, and the Capacity part',
    async run(page) {
      // The explorer lists capacity/ as a folder row: expand it, then open its api.yaml.
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'capacity' }).first().click();
      await openFile(page, 'api.yaml');
      await runCommand(page, 'kdry: Open Dry-run Beside');
      const panel = await editorPanelFrame(page);
      const rows = panel.locator('svg.pod-timeline g.pod-row');
      await rows.nth(2).waitFor(WAIT);
      expect((await rows.count()) === 3, `3 pod rows, got ${await rows.count()}`);
      expect(/^api-\S+ \(\S+\): (Pending|Running|Ready) /.test((await rows.nth(1).getAttribute('aria-label')) ?? ''), 'a row says its states in words');
      await panel.locator('#capacity > summary').click();
      await panel.locator('.does-not-fit', { hasText: 'Deployment/worker' }).waitFor(WAIT);
      expect((await panel.locator('.does-not-fit').innerText()).includes('0/4 nodes are available'), "the scheduler's words");
      expect((await panel.locator('g.capacity-node').count()) === 4, 'a row per node');
      await screenshot(page, 'capacity-beside');
      // The whole workspace instead of the folder: the other folders' workloads join the placement.
      await panel.locator('#capacity-extent-workspace').check();
      await panel.locator('#capacity .panel-section', { hasText: 'of the whole workspace placed together' }).waitFor(WAIT);
      expect(/\(\d+ pods\) of the whole workspace/.test(await panel.locator('#capacity .panel-section p').first().innerText()), 'the workspace placed together');
      // Drain a worker: the kubelet's NodeNotSchedulable event shows in the steps.
      const drain = panel.locator('#fault-drain');
      await drain.selectOption({ index: 2 });
      await panel.locator('.steps', { hasText: 'NodeNotSchedulable' }).waitFor(WAIT);
      await screenshot(page, 'drain-beside');
    },
  },
];
