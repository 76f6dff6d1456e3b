// A DOM for the panel's render tests: linkedom's document and window installed as globals.
import { parseHTML } from 'linkedom';

export function installDom(): { root: HTMLElement; document: Document } {
  const { window, document } = parseHTML('<!DOCTYPE html><html><body><main id="app"></main></body></html>');
  Object.assign(globalThis, { document, window, HTMLElement: window.HTMLElement, Node: window.Node });
  return { root: document.getElementById('app') as unknown as HTMLElement, document: document as unknown as Document };
}
