import type { SourceAdapter } from './framework/adapter.js';
import { pingSourceAdapter } from './ping/adapter.js';

/** Every source kind Junction ships, as `junction start` registers them. */
export const builtInSources: readonly SourceAdapter[] = [pingSourceAdapter];
