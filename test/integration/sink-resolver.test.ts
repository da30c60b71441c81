import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, type TestJunction } from '../support/junction.js';

const NAMESPACE = 'sinks';
const brokerRef = { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } };
const event = (id: string): CloudEvent => ({ specversion: '1.0', id, source: '/sink-resolver', type: 'dev.junction.test' });

describe('the sink resolver (where sources send their events)', () => {
  let junction: TestJunction;
  let subscriber: HttpSubscriber;
  let target: HttpSubscriber;
  beforeAll(async () => {
    subscriber = await startHttpSubscriber();
    target = await startHttpSubscriber();
    junction = await startTestJunction();
    for (const resource of brokerWithTrigger({ namespace: NAMESPACE, trigger: 'all', subscriberUrl: subscriber.url })) await junction.apply(resource);
    await junction.waitReady('triggers', NAMESPACE, 'all');
  });
  afterAll(async () => {
    await junction?.stop();
    await subscriber?.close();
    await target?.close();
  });

  it('sends a ref to a broker of the namespace in-process, even when the broker’s stored address is stale (a restart on another port)', async () => {
    const stored = (await junction.call('GET', `/apis/eventing.knative.dev/v1/namespaces/${NAMESPACE}/brokers/default`)).json;
    // As after a restart on another port, before the broker reconciler rewrote its address.
    junction.resources.updateStatus(stored, { ...stored.status, address: { url: `http://127.0.0.1:1/${NAMESPACE}/default` } });
    const sink = junction.sinks.resolve(NAMESPACE, brokerRef);
    expect(sink.uri).toBe(`http://127.0.0.1:1/${NAMESPACE}/default`);
    expect(sink.inProcess).toBe(true);
    await sink.send([event('in-process-1')]);
    await subscriber.waitForRequests(1);
    expect(subscriber.requests.map((request) => request.headers['ce-id'])).toContain('in-process-1');
  });

  it('sends this Junction’s own ingress URL in-process, another tenant’s and any other URL over HTTP', async () => {
    expect(junction.sinks.resolve(NAMESPACE, { uri: `${junction.url}/${NAMESPACE}/default` }).inProcess).toBe(true);
    expect(junction.sinks.resolve('other', { uri: `${junction.url}/${NAMESPACE}/default` }).inProcess).toBe(false);
    const http = junction.sinks.resolve(NAMESPACE, { uri: target.url });
    expect(http).toMatchObject({ inProcess: false, uri: target.url });
    await http.send([event('over-http-1')]);
    expect(target.requests.map((request) => request.headers['ce-id'])).toEqual(['over-http-1']);
  });

  it('retries an HTTP sink per its delivery spec and rejects with JUNCTION_SINK_UNAVAILABLE when every attempt fails', async () => {
    target.respond([{ status: 503 }, { status: 202 }]);
    target.requests.length = 0;
    await junction.sinks.resolve(NAMESPACE, { uri: target.url }, { retry: 2, backoffDelay: 'PT0.01S' }).send([event('retried-1')]);
    expect(target.requests).toHaveLength(2);
    target.respond([{ status: 500 }]);
    target.requests.length = 0;
    await expect(junction.sinks.resolve(NAMESPACE, { uri: target.url }, { retry: 1, backoffDelay: 'PT0.01S' }).send([event('failed-1')])).rejects.toMatchObject({ code: 'JUNCTION_SINK_UNAVAILABLE' });
    expect(target.requests).toHaveLength(2);
  });

  it('cannot resolve a ref that does not exist yet', () => {
    expect(() => junction.sinks.resolve(NAMESPACE, { ref: { ...brokerRef.ref, name: 'missing' } })).toThrow(expect.objectContaining({ code: 'JUNCTION_RESOURCE_NOT_FOUND' }));
  });
});
