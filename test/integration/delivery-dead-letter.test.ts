import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import { resolveDeliveryPolicy, type AttemptInfo } from '../../broker/delivery/index.js';
import { closedPort } from '../support/http-subscriber.js';
import { useDeliveryFixtures } from '../support/delivery-fixture.js';

const event: CloudEvent = {
  specversion: '1.0',
  id: 'evt-1',
  source: '/orders',
  type: 'com.example.order.created',
  datacontenttype: 'application/json',
  data: { orderId: 42 },
};

const { subscriber, deliverer } = useDeliveryFixtures();

const policyWith = (deadLetterSink: string, retry = 1) =>
  resolveDeliveryPolicy({ retry, backoffDelay: 'PT0.01S', deadLetterSink: { uri: deadLetterSink } });

describe('dead-letter sink', () => {
  it('receives the original event with knativeerrordest, knativeerrorcode and knativeerrordata cut to 1024 characters', async () => {
    const body = Buffer.from(Array.from({ length: 2000 }, (_, index) => String.fromCharCode(33 + (index % 90))).join(''));
    const sub = await subscriber([{ status: 500, body }]);
    const sink = await subscriber([{ status: 202 }]);
    const result = await deliverer().deliver(event, `${sub.url}orders`, policyWith(sink.url));

    expect(sub.requests).toHaveLength(2);
    expect(result).toMatchObject({ outcome: 'dead-lettered', status: 500, attempts: 2, code: 'JUNCTION_DELIVERY_FAILED' });
    expect(sink.requests).toHaveLength(1);
    const [parked] = sink.requests;
    expect(parked.headers['ce-id']).toBe('evt-1');
    expect(parked.headers['ce-source']).toBe('/orders');
    expect(parked.headers['ce-type']).toBe('com.example.order.created');
    expect(parked.headers['content-type']).toBe('application/json');
    expect(JSON.parse(parked.body.toString('utf8'))).toEqual({ orderId: 42 });
    expect(decodeURIComponent(String(parked.headers['ce-knativeerrordest']))).toBe(`${sub.url}orders`);
    expect(parked.headers['ce-knativeerrorcode']).toBe('500');
    const data = String(parked.headers['ce-knativeerrordata']);
    expect(data.length).toBe(1024);
    expect(Buffer.from(data, 'base64').equals(body.subarray(0, 768))).toBe(true);
    expect(parked.headers.prefer).toBeUndefined();
  });

  it('sends a short error body whole and leaves knativeerrordata out when the body is empty', async () => {
    const withBody = await subscriber([{ status: 404, body: 'no such route' }]);
    const empty = await subscriber([{ status: 400 }]);
    const sink = await subscriber([{ status: 200 }]);
    const sender = deliverer();
    expect(await sender.deliver(event, withBody.url, policyWith(sink.url, 0))).toMatchObject({ outcome: 'dead-lettered', status: 404 });
    expect(await sender.deliver(event, empty.url, policyWith(sink.url, 0))).toMatchObject({ outcome: 'dead-lettered', status: 400 });
    const [first, second] = sink.requests;
    expect(Buffer.from(String(first.headers['ce-knativeerrordata']), 'base64').toString()).toBe('no such route');
    expect(second.headers['ce-knativeerrorcode']).toBe('400');
    expect(second.headers['ce-knativeerrordata']).toBeUndefined();
  });

  it('reports code 500 and the dispatch error when the subscriber never answered (as Knative does)', async () => {
    const sink = await subscriber([{ status: 202 }]);
    const target = `http://127.0.0.1:${await closedPort()}/`;
    const result = await deliverer().deliver(event, target, policyWith(sink.url));
    expect(result).toMatchObject({ outcome: 'dead-lettered', attempts: 2, status: undefined });
    const [parked] = sink.requests;
    expect(parked.headers['ce-knativeerrorcode']).toBe('500');
    expect(Buffer.from(String(parked.headers['ce-knativeerrordata']), 'base64').toString()).toMatch(/^dispatch error: .*ECONNREFUSED/);
  });

  it('retries the dead-letter sink with the same policy and fails when it stays down', async () => {
    const sub = await subscriber([{ status: 503 }]);
    const attempts: AttemptInfo[] = [];
    const sink = `http://127.0.0.1:${await closedPort()}/`;
    const result = await deliverer({ onAttempt: (info) => attempts.push(info) }).deliver(event, sub.url, policyWith(sink, 2));
    expect(sub.requests).toHaveLength(3);
    expect(result).toMatchObject({ outcome: 'failed', status: 503, attempts: 3 });
    if (result.outcome === 'failed') expect(result.error).toMatch(/dead-letter sink failed too/);
    expect(attempts.filter((info) => info.destination === 'dead-letter')).toHaveLength(3);
  });

  it('dead-letters after a refused (non-retryable) answer too', async () => {
    const sub = await subscriber([{ status: 403 }]);
    const sink = await subscriber([{ status: 202 }]);
    const result = await deliverer().deliver(event, sub.url, policyWith(sink.url, 5));
    expect(result).toMatchObject({ outcome: 'dead-lettered', status: 403, attempts: 1 });
    expect(sink.requests[0].headers['ce-knativeerrorcode']).toBe('403');
  });

  it('logs the final failure at warn without event data or the URL query', async () => {
    const sub = await subscriber([{ status: 500, body: 'boom' }]);
    const warnings: Array<{ context: object; message: string }> = [];
    const logger = { warn: (context: object, message: string) => warnings.push({ context, message }), debug: () => undefined };
    await deliverer({ logger }).deliver(event, `${sub.url}hook?token=s3cret`, resolveDeliveryPolicy({ retry: 0 }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].context).toMatchObject({ eventId: 'evt-1', status: 500, attempts: 1, target: `${sub.url}hook` });
    const logged = JSON.stringify(warnings);
    expect(logged).not.toMatch(/orderId|s3cret/);
  });
});

