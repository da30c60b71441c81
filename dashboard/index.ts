/** The dashboard module's public API: the web page at /ui and the JSON it reads. */
import type { FastifyInstance } from 'fastify';
import { registerDashboardApi, type DashboardApiDependencies } from './api-routes.js';
import { findStaticDir, registerStaticRoutes } from './static-routes.js';

export { collectStats, type StatsDocument, type BrokerStats, type TriggerStats, type ChannelStats, type SubscriptionStats, type SourceStats, type SourceReadiness, type WebhookRequestCounts, type StatsTotals } from './stats.js';
export { findStaticDir } from './static-routes.js';
export { StatsSampler, DEFAULT_SAMPLE_INTERVAL_MS, HISTORY_WINDOW_MS, type ExistingResources, type SamplerOptions, type Scheduler } from './stats-sampler.js';
export type { StatsHistoryDocument, BrokerHistory, TriggerHistory, SourceHistory, SeriesValues } from './history-types.js';
export type { IdentityDocument } from './api-routes.js';

/** What the dashboard needs: the broker metrics (their registry holds the source metrics too), the source list, and the authorizer and tokens that guard them. */
export interface DashboardDependencies extends DashboardApiDependencies {
  /** Folder of index.html, app.js, style.css; found next to the package by default. */
  staticDir?: string;
}

/**
 * Serves the dashboard page at `/ui` (and redirects `/` there when `/` is free), plus its JSON:
 * per-namespace and cluster-wide stats (sources included), their sampled history, and `whoami`. Resource lists come from the control API.
 */
export async function registerDashboard(app: FastifyInstance, deps: DashboardDependencies): Promise<void> {
  await registerDashboardApi(app, deps);
  await registerStaticRoutes(app, deps.staticDir ?? findStaticDir());
}
