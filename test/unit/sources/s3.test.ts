import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkEvents } from '../../conformance/webhook.suite.js';
import { sleep } from '../../support/eventually.js';
import { startHttpSubscriber, type HttpSubscriber } from '../../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, type TestJunction } from '../../support/junction.js';
import { s3Provider } from '../../../sources/webhook/providers/s3/index.js';
import type { WebhookContext, WebhookRequest } from '../../../sources/webhook/types.js';

const SECRET = 'minio-webhook-token-0123456789';
const context: WebhookContext = { namespace: 'default', name: 'images', spec: {}, toleranceSeconds: 0, now: Date.now() };

function request(body: unknown, authorization: string | null = `Bearer ${SECRET}`): WebhookRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== null) headers.authorization = authorization;
  return { method: 'POST', url: 'https://hooks.example.com/sources/default/images', headers, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) };
}

/** A MinIO webhook-target notification, as `mc event add … arn:minio:sqs::PRIMARY:webhook` posts it. */
const minioRecord = {
  eventVersion: '2.0',
  eventSource: 'minio:s3',
  awsRegion: '',
  eventTime: '2026-12-06T10:15:30.123Z',
  eventName: 's3:ObjectCreated:Put',
  userIdentity: { principalId: 'minioadmin' },
  requestParameters: { principalId: 'minioadmin', region: '', sourceIPAddress: '10.0.0.7' },
  responseElements: { 'x-amz-id-2': 'dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8', 'x-amz-request-id': '187E3F5A8C0B2D11', 'x-minio-deployment-id': 'a1b2c3', 'x-minio-origin-endpoint': 'http://10.0.0.5:9000' },
  s3: {
    s3SchemaVersion: '1.0',
    configurationId: 'Config',
    bucket: { name: 'images', ownerIdentity: { principalId: 'minioadmin' }, arn: 'arn:aws:s3:::images' },
    object: { key: 'cats%2Fmilo.jpg', size: 48213, eTag: '5d41402abc4b2a76b9719d911017c592', contentType: 'image/jpeg', userMetadata: { 'content-type': 'image/jpeg' }, sequencer: '187E3F5A8C2F6A40' },
  },
  source: { host: '10.0.0.7', port: '', userAgent: 'MinIO (linux; amd64) minio-go/v7.0.70 mc/RELEASE.2024-06-12T14-34-03Z' },
};
const minio = { EventName: 's3:ObjectCreated:Put', Key: 'images/cats/milo.jpg', Records: [minioRecord] };

/** A Ceph RGW HTTP push-endpoint notification: `{Records}` only, eventName without `s3:`, the zonegroup as region. */
const cephRecord = (key: string, sequencer: string) => ({
  eventVersion: '2.2',
  eventSource: 'ceph:s3',
  awsRegion: 'default',
  eventTime: '2026-12-06T10:20:00.000000Z',
  eventName: 'ObjectRemoved:DeleteMarkerCreated',
  userIdentity: { principalId: 'tester' },
  requestParameters: { sourceIPAddress: '' },
  responseElements: { 'x-amz-request-id': 'a2c8d4b1-1c2e-4f3a-9a51-5d0b8e0a7f2c.4125.1', 'x-amz-id-2': '101d-default-default' },
  s3: { s3SchemaVersion: '1.0', configurationId: 'deletes', bucket: { name: 'logs', ownerIdentity: { principalId: 'tester' }, arn: 'arn:aws:s3:default::logs', id: 'a2c8.4125.1' }, object: { key, size: 0, eTag: '', versionId: '', sequencer, metadata: [], tags: [] } },
  eventId: '1765016400.000000.d41d8cd98f00b204e9800998ecf8427e',
  opaqueData: '',
});

