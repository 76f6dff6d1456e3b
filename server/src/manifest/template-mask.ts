// Go/Helm templates: what can be checked before rendering. Each `{{ ... }}` action is masked in
// place (same length, so every offset still points into the user's text): an action alone on its
// lines (`{{- if ... }}`, `{{ include ... | nindent 4 }}`) becomes blank, one inside a line
// becomes a placeholder scalar. What is written literally around the actions (keys, fixed values)
// can then be read as YAML; findings that touch a masked action are not reported.

/** The placeholder character: a letter, so a masked action reads as a plain scalar or key. */
export const TEMPLATE_PLACEHOLDER = 'ǂ';

const ACTION = /\{\{[\s\S]*?\}\}/g;

export interface MaskedTemplate {
  /** The source with every action masked, as long as the source. */
  masked: string;
  /** Where the actions were, as [start, end) offsets into the source. */
  spans: [number, number][];
}

export function maskTemplateActions(source: string): MaskedTemplate {
  const spans: [number, number][] = [];
  for (const m of source.matchAll(ACTION)) spans.push([m.index, m.index + m[0].length]);
  const chars = source.split('');
  for (const [start, end] of spans) for (let i = start; i < end; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = TEMPLATE_PLACEHOLDER;
  // A line with nothing but actions and whitespace is control flow or an included block: blank it.
  let lineStart = 0;
  for (let i = 0; i <= chars.length; i++) {
    if (i < chars.length && chars[i] !== '\n') continue;
    const line = chars.slice(lineStart, i).join('');
    if (line.includes(TEMPLATE_PLACEHOLDER) && /^[\sǂ]*$/.test(line)) for (let j = lineStart; j < i; j++) if (chars[j] === TEMPLATE_PLACEHOLDER) chars[j] = ' ';
    lineStart = i + 1;
  }
  return { masked: chars.join(''), spans };
}

/** [start, end) overlaps one of the spans (an empty range overlaps a span it lies inside or at the start of). */
export function touchesSpan(spans: readonly (readonly [number, number])[], start: number, end: number): boolean {
  return spans.some(([s, e]) => (end > start ? start < e && end > s : start >= s && start < e));
}
