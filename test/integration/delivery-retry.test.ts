import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import { resolveDeliveryPolicy, type AttemptInfo, type DeliverySpec } from '../../broker/delivery/index.js';
import { closedPort, type HttpSubscriber } from '../support/http-subscriber.js';
import { useDeliveryFixtures } from '../support/delivery-fixture.js';

const event: CloudEvent = { specversion: '1.0', id: 'evt-1', source: '/orders', type: 'com.example.order.created', data: { orderId: 42 } };

const { subscriber, deliverer } = useDeliveryFixtures();

/** Gaps in ms between consecutive requests, as the subscriber measured them. */
const gaps = (sub: HttpSubscriber): number[] => sub.requests.slice(1).map((request, index) => request.receivedAt - sub.requests[index].receivedAt);

const quick = (spec: DeliverySpec = {}) => resolveDeliveryPolicy({ backoffDelay: 'PT0.01S', ...spec });

describe('retries', () => {
  it.each([404, 408, 409, 429, 500, 502, 503, 504])('retries a %i answer', async (status) => {
    const sub = await subscriber([{ status }]);
    const result = await deliverer().deliver(event, sub.url, quick({ retry: 1 }));
    expect(sub.requests).toHaveLength(2);
    expect(result).toMatchObject({ outcome: 'failed', status, attempts: 2, code: 'JUNCTION_DELIVERY_FAILED' });
  });

  it.each([400, 401, 403, 405, 410, 413])('does not retry a %i answer', async (status) => {
    const sub = await subscriber([{ status }]);
    const result = await deliverer().deliver(event, sub.url, quick({ retry: 3 }));
    expect(sub.requests).toHaveLength(1);
    expect(result).toMatchObject({ outcome: 'failed', status, attempts: 1 });
  });

  it.each([301, 302])('neither retries nor follows a %i redirect', async (status) => {
    const elsewhere = await subscriber();
    const sub = await subscriber([{ status, headers: { location: elsewhere.url } }]);
    const result = await deliverer().deliver(event, sub.url, quick({ retry: 3 }));
    expect(sub.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
    expect(result).toMatchObject({ outcome: 'failed', status, attempts: 1 });
  });

  it('makes retry + 1 attempts and stops at the first success', async () => {
    const failing = await subscriber([{ status: 500 }]);
    expect(await deliverer().deliver(event, failing.url, quick({ retry: 4 }))).toMatchObject({ outcome: 'failed', attempts: 5 });
    expect(failing.requests).toHaveLength(5);

    const recovering = await subscriber([{ status: 503 }, { status: 500 }, { status: 202 }]);
    expect(await deliverer().deliver(event, recovering.url, quick({ retry: 4 }))).toMatchObject({ outcome: 'delivered', status: 202, attempts: 3 });
    expect(recovering.requests).toHaveLength(3);
    expect(new Set(recovering.requests.map((request) => request.headers['ce-id']))).toEqual(new Set(['evt-1']));
  });

  it('retries when the connection is refused', async () => {
    const attempts: AttemptInfo[] = [];
    const target = `http://127.0.0.1:${await closedPort()}/`;
    const result = await deliverer({ onAttempt: (info) => attempts.push(info) }).deliver(event, target, quick({ retry: 2 }));
    expect(result).toMatchObject({ outcome: 'failed', attempts: 3, status: undefined });
    if (result.outcome === 'failed') expect(result.error).toMatch(/ECONNREFUSED/);
    expect(attempts.map((info) => info.outcome)).toEqual(['connection-error', 'connection-error', 'connection-error']);
  });

  it('gives up an attempt after the timeout and retries it', async () => {
    const sub = await subscriber([{ status: 202, delayMs: 5_000 }]);
    const result = await deliverer().deliver(event, sub.url, quick({ retry: 1, timeout: 'PT0.2S' }));
    expect(sub.requests).toHaveLength(2);
    expect(result).toMatchObject({ outcome: 'failed', attempts: 2, status: undefined });
    if (result.outcome === 'failed') expect(result.error).toMatch(/timed out/);
  });

  it('spaces retries exponentially or linearly', async () => {
    const exponential = await subscriber([{ status: 500 }]);
    const linear = await subscriber([{ status: 500 }]);
    const sender = deliverer();
    await Promise.all([
      sender.deliver(event, exponential.url, resolveDeliveryPolicy({ retry: 3, backoffPolicy: 'exponential', backoffDelay: 'PT0.05S' })),
      sender.deliver(event, linear.url, resolveDeliveryPolicy({ retry: 3, backoffPolicy: 'linear', backoffDelay: 'PT0.05S' })),
    ]);
    // Knative: retry n waits backoffDelay * 2^n (100, 200, 400 ms) or backoffDelay * n (50, 100, 150 ms).
    const [e1, e2, e3] = gaps(exponential);
    const [l1, l2, l3] = gaps(linear);
    expect(e2).toBeGreaterThan(e1);
    expect(e3).toBeGreaterThan(e2);
    expect(e3).toBeGreaterThan(e1 * 2);
    expect(l3).toBeGreaterThan(l1);
    expect(e3).toBeGreaterThan(l3);
    // Waits never end early.
    expect(Math.min(e1, e2, e3, l1, l2, l3)).toBeGreaterThanOrEqual(45);
  });

  it('honours Retry-After on 429/503 only with retryAfterMax, capped by it', async () => {
    const plan = [{ status: 503, headers: { 'retry-after': '1' } }, { status: 202 }];
    const honoured = await subscriber(plan);
    const capped = await subscriber([{ status: 429, headers: { 'retry-after': '1' } }, { status: 202 }]);
    const ignored = await subscriber(plan);
    const sender = deliverer();
    const results = await Promise.all([
      sender.deliver(event, honoured.url, quick({ retry: 1, retryAfterMax: 'PT1S' })),
      sender.deliver(event, capped.url, quick({ retry: 1, retryAfterMax: 'PT0.3S' })),
      sender.deliver(event, ignored.url, quick({ retry: 1 })),
    ]);
    expect(results.map((result) => result.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
    const [honouredGap] = gaps(honoured);
    const [cappedGap] = gaps(capped);
    const [ignoredGap] = gaps(ignored);
    expect(honouredGap).toBeGreaterThanOrEqual(990);
    expect(cappedGap).toBeGreaterThanOrEqual(290);
    expect(cappedGap).toBeLessThan(honouredGap);
    expect(ignoredGap).toBeLessThan(cappedGap);
  });

  it('stops promptly when the signal aborts, during a request or a backoff wait', async () => {
    const slow = await subscriber([{ status: 202, delayMs: 10_000 }]);
    const duringRequest = new AbortController();
    const pending = deliverer().deliver(event, slow.url, quick({ retry: 3 }), duringRequest.signal);
    await slow.waitForRequests(1);
    duringRequest.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    const failing = await subscriber([{ status: 500 }]);
    const duringWait = new AbortController();
    const waiting = deliverer().deliver(event, failing.url, resolveDeliveryPolicy({ retry: 3, backoffDelay: 'PT10S' }), duringWait.signal);
    await failing.waitForRequests(1);
    duringWait.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(failing.requests).toHaveLength(1);
  });

  it('lets a request on the wire finish when only the backoff signal aborts, and ends the backoff wait (a shutdown drains so)', async () => {
    const slow = await subscriber([{ status: 202, delayMs: 300 }]);
    const onTheWire = new AbortController();
    const delivering = deliverer().deliver(event, slow.url, quick({ retry: 3 }), undefined, undefined, onTheWire.signal);
    await slow.waitForRequests(1);
    onTheWire.abort();
    expect(await delivering).toMatchObject({ outcome: 'delivered', status: 202, attempts: 1 });

    // A request that fails after the backoff signal aborted is not retried.
    const failingLater = await subscriber([{ status: 503, delayMs: 300 }]);
    const beforeFailure = new AbortController();
    const failed = deliverer().deliver(event, failingLater.url, quick({ retry: 3 }), undefined, undefined, beforeFailure.signal);
    await failingLater.waitForRequests(1);
    beforeFailure.abort();
    await expect(failed).rejects.toMatchObject({ name: 'AbortError' });
    expect(failingLater.requests).toHaveLength(1);

    const failing = await subscriber([{ status: 500 }]);
    const duringWait = new AbortController();
    const waiting = deliverer().deliver(event, failing.url, resolveDeliveryPolicy({ retry: 3, backoffDelay: 'PT10S' }), new AbortController().signal, undefined, duringWait.signal);
    await failing.waitForRequests(1);
    duringWait.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(failing.requests).toHaveLength(1);
  });
});
