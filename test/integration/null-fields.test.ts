import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resources/index.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';

const EVENTING = 'eventing.knative.dev/v1';
const MESSAGING = 'messaging.knative.dev/v1';
const service = (name: string) => ({ ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name } });

/** True when a null appears anywhere in the value. */
const hasNull = (value: unknown): boolean =>
  value === null || (typeof value === 'object' && Object.values(value as Record<string, unknown>).some(hasNull));

// In a Kubernetes manifest an empty field (`schema:` with nothing after it, YAML null) is not set:
// admission treats it as absent, once for every kind, before any schema or kind-specific check.
describe('a null field is not set, for every kind', () => {
  let junction: TestJunction;
  beforeAll(async () => {
    junction = await startTestJunction();
  });
  afterAll(async () => junction?.stop());

  // Documents as YAML parses them: null where the manifest left a field empty.
  const documents: Array<[string, Record<string, unknown>, (stored: Resource) => void]> = [
    [
      'EventType v1beta2 (schema, description)',
      { apiVersion: 'eventing.knative.dev/v1beta2', kind: 'EventType', metadata: { name: 'push', labels: null }, spec: { type: 'dev.knative.push', source: '/github', schema: null, description: null } },
      (stored) => expect(stored.spec).toEqual({ type: 'dev.knative.push', source: '/github' }),
    ],
    [
      'Broker (spec, annotations entry)',
      { apiVersion: EVENTING, kind: 'Broker', metadata: { name: 'empty', annotations: { 'example.com/note': null } }, spec: null },
      (stored) => expect(stored.metadata.annotations).toEqual({ 'eventing.knative.dev/broker.class': 'MTChannelBasedBroker' }),
    ],
    [
      'Trigger (filter, delivery, a Destination uri beside its ref)',
      { apiVersion: EVENTING, kind: 'Trigger', metadata: { name: 'orders' }, spec: { broker: 'empty', filter: null, delivery: null, subscriber: { ...service('orders'), uri: null } } },
      (stored) => expect(stored.spec).toEqual({ broker: 'empty', subscriber: service('orders') }),
    ],
    [
      'Trigger (a delivery field)',
      { apiVersion: EVENTING, kind: 'Trigger', metadata: { name: 'retrying' }, spec: { broker: 'empty', subscriber: { uri: 'http://127.0.0.1:9/' }, delivery: { retry: 3, backoffPolicy: null, deadLetterSink: null } } },
      (stored) => expect((stored.spec as { delivery: unknown }).delivery).toEqual({ retry: 3 }),
    ],
    [
      'Channel (delivery)',
      { apiVersion: MESSAGING, kind: 'Channel', metadata: { name: 'plain' }, spec: { delivery: null } },
      (stored) => expect(stored.spec).not.toHaveProperty('delivery'),
    ],
    [
      'Subscription (reply, delivery)',
      { apiVersion: MESSAGING, kind: 'Subscription', metadata: { name: 'sub' }, spec: { channel: { apiVersion: MESSAGING, kind: 'Channel', name: 'plain' }, subscriber: service('s'), reply: null, delivery: null } },
      (stored) => expect(stored.spec).toEqual({ channel: { apiVersion: MESSAGING, kind: 'Channel', name: 'plain' }, subscriber: service('s') }),
    ],
    [
      'Sequence (reply, a step field)',
      { apiVersion: 'flows.knative.dev/v1', kind: 'Sequence', metadata: { name: 'seq' }, spec: { steps: [{ ...service('first'), delivery: null }], reply: null } },
      (stored) => expect((stored.spec as { steps: unknown }).steps).toEqual([service('first')]),
    ],
    [
      'ConfigMap (data)',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: null },
      (stored) => expect(stored.data ?? {}).toEqual({}),
    ],
  ];

  it.each(documents)('%s: accepted, stored without the null fields', async (_name, document, check) => {
    const stored = await junction.apply(document as unknown as Resource);
    expect(hasNull(stored)).toBe(false);
    check(stored);
  });

  it('a required field that is null is missing, and says so', async () => {
    const answer = await junction.post(
      '/apis/eventing.knative.dev/v1/namespaces/default/triggers',
      JSON.stringify({ apiVersion: EVENTING, kind: 'Trigger', metadata: { name: 'nowhere' }, spec: { broker: 'empty', subscriber: null } }),
      { 'content-type': 'application/json' },
    );
    expect(answer.status).toBe(400);
    expect(answer.json.errors).toEqual([expect.objectContaining({ path: 'spec.subscriber', message: 'required field is missing' })]);
  });
});
