// Webview entry: wires the panel to the extension host. Messages from the host are trusted to be
// its own (the webview only talks to its host), but they carry manifest strings: the panel renders
// them as text only.
import { createPanel } from './panel';
import type { FromViewMessage, ToViewMessage } from './messages';

declare function acquireVsCodeApi(): { postMessage(message: FromViewMessage): void };

const host = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) {
  const panel = createPanel(root, (message) => host.postMessage(message));
  window.addEventListener('message', (event: MessageEvent<ToViewMessage>) => {
    if (event.data && typeof event.data === 'object' && typeof event.data.type === 'string') panel.receive(event.data);
  });
  host.postMessage({ type: 'ready' });
}
