// Trims a simulation result before it crosses to the webview: a step of a large run can carry one
// "Created pod" event per pod (10,000 for a 10,000-replica Deployment), which the panel would only
// summarise anyway. Pods, node usage, status and traffic pass unchanged; the command still returns the full result.
import type { SimulateResponse } from '../../server/src/protocol/requests';
import type { TimelineEvent } from '../../server/src/protocol/wire';

/** Events kept per step; the rest are counted in one closing line. */
export const EVENTS_PER_STEP = 25;

export function compactForView(response: SimulateResponse): SimulateResponse {
  const result = response.result;
  if (!result || !result.steps.some((s) => s.events.length > EVENTS_PER_STEP)) return response;
  return {
    ...response,
    result: {
      ...result,
      steps: result.steps.map((step) => (step.events.length <= EVENTS_PER_STEP ? step : { ...step, events: summariseEvents(step.events) })),
    },
  };
}

function summariseEvents(events: TimelineEvent[]): TimelineEvent[] {
  const kept = events.slice(0, EVENTS_PER_STEP - 1);
  const rest = events.slice(EVENTS_PER_STEP - 1);
  const warnings = rest.filter((e) => e.type === 'Warning').length;
  const last = rest[rest.length - 1];
  kept.push({
    time: last.time,
    object: '',
    message: `… and ${rest.length} more events${warnings > 0 ? ` (${warnings} warnings)` : ''}, last: ${last.object} ${last.message}`,
    type: warnings > 0 ? 'Warning' : 'Normal',
  });
  return kept;
}
