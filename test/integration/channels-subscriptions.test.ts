import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resources/index.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { startTestJunction, structuredEvent, type TestJunction } from '../support/junction.js';

const MESSAGING = 'messaging.knative.dev/v1';
const structured = { 'content-type': 'application/cloudevents+json' };

function channel(name: string, spec: Record<string, unknown> = {}, kind = 'Channel'): Resource {
  return { apiVersion: MESSAGING, kind, metadata: { name, namespace: 'default' }, spec };
}

function subscription(name: string, channelName: string, spec: Record<string, unknown>, channelKind = 'Channel'): Resource {
  return { apiVersion: MESSAGING, kind: 'Subscription', metadata: { name, namespace: 'default' }, spec: { channel: { apiVersion: MESSAGING, kind: channelKind, name: channelName }, ...spec } };
}

describe('Channels and Subscriptions (messaging.knative.dev)', () => {
  let junction: TestJunction;
  let subscribers: HttpSubscriber[] = [];
  const subscriber = async (...args: Parameters<typeof startHttpSubscriber>) => {
    const started = await startHttpSubscriber(...args);
    subscribers.push(started);
    return started;
  };

  beforeAll(async () => {
    junction = await startTestJunction();
  });
  afterAll(async () => {
    await junction?.stop();
    await Promise.all(subscribers.map((s) => s.close()));
    subscribers = [];
  });

  it('hosts Channel (default durable engine), InMemoryChannel and a templated Channel at /channels/{ns}/{name}', async () => {
    await junction.apply(channel('plain'));
    await junction.apply(channel('imc', {}, 'InMemoryChannel'));
    await junction.apply(channel('templated', { channelTemplate: { apiVersion: MESSAGING, kind: 'InMemoryChannel' } }));
    const plain = await junction.waitReady('channels', 'default', 'plain', MESSAGING);
    expect(plain.status?.address?.url).toBe(`${junction.url}/channels/default/plain`);
    expect((plain.status as any).annotations['junction.dev/channel']).toBe('sqlite');
    const imc = await junction.waitReady('inmemorychannels', 'default', 'imc', MESSAGING);
    expect((imc.status as any).annotations['junction.dev/channel']).toBe('memory');
    const templated = await junction.waitReady('channels', 'default', 'templated', MESSAGING);
    expect((templated.status as any).channel).toEqual({ apiVersion: MESSAGING, kind: 'InMemoryChannel', name: 'templated' });
    expect(templated.status?.address?.url).toBe(`${junction.url}/channels/default/templated`);
    const backing = await junction.waitReady('inmemorychannels', 'default', 'templated', MESSAGING);
    expect(backing.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Channel', name: 'templated', uid: templated.metadata.uid, controller: true })]);
  });

  it('delivers every event to the subscriber and forwards its reply to the reply destination', async () => {
    const echo = await subscriber((request) => ({
      status: 200,
      headers: { 'ce-specversion': '1.0', 'ce-id': `reply-${request.headers['ce-id']}`, 'ce-source': '/echo', 'ce-type': 'com.example.reply', 'content-type': 'application/json' },
      body: JSON.stringify({ seen: request.headers['ce-id'] }),
    }));
    const replies = await subscriber();
    await junction.apply(channel('orders'));
    await junction.waitReady('channels', 'default', 'orders', MESSAGING);
    await junction.apply(subscription('echo', 'orders', { subscriber: { uri: echo.url }, reply: { uri: replies.url } }));
    const sub = await junction.waitReady('subscriptions', 'default', 'echo', MESSAGING);
    expect((sub.status as any).physicalSubscription).toEqual({ subscriberUri: echo.url, replyUri: replies.url });

    for (const id of ['o-1', 'o-2', 'o-3']) {
      const answer = await junction.post('/channels/default/orders', structuredEvent({ id, type: 'com.example.order' }), structured);
      expect(answer.status).toBe(202);
    }
    await echo.waitForRequests(3);
    expect(echo.requests.map((r) => r.headers['ce-id']).sort()).toEqual(['o-1', 'o-2', 'o-3']);
    await replies.waitForRequests(3);
    expect(replies.requests.map((r) => r.headers['ce-id']).sort()).toEqual(['reply-o-1', 'reply-o-2', 'reply-o-3']);
    expect(JSON.parse(replies.requests[0]!.body.toString())).toHaveProperty('seen');
  });

  it('drops replies when the subscription has no reply, and forwards straight to reply when it has no subscriber', async () => {
    const sink = await subscriber((request) => ({ status: 200, headers: { 'ce-specversion': '1.0', 'ce-id': `r-${request.headers['ce-id']}`, 'ce-source': '/x', 'ce-type': 't' } }));
    const forwarded = await subscriber();
    await junction.apply(channel('fanout', {}, 'InMemoryChannel'));
    await junction.waitReady('inmemorychannels', 'default', 'fanout', MESSAGING);
    await junction.apply(subscription('only-subscriber', 'fanout', { subscriber: { uri: sink.url } }, 'InMemoryChannel'));
    await junction.apply(subscription('only-reply', 'fanout', { reply: { uri: forwarded.url } }, 'InMemoryChannel'));
    await junction.waitReady('subscriptions', 'default', 'only-subscriber', MESSAGING);
    await junction.waitReady('subscriptions', 'default', 'only-reply', MESSAGING);

    expect((await junction.post('/channels/default/fanout', structuredEvent({ id: 'f-1' }), structured)).status).toBe(202);
    await sink.waitForRequests(1);
    await forwarded.waitForRequests(1);
    expect(forwarded.requests.map((r) => r.headers['ce-id'])).toEqual(['f-1']); // the event itself, never sink's reply
    expect(sink.requests.map((r) => r.headers['ce-id'])).toEqual(['f-1']);
  });

  it('dead-letters what the subscriber refuses, with the subscription delivery spec', async () => {
    const failing = await subscriber([{ status: 500, body: 'boom' }]);
    const dlq = await subscriber();
    await junction.apply(channel('risky'));
    await junction.waitReady('channels', 'default', 'risky', MESSAGING);
    await junction.apply(subscription('risky-sub', 'risky', { subscriber: { uri: failing.url }, delivery: { retry: 1, backoffDelay: 'PT0.01S', deadLetterSink: { uri: dlq.url } } }));
    await junction.waitReady('subscriptions', 'default', 'risky-sub', MESSAGING);
    expect((await junction.post('/channels/default/risky', structuredEvent({ id: 'r-1' }), structured)).status).toBe(202);
    const [dead] = await dlq.waitForRequests(1);
    expect(dead!.headers['ce-id']).toBe('r-1');
    expect(dead!.headers['ce-knativeerrorcode']).toBe('500');
    expect(failing.requests).toHaveLength(2);
  });

  it('answers channel ingress errors with problem codes, and a Subscription to a missing channel is not Ready', async () => {
    const missing = await junction.post('/channels/default/nope', structuredEvent(), structured);
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe('JUNCTION_CHANNEL_NOT_FOUND');
    const invalid = await junction.post('/channels/default/plain', '{"specversion":"1.0"}', structured);
    expect(invalid.status).toBe(400);
    await junction.apply(subscription('orphan', 'ghost', { subscriber: { uri: 'http://127.0.0.1:9/' } }));
    await junction.controllers.idle();
    const orphan = (await junction.resources.get(junction.resources.kinds.forDocument(MESSAGING, 'Subscription'), 'default', 'orphan')) as Resource;
    const ready = orphan.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'ChannelNotFound' });
  });

  it('deletes the backing channel with its templated Channel', async () => {
    await junction.apply(channel('temporary', { channelTemplate: { apiVersion: MESSAGING, kind: 'InMemoryChannel' } }));
    await junction.waitReady('channels', 'default', 'temporary', MESSAGING);
    const channelKind = junction.resources.kinds.forDocument(MESSAGING, 'Channel');
    const imcKind = junction.resources.kinds.forDocument(MESSAGING, 'InMemoryChannel');
    junction.resources.delete(channelKind, 'default', 'temporary');
    await junction.controllers.idle();
    expect(() => junction.resources.get(imcKind, 'default', 'temporary')).toThrow(/not found|does not exist/);
    expect((await junction.post('/channels/default/temporary', structuredEvent(), structured)).status).toBe(404);
  });
});
