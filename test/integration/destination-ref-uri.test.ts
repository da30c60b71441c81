import { describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resources/index.js';
import { useBrokerPerTest } from '../support/broker-fixture.js';
import { structuredEvent } from '../support/junction.js';

const EVENTING = 'eventing.knative.dev/v1';
const brokerRef = (name: string) => ({ apiVersion: EVENTING, kind: 'Broker', name });

// Knative's Destination may set both `ref` and `uri`: the uri, relative, is resolved against the
// address of the ref (Knative's broker-developer-config-options page writes `ref` + `uri: example-uri`).
describe('a Destination with both ref and uri', () => {
  const fixture = useBrokerPerTest();

  const broker = (name: string, spec: Record<string, unknown> = {}): Resource => ({ apiVersion: EVENTING, kind: 'Broker', metadata: { name, namespace: 'default' }, spec });
  const trigger = (name: string, brokerName: string, spec: Record<string, unknown>): Resource => ({
    apiVersion: EVENTING,
    kind: 'Trigger',
    metadata: { name, namespace: 'default' },
    spec: { broker: brokerName, ...spec },
  });
  const status = async (plural: string, name: string) => (await fetch(`${fixture.junction.url}/apis/${EVENTING}/namespaces/default/${plural}/${name}`).then((r) => r.json())).status;

  it('dead-letters to the ref’s address with the uri added, and reports that URL', async () => {
    const failing = await fixture.subscriber([{ status: 500 }]);
    const parked = await fixture.subscriber();
    await fixture.junction.apply(broker('dlq'));
    await fixture.junction.apply(trigger('parked', 'dlq', { subscriber: { uri: parked.url } }));
    await fixture.junction.waitReady('triggers', 'default', 'parked');
    await fixture.junction.apply(
      trigger('orders', 'default', { subscriber: { uri: failing.url }, delivery: { retry: 0, deadLetterSink: { ref: brokerRef('dlq'), uri: '?from=dead-letter' } } }),
    );
    const ready = await fixture.junction.waitReady('triggers', 'default', 'orders');
    expect(ready.status?.deadLetterSinkUri).toBe(`${fixture.junction.url}/default/dlq?from=dead-letter`);

    const answer = await fixture.junction.post('/default/default', structuredEvent({ id: 'order-1' }), { 'content-type': 'application/cloudevents+json' });
    expect(answer.status).toBe(202);
    const [delivered] = await parked.waitForRequests(1);
    expect(delivered.headers['ce-id']).toBe('order-1');
    expect(delivered.headers['ce-knativeerrorcode']).toBe('500');
    expect(failing.requests).toHaveLength(1);
  });

  it('delivers to a subscriber given as a ref plus a query', async () => {
    const received = await fixture.subscriber();
    await fixture.junction.apply(broker('sink'));
    await fixture.junction.apply(trigger('all', 'sink', { subscriber: { uri: received.url } }));
    await fixture.junction.apply(trigger('forward', 'default', { subscriber: { ref: brokerRef('sink'), uri: '?via=forward' } }));
    const forward = await fixture.junction.waitReady('triggers', 'default', 'forward');
    expect(forward.status?.subscriberUri).toBe(`${fixture.junction.url}/default/sink?via=forward`);
    await fixture.junction.waitReady('triggers', 'default', 'all');

    await fixture.junction.post('/default/default', structuredEvent({ id: 'forwarded-1' }), { 'content-type': 'application/cloudevents+json' });
    const [delivered] = await received.waitForRequests(1);
    expect(delivered.headers['ce-id']).toBe('forwarded-1');
  });

  it('appends a path to the ref’s address, on the broker and on the triggers that fall back on its sink', async () => {
    await fixture.junction.apply(broker('dlq'));
    await fixture.junction.waitReady('brokers', 'default', 'dlq');
    await fixture.junction.apply(broker('shop', { delivery: { deadLetterSink: { ref: brokerRef('dlq'), uri: '/dead' } } }));
    const shop = await fixture.junction.waitReady('brokers', 'default', 'shop');
    expect(shop.status?.deadLetterSinkUri).toBe(`${fixture.junction.url}/default/dlq/dead`);
    await fixture.junction.apply(trigger('fallback', 'shop', { subscriber: { uri: 'http://127.0.0.1:9/' } }));
    const fallback = await fixture.junction.waitReady('triggers', 'default', 'fallback');
    expect(fallback.status?.deadLetterSinkUri).toBe(`${fixture.junction.url}/default/dlq/dead`);
  });

  it('keeps a ref Junction cannot resolve (a Kubernetes Service) stored, and the trigger not Ready, as for a ref without uri', async () => {
    const sink = { ref: { kind: 'Service', namespace: 'example-namespace', name: 'example-service', apiVersion: 'v1' }, uri: 'example-uri' };
    const stored = await fixture.junction.apply(broker('docs', { delivery: { deadLetterSink: sink, retry: 5, backoffPolicy: 'exponential', backoffDelay: 'PT1S' } }));
    expect((stored.spec as { delivery: unknown }).delivery).toMatchObject({ deadLetterSink: sink });
    const docs = await fixture.junction.waitReady('brokers', 'default', 'docs');
    expect(docs.status?.deadLetterSinkUri).toBeUndefined();

    await fixture.junction.apply(trigger('waiting', 'docs', { subscriber: { uri: 'http://127.0.0.1:9/' } }));
    await expect
      .poll(async () => ((await status('triggers', 'waiting'))?.conditions ?? []).find((c: { type: string }) => c.type === 'DeadLetterSinkResolved'), { timeout: 10_000 })
      .toMatchObject({ status: 'False' });
    const conditions = (await status('triggers', 'waiting')).conditions;
    expect(conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'False' })]));
  });
});
