import { CloudEvent, HTTP } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../../core/resources/index.js';
import { startHttpSubscriber, type HttpSubscriber } from '../../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, type TestJunction } from '../../support/junction.js';

const NAMESPACE = 'generic';
const sink = { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } };

/** WebhookSource / CloudEventsSource on a real Junction: optional credentials, the kind's schema, and what a subscriber receives. */
describe('generic push sources on a running Junction', () => {
  let junction: TestJunction;
  let subscriber: HttpSubscriber;
  const received = () => subscriber.requests.map((request) => HTTP.toEvent({ headers: request.headers as Record<string, string>, body: request.body.toString('utf8') }) as CloudEvent<unknown>);
  const source = (kind: string, name: string, spec: Record<string, unknown>): Resource => ({ apiVersion: 'sources.junction.dev/v1', kind, metadata: { name, namespace: NAMESPACE }, spec: { sink, ...spec } });

  beforeAll(async () => {
    subscriber = await startHttpSubscriber();
    junction = await startTestJunction();
    for (const resource of brokerWithTrigger({ namespace: NAMESPACE, trigger: 'all', subscriberUrl: subscriber.url })) await junction.apply(resource);
    await junction.waitReady('triggers', NAMESPACE, 'all');
  });
  afterAll(async () => {
    await junction?.stop();
    await subscriber?.close();
  });

  it('runs a WebhookSource with auth.type none and no Secret, and delivers a form post as JSON data', async () => {
    await junction.apply(source('WebhookSource', 'open', { auth: { type: 'none' }, eventType: 'com.example.form.submitted', idFrom: { jsonPointer: '/ticket' } }));
    const ready = await junction.waitReady('webhooksources', NAMESPACE, 'open', 'sources.junction.dev/v1');
    expect(ready.status?.url).toBe(`${junction.url}/sources/${NAMESPACE}/open`);
    const answer = await junction.post(`/sources/${NAMESPACE}/open`, 'ticket=T-1001&email=ada%40example.com', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(answer.status, answer.text).toBe(200);
    await subscriber.waitForRequests(1);
    expect(received().find((event) => event.id === 'T-1001')).toMatchObject({ type: 'com.example.form.submitted', source: `/sources/${NAMESPACE}/open`, datacontenttype: 'application/json', data: { ticket: 'T-1001', email: 'ada@example.com' } });
  });

  it('delivers bytes that are not UTF-8 as data_base64 with the request\'s content type', async () => {
    await junction.apply(source('WebhookSource', 'raw', { auth: { type: 'none' }, eventType: 'com.example.raw' }));
    await junction.waitReady('webhooksources', NAMESPACE, 'raw', 'sources.junction.dev/v1');
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]);
    expect((await junction.post(`/sources/${NAMESPACE}/raw`, bytes, { 'content-type': 'image/png' })).status).toBe(200);
    const delivered = () => subscriber.requests.find((request) => request.headers['ce-type'] === 'com.example.raw');
    for (let waited = 0; !delivered() && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    // Binary mode: the bytes are the body, exactly as posted.
    expect(delivered()?.headers['content-type']).toBe('image/png');
    expect(delivered()?.body.equals(bytes)).toBe(true);
  });

  it('refuses a WebhookSource or CloudEventsSource with neither secretToken nor auth at apply: an open endpoint is opt-in', async () => {
    for (const [kind, plural] of [['WebhookSource', 'webhooksources'], ['CloudEventsSource', 'cloudeventssources']]) {
      const unconfigured = source(kind!, 'unconfigured', {});
      const refused = await junction.call('PUT', `/apis/sources.junction.dev/v1/namespaces/${NAMESPACE}/${plural}/unconfigured`, JSON.stringify(unconfigured), { 'content-type': 'application/json' });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({ code: 'JUNCTION_RESOURCE_INVALID' });
      expect(JSON.stringify(refused.json)).toContain('auth.type: none');
      const bearer = await junction.call('PUT', `/apis/sources.junction.dev/v1/namespaces/${NAMESPACE}/${plural}/bearer`, JSON.stringify(source(kind!, 'bearer', { auth: { type: 'bearer' } })), { 'content-type': 'application/json' });
      expect(bearer.status).toBe(400);
      expect(JSON.stringify(bearer.json)).toContain('spec.secretToken');
    }
  });

  it('passes a structured-mode CloudEvent through unchanged and answers an invalid one 400 with each problem', async () => {
    await junction.apply(source('CloudEventsSource', 'producer', { auth: { type: 'none' } }));
    await junction.waitReady('cloudeventssources', NAMESPACE, 'producer', 'sources.junction.dev/v1');
    const sent = new CloudEvent({ id: 'ce-1', source: 'urn:example:producer', type: 'com.example.produced', subject: 'item/9', region: 'eu', data: { item: 9 } });
    const message = HTTP.structured(sent);
    const answer = await junction.post(`/sources/${NAMESPACE}/producer`, String(message.body), message.headers as Record<string, string>);
    expect(answer.status, answer.text).toBe(200);
    for (let waited = 0; !received().some((event) => event.id === 'ce-1') && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received().find((event) => event.id === 'ce-1')).toMatchObject({ source: 'urn:example:producer', type: 'com.example.produced', subject: 'item/9', region: 'eu', time: sent.time, data: { item: 9 } });

    const invalid = await junction.post(`/sources/${NAMESPACE}/producer`, '{"specversion":"1.0","id":"x"}', { 'content-type': 'application/cloudevents+json' });
    expect(invalid.status).toBe(400);
    expect(invalid.json.code).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(invalid.json.errors.map((problem: { path: string }) => problem.path).sort()).toEqual(['source', 'type']);
  });

  it('refuses a malformed spec.auth or JSON Pointer on apply, naming the field', async () => {
    const put = (resource: Resource) => junction.call('PUT', `/apis/sources.junction.dev/v1/namespaces/${NAMESPACE}/webhooksources/${resource.metadata.name}`, JSON.stringify(resource), { 'content-type': 'application/json' });
    const badAuth = await put(source('WebhookSource', 'bad-auth', { auth: { type: 'hmac', algorithm: 'md5' } }));
    expect(badAuth.status).toBe(400);
    expect(JSON.stringify(badAuth.json)).toContain('spec.auth.algorithm');
    const badPointer = await put(source('WebhookSource', 'bad-pointer', { auth: { type: 'none' }, idFrom: { jsonPointer: 'id' } }));
    expect(badPointer.status).toBe(400);
    expect(JSON.stringify(badPointer.json)).toContain('spec.idFrom.jsonPointer');
  });
});
