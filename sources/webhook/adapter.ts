import type { SourceAdapter, SourceApi } from '../framework/adapter.js';
import type { WebhookProvider } from './types.js';

/** Knative's webhook source kinds, served with their YAML unchanged beside Junction's group. */
const KNATIVE_V1ALPHA1: SourceApi = { group: 'sources.knative.dev', versions: ['v1alpha1'] };
const JUNCTION_V1: SourceApi = { group: 'sources.junction.dev', versions: ['v1'] };
const KNATIVE_KINDS = new Set(['GitHubSource', 'GitLabSource']);
/** Fields of Knative's GitHubSource / GitLabSource that Junction accepts and does not use (it does not create the provider's webhook). */
const KNATIVE_ONLY_FIELDS: Record<string, unknown> = { accessToken: { type: 'object', properties: { secretKeyRef: { type: 'object', properties: { name: {}, key: {} } } } }, serviceAccountName: { type: 'string' }, sslverify: { type: 'boolean' } };

/** A push-source kind from a webhook provider. */
export function webhookAdapter(provider: WebhookProvider): SourceAdapter {
  const knative = KNATIVE_KINDS.has(provider.kind);
  const own = (provider.specSchema?.properties as Record<string, unknown> | undefined) ?? {};
  return {
    kind: provider.kind,
    apis: knative ? [KNATIVE_V1ALPHA1, JUNCTION_V1] : [JUNCTION_V1],
    description: provider.description,
    eventTypes: provider.eventTypes,
    specProperties: knative ? { ...KNATIVE_ONLY_FIELDS, ...own } : own,
    requiredSpec: (provider.specSchema?.required as string[] | undefined) ?? [],
    webhook: provider,
    ...(provider.declaredEventTypes ? { declaredEventTypes: (spec: Record<string, unknown>) => provider.declaredEventTypes!(spec) } : {}),
    ...(provider.validate ? { validate: (spec: Record<string, unknown>) => provider.validate!(spec) } : {}),
    maxBodyBytes: provider.maxBodyBytes,
  };
}
