// The language server's clock for "when did the editor last ask for something" (the publisher's
// lastActive, lsp/warm-up.ts whenQuiet): milliseconds on a monotonic clock. Not performance.now():
// the `performance` global is Node's perf_hooks, which Node loads and compiles on first use (about
// 2 ms of CPU), and its first use was a didOpen right after start.
export function monotonicMs(): number {
  return process.uptime() * 1000;
}
