// The rollout's steps in kubectl's words. Only a window around the selected step is in the DOM.
import type { TimelineStep } from '../../server/src/protocol/wire';
import { el } from './dom';

export const STEP_WINDOW = 60;

export function renderStepsList(steps: readonly TimelineStep[], selected: number, onSelect: (index: number) => void): HTMLElement {
  const from = Math.max(0, selected - STEP_WINDOW / 2);
  const to = Math.min(steps.length, from + STEP_WINDOW);
  const items = steps.slice(from, to).map((step) => {
    const button = el('button', { type: 'button', class: 'step', 'aria-current': step.index === selected ? 'step' : undefined, 'data-step': step.index },
      el('span', { class: 'time' }, `${step.time}s`),
      el('span', { class: 'events' }, ...(step.events.length === 0 ? [el('span', { class: 'muted' }, 'no events')] :
        step.events.map((e) => el('span', { class: `event${e.type === 'Warning' ? ' warning' : ''}` }, el('span', { class: 'object' }, e.object), ' ', e.message)))),
    );
    button.addEventListener('click', () => onSelect(step.index));
    return el('li', {}, button);
  });
  return el('ol', { class: 'steps', 'aria-label': 'Rollout steps' },
    from > 0 ? el('li', { class: 'muted' }, `… ${from} earlier steps`) : null,
    ...items,
    to < steps.length ? el('li', { class: 'muted' }, `… ${steps.length - to} later steps`) : null,
  );
}
