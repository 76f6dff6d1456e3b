// Webview entry: wires the panel to the extension host. Messages from the host are trusted to be
// its own (the webview only talks to its host), but they carry manifest strings: the panel renders
// them as text only.
import { createPanel } from './panel';
import type { FromViewMessage, ToViewMessage } from './messages';

declare function acquireVsCodeApi(): { postMessage(message: FromViewMessage): void };

const host = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) {
  const panel = createPanel(root, (message) => host.postMessage(message), afterPaint);
  window.addEventListener('message', (event: MessageEvent<ToViewMessage>) => {
    if (event.data && typeof event.data === 'object' && typeof event.data.type === 'string') panel.receive(event.data);
  });
  host.postMessage({ type: 'ready' });
}

/**
 * Calls `painted` once the frame with the latest DOM changes was painted: an animation frame's
 * callback runs before that frame's style, layout and paint, and a message posted from it is
 * handled as the next task, after them.
 */
function afterPaint(painted: () => void): void {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      painted();
    };
    channel.port2.postMessage(undefined);
  });
}
