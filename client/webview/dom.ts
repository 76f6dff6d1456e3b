// The only way the panel builds DOM: text goes through textContent, attributes through a short
// allow-list, so a manifest string can never become markup or an event handler.
type Child = Node | string | number | null | undefined | false;

const SAFE_ATTRIBUTES = /^(class|id|title|role|tabindex|type|value|min|max|step|for|name|placeholder|colspan|scope|checked|disabled|selected|aria-[a-z]+|data-[a-z-]+)$/;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttributes(node, attributes);
  append(node, children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const SAFE_SVG_ATTRIBUTES = /^(class|tabindex|viewBox|width|height|x|y|x1|x2|y1|y2|points|d|rx|ry|r|cx|cy|text-anchor|dominant-baseline|role|aria-[a-z]+|preserveAspectRatio|stroke-dasharray|data-[a-z-]+)$/;

export function svg(tag: string, attributes: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const node = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [name, value] of Object.entries(attributes)) {
    if (SAFE_SVG_ATTRIBUTES.test(name)) node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function setAttributes(node: Element, attributes: Record<string, string | number | boolean | undefined>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false || !SAFE_ATTRIBUTES.test(name)) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(node: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return el('section', { class: 'panel-section', 'aria-label': title }, el('h2', {}, title), ...children);
}