describe('S3Source verify', () => {
  it('accepts Authorization: Bearer <secret> (any case of the scheme) and a verbatim token', () => {
    expect(s3Provider.verify(request(minio), { secret: SECRET }, context)).toEqual({ ok: true });
    expect(s3Provider.verify(request(minio, `bearer ${SECRET}`), { secret: SECRET }, context)).toEqual({ ok: true });
    expect(s3Provider.verify(request(minio, 'Token abc def'), { secret: 'Token abc def' }, context)).toEqual({ ok: true });
  });

  it('refuses a wrong token as invalid and no header as missing', () => {
    expect(s3Provider.verify(request(minio, 'Bearer not-the-token'), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(s3Provider.verify(request(minio, `Bearer ${SECRET}x`), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(s3Provider.verify(request(minio, `Basic ${SECRET}`), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(s3Provider.verify(request(minio, null), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'missing' });
    expect(s3Provider.verify(request(minio, 'Bearer '), { secret: '' }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    const refused = s3Provider.verify(request(minio, 'Bearer nope'), { secret: SECRET }, context);
    expect(JSON.stringify(refused)).not.toContain(SECRET);
  });
});

describe('S3Source mapping', () => {
  it('maps a MinIO notification per the CloudEvents S3 adapter', () => {
    const { deliveryId, events } = s3Provider.map(request(minio), context);
    expect(deliveryId).toMatch(/^[0-9a-f]{64}$/);
    expect(events).toEqual([
      {
        id: '187E3F5A8C0B2D11.dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8',
        type: 'com.amazonaws.s3.ObjectCreated:Put',
        source: 'minio:s3..images',
        subject: 'cats%2Fmilo.jpg',
        time: '2026-12-06T10:15:30.123Z',
        datacontenttype: 'application/json',
        data: minioRecord,
        extensions: { bucket: 'images', eventsource: 'minio:s3' },
      },
    ]);
  });

  it('maps a Ceph RGW batch, one event per record, telling apart records of one multi-object delete', () => {
    const body = { Records: [cephRecord('app/2026-12-05.log', '0F8A2C5E00000001'), cephRecord('app/2026-12-06.log', '0F8A2C5E00000002')] };
    const { deliveryId, events } = s3Provider.map(request(body), context);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ id: 'a2c8d4b1-1c2e-4f3a-9a51-5d0b8e0a7f2c.4125.1.101d-default-default', type: 'com.amazonaws.s3.ObjectRemoved:DeleteMarkerCreated', source: 'ceph:s3.default.logs', subject: 'app/2026-12-05.log', time: '2026-12-06T10:20:00.000Z' });
    expect(events[1]!.id).toMatch(/^a2c8d4b1-1c2e-4f3a-9a51-5d0b8e0a7f2c\.4125\.1\.101d-default-default\.[0-9a-f]{16}$/);
    expect(events[1]!.subject).toBe('app/2026-12-06.log');
    // A retried POST is the same delivery, whatever the order of its records.
    expect(s3Provider.map(request({ Records: [...body.Records].reverse() }), context).deliveryId).toBe(deliveryId);
    expect(s3Provider.map(request({ Records: body.Records.slice(0, 1) }), context).deliveryId).not.toBe(deliveryId);
  });

  it('derives a stable id from the record when the store sends no request ids', () => {
    const bare = { ...minioRecord, responseElements: {} };
    const first = s3Provider.map(request({ Records: [bare] }), context).events[0]!.id;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(s3Provider.map(request({ Records: [bare] }), context).events[0]!.id).toBe(first);
    const other = { ...bare, s3: { ...bare.s3, object: { ...bare.s3.object, sequencer: '187E3F5A8C2F6A41' } } };
    expect(s3Provider.map(request({ Records: [other] }), context).events[0]!.id).not.toBe(first);
  });

  it('refuses a body it cannot read with JUNCTION_WEBHOOK_PAYLOAD_INVALID', () => {
    const invalid = expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' });
    expect(() => s3Provider.map(request('not json'), context)).toThrow(invalid);
    expect(() => s3Provider.map(request({ EventName: 's3:ObjectCreated:Put' }), context)).toThrow(invalid);
    expect(() => s3Provider.map(request({ Records: ['x'] }), context)).toThrow(invalid);
    expect(() => s3Provider.map(request({ Records: [{ eventName: 'ObjectCreated:Put' }] }), context)).toThrow(invalid);
  });
});

describe('S3Source through a running Junction', () => {
  let junction: TestJunction;
  let subscriber: HttpSubscriber;
  let path: string;
  const post = (body: unknown, authorization: string | null = `Bearer ${SECRET}`) => {
    const sent = request(body, authorization);
    return junction.post(path, sent.body, sent.headers as Record<string, string>);
  };

  beforeAll(async () => {
    subscriber = await startHttpSubscriber();
    junction = await startTestJunction();
    for (const resource of brokerWithTrigger({ namespace: 'hooks', trigger: 'all', subscriberUrl: subscriber.url })) await junction.apply(resource);
    await junction.waitReady('triggers', 'hooks', 'all');
    await junction.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'minio', namespace: 'hooks' }, stringData: { token: SECRET } });
    await junction.apply({ apiVersion: 'sources.junction.dev/v1', kind: 'S3Source', metadata: { name: 'images', namespace: 'hooks' }, spec: { secretToken: { secretKeyRef: { name: 'minio', key: 'token' } }, sink: { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } } } });
    const ready = await junction.waitReady('s3sources', 'hooks', 'images', 'sources.junction.dev/v1');
    path = new URL(String(ready.status?.url)).pathname;
  });
  afterAll(async () => {
    await junction?.stop();
    await subscriber?.close();
  });

  it('delivers a MinIO notification once as a valid CloudEvent and refuses wrong or missing tokens', async () => {
    const first = await post(minio);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({ accepted: 1 });
    await subscriber.waitForRequests(1);
    const [event] = sdkEvents(subscriber.requests);
    expect(event).toMatchObject({ id: '187E3F5A8C0B2D11.dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8', type: 'com.amazonaws.s3.ObjectCreated:Put', source: 'minio:s3..images', bucket: 'images' });
    // Binary mode percent-encodes `%` in ce-subject (CloudEvents HTTP binding 3.1.3.2); the SDK hands it on undecoded.
    expect(decodeURIComponent(String(event!.subject))).toBe('cats%2Fmilo.jpg');
    expect((await post(minio)).json).toEqual({ accepted: 0, duplicate: true });

    const wrong = await post({ ...minio, Records: [{ ...minioRecord, eventName: 's3:ObjectRemoved:Delete' }] }, 'Bearer guessed');
    expect([wrong.status, wrong.json.code]).toEqual([401, 'JUNCTION_WEBHOOK_SIGNATURE_INVALID']);
    expect(wrong.text).not.toContain(SECRET);
    const missing = await post(minio, null);
    expect([missing.status, missing.json.code]).toEqual([401, 'JUNCTION_WEBHOOK_SIGNATURE_MISSING']);
    const unreadable = await post({ Key: 'images/x' });
    expect([unreadable.status, unreadable.json.code]).toEqual([400, 'JUNCTION_WEBHOOK_PAYLOAD_INVALID']);

    await sleep(200);
    expect(subscriber.requests).toHaveLength(1);
  });
});
