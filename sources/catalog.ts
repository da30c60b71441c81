import { apiServerSourceAdapter } from './apiserver/adapter.js';
import { containerSourceAdapter } from './container/adapter.js';
import type { SourceAdapter } from './framework/adapter.js';
import { pingSourceAdapter } from './ping/adapter.js';
import { webhookAdapter } from './webhook/adapter.js';
import { webhookProviders } from './webhook/providers/index.js';

/** Every source kind Junction ships, as `junction start` registers them. */
export const builtInSources: readonly SourceAdapter[] = [pingSourceAdapter, containerSourceAdapter, apiServerSourceAdapter, ...webhookProviders.map(webhookAdapter)];
