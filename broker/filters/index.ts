/**
 * Trigger filters: Knative's `filter.attributes` and the Subscriptions API `filters` dialects
 * (exact, prefix, suffix, all, any, not, cesql), compiled to predicates, plus the routing
 * index that finds the triggers an event matches.
 */
export type { Predicate, FilterDialect, ExpressionCompiler, FilterProblem, IndexKey, KeySet, IndexCover } from './types.js';
export type { TriggerFilterSpec } from './trigger-filter.js';
export { validateTriggerFilter, compileTriggerFilter } from './trigger-filter.js';
export { TriggerIndex } from './trigger-index.js';
export { DialectRegistry } from './dialect-registry.js';
export { defaultDialects } from './default-dialects.js';
export { readAttribute } from './attribute-value.js';
