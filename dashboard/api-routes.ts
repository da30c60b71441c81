import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authorizer, BrokerMetrics, Role, TokenStore } from '../broker/index.js';
import { createError } from '../core/errors.js';
import type { Resource } from '../core/resources/index.js';
import { collectStats } from './stats.js';
import type { StatsHistoryDocument } from './history-types.js';
import type { StatsSampler } from './stats-sampler.js';

/** What the dashboard's JSON endpoints need. */
export interface DashboardApiDependencies {
  metrics: BrokerMetrics;
  authorizer: Authorizer;
  tokens: TokenStore;
  /** The sampler behind the plots; without one the history endpoints answer with no samples. */
  history?: StatsSampler;
  /**
   * Every source resource (all kinds, all namespaces): the Sources table then lists sources
   * without traffic too, with their Ready condition. Without it, only sources with counts.
   */
  listSources?: () => readonly Resource[];
}

/** Who a request is, as the dashboard needs it to choose what to show. */
export interface IdentityDocument {
  apiVersion: 'junction.dev/v1';
  kind: 'Identity';
  authEnabled: boolean;
  /** The namespace the caller may see, or `*` for every namespace. */
  namespace: string;
  role: Role;
  /** The token's id and description (never its secret) when auth is on. */
  tokenId?: string;
  description?: string;
}

/**
 * `GET /apis/junction.dev/v1/namespaces/:namespace/stats` and `GET /apis/junction.dev/v1/stats`
 * (cluster-wide tokens only): the broker, trigger, channel, subscription and source counters, authorised like
 * the resource routes (read role); the same paths with `/history` give the last 15 minutes of
 * sampled rates and p99 latency; and `GET /apis/junction.dev/v1/whoami`, which tells the dashboard
 * what its token may see.
 */
export async function registerDashboardApi(app: FastifyInstance, deps: DashboardApiDependencies): Promise<void> {
  const { metrics, authorizer, tokens, history, listSources } = deps;
  const historyOf = (namespace: string | undefined): StatsHistoryDocument =>
    history?.history(namespace) ?? { apiVersion: 'junction.dev/v1', kind: 'StatsHistory', namespace: namespace ?? '*', intervalSeconds: 0, windowSeconds: 0, times: [], brokers: [], triggers: [], sources: [] };

  app.get('/apis/junction.dev/v1/namespaces/:namespace/stats', async (request: FastifyRequest<{ Params: { namespace: string } }>, reply) => {
    authorizer.check(request.headers.authorization, request.params.namespace, 'read');
    reply.header('cache-control', 'no-store');
    return collectStats(metrics, request.params.namespace, listSources?.());
  });

  app.get('/apis/junction.dev/v1/stats', async (request, reply) => {
    authorizer.check(request.headers.authorization, undefined, 'read');
    reply.header('cache-control', 'no-store');
    return collectStats(metrics, undefined, listSources?.());
  });

  app.get('/apis/junction.dev/v1/namespaces/:namespace/stats/history', async (request: FastifyRequest<{ Params: { namespace: string } }>, reply) => {
    authorizer.check(request.headers.authorization, request.params.namespace, 'read');
    reply.header('cache-control', 'no-store');
    return historyOf(request.params.namespace);
  });

  app.get('/apis/junction.dev/v1/stats/history', async (request, reply) => {
    authorizer.check(request.headers.authorization, undefined, 'read');
    reply.header('cache-control', 'no-store');
    return historyOf(undefined);
  });

  app.get('/apis/junction.dev/v1/whoami', async (request, reply): Promise<IdentityDocument> => {
    reply.header('cache-control', 'no-store');
    if (!authorizer.enabled) return { apiVersion: 'junction.dev/v1', kind: 'Identity', authEnabled: false, namespace: '*', role: 'admin' };
    const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    const info = token ? tokens.verify(token) : undefined;
    if (!info) {
      throw createError('JUNCTION_UNAUTHENTICATED', 'a valid bearer token is required (Authorization: Bearer …)', { headers: { 'www-authenticate': 'Bearer realm="junction"' } });
    }
    return { apiVersion: 'junction.dev/v1', kind: 'Identity', authEnabled: true, namespace: info.namespace, role: info.role, tokenId: info.id, description: info.description };
  });
}
