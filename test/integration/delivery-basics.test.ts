import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import { resolveDeliveryPolicy, type AttemptInfo } from '../../broker/delivery/index.js';
import { useDeliveryFixtures } from '../support/delivery-fixture.js';

const event = (overrides: Partial<CloudEvent> = {}): CloudEvent => ({
  specversion: '1.0',
  id: 'evt-1',
  source: '/orders',
  type: 'com.example.order.created',
  datacontenttype: 'application/json',
  data: { orderId: 42 },
  ...overrides,
});

const { subscriber, deliverer } = useDeliveryFixtures();

const noRetry = resolveDeliveryPolicy({ retry: 0 });

describe('delivery to a subscriber', () => {
  it.each([202, 200, 204])('counts a %i answer as delivered after one attempt', async (status) => {
    const sub = await subscriber([{ status }]);
    const result = await deliverer().deliver(event(), sub.url, noRetry);
    expect(result).toEqual({ outcome: 'delivered', status, reply: undefined, attempts: 1 });
    expect(sub.requests).toHaveLength(1);
  });

  it('sends binary mode: ce- headers, content type and the data as the body', async () => {
    const sub = await subscriber();
    const sent = event({ subject: 'Euro € "quoted" 100%', time: '2024-05-01T10:00:00Z', tenant: 'acme' });
    await deliverer({ userAgent: 'junction-test' }).deliver(sent, `${sub.url}hook?x=1`, noRetry);

    const [request] = sub.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/hook?x=1');
    expect(request.headers['ce-specversion']).toBe('1.0');
    expect(request.headers['ce-id']).toBe('evt-1');
    expect(request.headers['ce-source']).toBe('/orders');
    expect(request.headers['ce-type']).toBe('com.example.order.created');
    expect(request.headers['ce-time']).toBe('2024-05-01T10:00:00Z');
    expect(request.headers['ce-tenant']).toBe('acme');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe('junction-test');
    expect(request.headers.prefer).toBe('reply');
    expect(JSON.parse(request.body.toString('utf8'))).toEqual({ orderId: 42 });

    const subject = String(request.headers['ce-subject']);
    expect(subject).toMatch(/^[\x21-\x7e]+$/);
    expect(subject).not.toMatch(/[ "]/);
    expect(decodeURIComponent(subject)).toBe('Euro € "quoted" 100%');
  });

  it('sends structured mode when the delivery format is json', async () => {
    const sub = await subscriber();
    await deliverer().deliver(event(), sub.url, resolveDeliveryPolicy({ format: 'json' }));
    const [request] = sub.requests;
    expect(request.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    expect(request.headers['ce-id']).toBeUndefined();
    expect(JSON.parse(request.body.toString('utf8'))).toMatchObject({ id: 'evt-1', data: { orderId: 42 } });
  });

  it('returns the reply event a subscriber answers with', async () => {
    const sub = await subscriber([
      {
        status: 200,
        headers: { 'ce-specversion': '1.0', 'ce-id': 'reply-1', 'ce-source': '/billing', 'ce-type': 'com.example.invoice', 'content-type': 'application/json' },
        body: JSON.stringify({ invoice: 7 }),
      },
    ]);
    const result = await deliverer().deliver(event(), sub.url, noRetry);
    expect(result.outcome).toBe('delivered');
    if (result.outcome !== 'delivered') return;
    expect(result.reply).toMatchObject({ specversion: '1.0', id: 'reply-1', source: '/billing', type: 'com.example.invoice', data: { invoice: 7 } });
  });

  it('ignores a 2xx body that is not an event', async () => {
    const sub = await subscriber([{ status: 200, headers: { 'content-type': 'text/plain' }, body: 'thanks' }]);
    const result = await deliverer().deliver(event(), sub.url, noRetry);
    expect(result).toEqual({ outcome: 'delivered', status: 200, reply: undefined, attempts: 1 });
  });

  it('retries an invalid reply like a 5xx and finally fails with 502 JUNCTION_REPLY_INVALID', async () => {
    const sub = await subscriber([{ status: 200, headers: { 'ce-specversion': '1.0', 'ce-type': 'broken' }, body: '' }]);
    const attempts: AttemptInfo[] = [];
    const result = await deliverer({ onAttempt: (info) => attempts.push(info) }).deliver(
      event(),
      sub.url,
      resolveDeliveryPolicy({ retry: 2, backoffDelay: 'PT0.01S' }),
    );
    expect(sub.requests).toHaveLength(3);
    expect(result).toMatchObject({ outcome: 'failed', status: 502, attempts: 3, code: 'JUNCTION_REPLY_INVALID' });
    expect(attempts.map((info) => info.outcome)).toEqual(['invalid-reply', 'invalid-reply', 'invalid-reply']);
  });

  it('reads at most maxResponseBytes of an answer: a reply event beyond the limit is refused', async () => {
    const big = Buffer.alloc(256 * 1024, 'x');
    const plain = await subscriber([{ status: 200, headers: { 'content-type': 'text/plain' }, body: big }]);
    const sender = deliverer({ maxResponseBytes: 1024 });
    expect(await sender.deliver(event(), plain.url, noRetry)).toMatchObject({ outcome: 'delivered', status: 200 });

    const replyHeaders = { 'ce-specversion': '1.0', 'ce-id': 'r', 'ce-source': '/s', 'ce-type': 't', 'content-type': 'text/plain' };
    const replying = await subscriber([{ status: 200, headers: replyHeaders, body: big }]);
    const result = await sender.deliver(event(), replying.url, noRetry);
    expect(result).toMatchObject({ outcome: 'failed', status: 502, code: 'JUNCTION_REPLY_INVALID' });
    if (result.outcome === 'failed') expect(result.error).toMatch(/size limit/);
  });

  it('reuses keep-alive connections: many deliveries, few TCP connections', async () => {
    const sub = await subscriber();
    const sender = deliverer({ connectionsPerOrigin: 4 });
    for (let index = 0; index < 10; index++) await sender.deliver(event({ id: `seq-${index}` }), sub.url, noRetry);
    // undici may alternate between two idle sockets, but never opens one per request.
    expect(new Set(sub.requests.map((request) => request.remotePort)).size).toBeLessThanOrEqual(2);

    const concurrent = await Promise.all(
      Array.from({ length: 40 }, (_, index) => sender.deliver(event({ id: `par-${index}` }), sub.url, noRetry)),
    );
    expect(concurrent.every((result) => result.outcome === 'delivered')).toBe(true);
    expect(sub.requests).toHaveLength(50);
    expect(new Set(sub.requests.map((request) => request.remotePort)).size).toBeLessThanOrEqual(4);
  });
});
