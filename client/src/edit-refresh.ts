// When the Dry-run view refreshes after an edit: at once for an edit that comes after a pause (the
// common "change a value and look", which then needs no wait before its run starts), else once the
// typing pauses. A refresh replaces the one before it on the server (the view's lane cancels it
// and the simulation stops itself between instants: server/src/lsp/simulation-runner.ts), so a
// burst of keystrokes costs its first run, stopped, and the run after the burst.
export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const REAL_CLOCK: Clock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

export class EditRefresh {
  private timer: unknown;
  private lastEdit = -Infinity;

  /** `pauseMs`: edits closer than this are one burst, refreshed once it ends. */
  constructor(
    private readonly pauseMs: number,
    private readonly clock: Clock = REAL_CLOCK,
  ) {}

  /** An edit: `refresh` runs now after a pause, else once no edit came for pauseMs (replacing a refresh still waiting). */
  edited(refresh: () => void): void {
    const now = this.clock.now();
    const afterPause = now - this.lastEdit >= this.pauseMs && this.timer === undefined;
    this.lastEdit = now;
    this.cancel();
    if (afterPause) {
      refresh();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      refresh();
    }, this.pauseMs);
  }

  /** Drops a refresh still waiting (another one replaced it). */
  cancel(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
