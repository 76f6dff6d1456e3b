// What kdry's checks call of the CEL library; loaded through on-demand.ts, never imported eagerly.
export { compileExpression, CostMeter } from './environment';
export { PER_CALL_LIMIT, RUNTIME_COST_BUDGET } from './cost';
export { optionalNone } from './library/optionals';
export { toCel } from './values';
export { analyseExpression } from './static-analysis';
export { lazyCelMap, settledError } from './lazy-map';
export { celMap, celType } from '@bufbuild/cel';
