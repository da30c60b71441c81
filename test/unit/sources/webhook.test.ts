import { createHash, createHmac } from 'node:crypto';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { isJunctionError } from '../../../core/errors.js';
import { webhookProvider } from '../../../sources/webhook/providers/webhook/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const Ajv = AjvModule.default ?? AjvModule;
const SECRET = 'whsec-generic-0123456789';
const secretToken = { secretKeyRef: { name: 'hook-key', key: 'secret' } };
const body = JSON.stringify({ type: 'order.created', order: { id: 'ord_42', 'a/b': 'slash', 'm~n': 'tilde' }, items: [{ sku: 'X-1' }] });
const hex = (data: string, algorithm = 'sha256') => createHmac(algorithm, SECRET).update(data).digest('hex');
const verify = (request: ReturnType<typeof webhookRequest>, spec: Record<string, unknown>, secret: string | null = SECRET, now = Date.now()) =>
  webhookProvider.verify(request, secret === null ? {} : { secret }, webhookContext(spec, 300, now));

function payloadError(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isJunctionError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('no error thrown');
}

describe('WebhookSource auth', () => {
  it('defaults to HMAC-SHA256 hex in X-Signature when spec.secretToken is set', () => {
    const spec = { secretToken };
    expect(verify(webhookRequest(body, { 'x-signature': hex(body) }), spec)).toEqual({ ok: true });
    expect(verify(webhookRequest(body.replace('ord_42', 'ord_43'), { 'x-signature': hex(body) }), spec)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify(webhookRequest(body, { 'x-signature': hex(body) }), spec, 'another secret')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify(webhookRequest(body, {}), spec)).toMatchObject({ ok: false, reason: 'missing', message: 'the request has no x-signature header' });
    expect(verify(webhookRequest(body, { 'x-signature': 'not-hex' }), spec)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('reads the header, algorithm, encoding and prefix from spec.auth, and accepts any of several signatures', () => {
    const auth = { type: 'hmac', header: 'X-Hook-Signature', algorithm: 'sha512', encoding: 'base64', prefix: 'sha512=' };
    const signature = `sha512=${createHmac('sha512', SECRET).update(body).digest('base64')}`;
    expect(verify(webhookRequest(body, { 'x-hook-signature': signature }), { secretToken, auth })).toEqual({ ok: true });
    // The hex of the same MAC, or the right MAC without its prefix, is not what the spec says.
    expect(verify(webhookRequest(body, { 'x-hook-signature': `sha512=${hex(body, 'sha512')}` }), { secretToken, auth })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify(webhookRequest(body, { 'x-hook-signature': signature.slice('sha512='.length) }), { secretToken, auth })).toMatchObject({ ok: false, reason: 'invalid' });
    const sha1 = { type: 'hmac', algorithm: 'sha1', prefix: 'sha1=' };
    expect(verify(webhookRequest(body, { 'x-signature': `sha1=${'0'.repeat(40)}, sha1=${hex(body, 'sha1')}` }), { secretToken, auth: sha1 })).toEqual({ ok: true });
    expect(verify(webhookRequest(body, { 'x-signature': `sha1=${'0'.repeat(40)}` }), { secretToken, auth: sha1 })).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('signs "<timestamp>.<body>" with a timestampHeader: signature first, then the replay window', () => {
    const auth = { type: 'hmac', timestampHeader: 'x-timestamp' };
    const now = 1_800_000_000_000;
    const at = (seconds: number, signedAt = seconds) => webhookRequest(body, { 'x-timestamp': String(seconds), 'x-signature': hex(`${signedAt}.${body}`) });
    expect(verify(at(1_800_000_000), { secretToken, auth }, SECRET, now)).toEqual({ ok: true });
    expect(verify(at(1_800_000_000 - 299), { secretToken, auth }, SECRET, now)).toEqual({ ok: true });
    expect(verify(at(1_800_000_000 - 3600), { secretToken, auth }, SECRET, now)).toMatchObject({ ok: false, reason: 'stale' });
    // A fresh timestamp put on an old signature: the signature no longer covers it.
    expect(verify(at(1_800_000_000, 1_800_000_000 - 3600), { secretToken, auth }, SECRET, now)).toMatchObject({ ok: false, reason: 'invalid' });
    // The body alone signed, as without a timestampHeader: refused.
    expect(verify(webhookRequest(body, { 'x-timestamp': '1800000000', 'x-signature': hex(body) }), { secretToken, auth }, SECRET, now)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify(webhookRequest(body, { 'x-signature': hex(`1800000000.${body}`) }), { secretToken, auth }, SECRET, now)).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringContaining('x-timestamp') });
  });

  it('checks Basic credentials ("user:password") and Bearer tokens against the whole secret', () => {
    const basic = { secretToken, auth: { type: 'basic' } };
    const credentials = 'ingest:s3cr3t:with:colons';
    const encoded = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;
    expect(verify(webhookRequest(body, { authorization: encoded(credentials) }), basic, credentials)).toEqual({ ok: true });
    expect(verify(webhookRequest(body, { authorization: `basic   ${Buffer.from(credentials).toString('base64')}` }), basic, credentials)).toEqual({ ok: true });
    expect(verify(webhookRequest(body, { authorization: encoded('ingest:wrong') }), basic, credentials)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify(webhookRequest(body, { authorization: encoded('ingest') }), basic, credentials)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify(webhookRequest(body, { authorization: `Bearer ${credentials}` }), basic, credentials)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify(webhookRequest(body, {}), basic, credentials)).toMatchObject({ ok: false, reason: 'missing' });

    const bearer = { secretToken, auth: { type: 'bearer' } };
    expect(verify(webhookRequest(body, { authorization: `Bearer ${SECRET}` }), bearer)).toEqual({ ok: true });
    expect(verify(webhookRequest(body, { authorization: `Bearer ${SECRET}x` }), bearer)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify(webhookRequest(body, { authorization: encoded(SECRET) }), bearer)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify(webhookRequest(body, {}), bearer)).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('runs open only with an explicit auth.type none; no secret and no auth refuses everything; no message names the secret', () => {
    expect(verify(webhookRequest(body, {}), { auth: { type: 'none' } }, null)).toEqual({ ok: true });
    const closed = verify(webhookRequest(body, { 'x-signature': hex(body) }), {}, null);
    expect(closed).toMatchObject({ ok: false, reason: 'missing', message: expect.stringContaining('spec.auth.type: none') });
    expect(verify(webhookRequest(body, { authorization: `Bearer ${SECRET}` }), { auth: { type: 'bearer' } }, null)).toMatchObject({ ok: false, reason: 'missing', message: expect.stringContaining('spec.secretToken') });
    const refusals = [
      verify(webhookRequest(body, { 'x-signature': hex('other') }), { secretToken }),
      verify(webhookRequest(body, { authorization: 'Bearer nope' }), { secretToken, auth: { type: 'bearer' } }),
      verify(webhookRequest(body, { authorization: 'Basic bm9wZQ==' }), { secretToken, auth: { type: 'basic' } }),
    ];
    for (const refusal of refusals) expect(JSON.stringify(refusal)).not.toContain(SECRET);
  });
});

describe('WebhookSource mapping', () => {
  const headers = { 'content-type': 'application/json', 'x-event-type': 'order.created', 'x-delivery': 'dlv-7' };

  it('takes type, id and source from the spec: typeFrom + typePrefix, idFrom, spec.source', () => {
    const spec = { typeFrom: { header: 'X-Event-Type' }, typePrefix: 'com.example.shop.', idFrom: { header: 'x-delivery' }, source: 'https://shop.example.com' };
    const { deliveryId, events } = webhookProvider.map(webhookRequest(body, headers), webhookContext(spec));
    expect(deliveryId).toBe('dlv-7');
    expect(events).toEqual([{ id: 'dlv-7', type: 'com.example.shop.order.created', source: 'https://shop.example.com', datacontenttype: 'application/json', data: JSON.parse(body), extensions: undefined }]);
  });

  it('reads RFC 6901 JSON Pointers (escapes, array indexes) into the data', () => {
    const map = (spec: Record<string, unknown>) => webhookProvider.map(webhookRequest(body, headers), webhookContext(spec)).events[0]!;
    expect(map({ typeFrom: { jsonPointer: '/type' }, idFrom: { jsonPointer: '/order/id' } })).toMatchObject({ type: 'order.created', id: 'ord_42' });
    expect(map({ typeFrom: { jsonPointer: '/order/a~1b' }, idFrom: { jsonPointer: '/order/m~0n' } })).toMatchObject({ type: 'slash', id: 'tilde' });
    expect(map({ idFrom: { jsonPointer: '/items/0/sku' } }).id).toBe('X-1');
    // typeFrom finding nothing falls back to eventType, then to the default type.
    expect(map({ typeFrom: { jsonPointer: '/missing' }, eventType: 'com.example.fallback' }).type).toBe('com.example.fallback');
    expect(map({ typeFrom: { jsonPointer: '/order' } }).type).toBe('dev.junction.webhook');
  });

  it('without idFrom: a generated id, and the SHA-256 of the body as the delivery id (an exact redelivery is deduped)', () => {
    const first = webhookProvider.map(webhookRequest(body, headers), webhookContext());
    const again = webhookProvider.map(webhookRequest(body, headers), webhookContext());
    expect(first.deliveryId).toBe(createHash('sha256').update(body).digest('hex'));
    expect(again.deliveryId).toBe(first.deliveryId);
    expect(first.events[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.events[0]!.id).not.toBe(first.events[0]!.id);
    expect(first.events[0]).toMatchObject({ type: 'dev.junction.webhook', source: '/sources/default/hook' });
    expect(webhookProvider.map(webhookRequest(`${body} `, headers), webhookContext()).deliveryId).not.toBe(first.deliveryId);
  });

  it('gives form posts as an object of fields, text as text, and bytes that are not UTF-8 as data_base64', () => {
    const form = webhookProvider.map(webhookRequest('name=Ada+Lovelace&plan=pro&plan=team', { 'content-type': 'application/x-www-form-urlencoded' }), webhookContext({ idFrom: { jsonPointer: '/name' } })).events[0]!;
    expect(form).toMatchObject({ id: 'Ada Lovelace', datacontenttype: 'application/json', data: { name: 'Ada Lovelace', plan: 'team' } });
    const text = webhookProvider.map(webhookRequest('disk /dev/sda1 at 91%', { 'content-type': 'text/plain; charset=utf-8' }), webhookContext()).events[0]!;
    expect(text).toMatchObject({ datacontenttype: 'text/plain; charset=utf-8', data: 'disk /dev/sda1 at 91%' });
    const bytes = Buffer.from([0xff, 0x00, 0xfe]);
    const binary = webhookProvider.map(webhookRequest(bytes, { 'content-type': 'application/octet-stream' }), webhookContext()).events[0]!;
    expect(binary).toMatchObject({ datacontenttype: 'application/octet-stream', data_base64: bytes.toString('base64') });
    expect(binary.extensions).toBeUndefined();
    expect(binary.data).toBeUndefined();
    const untyped = webhookProvider.map(webhookRequest('[1,2]', {}), webhookContext()).events[0]!;
    expect(untyped).toMatchObject({ datacontenttype: 'application/json', data: [1, 2] });
  });

  it('refuses a JSON body that does not parse, and an id the spec points at that is not there', () => {
    expect(payloadError(() => webhookProvider.map(webhookRequest('{"type":', headers), webhookContext()))).toMatchObject({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID', message: expect.stringContaining('not valid JSON') });
    expect(payloadError(() => webhookProvider.map(webhookRequest(body, headers), webhookContext({ idFrom: { header: 'x-request-id' } })))).toMatchObject({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID', message: expect.stringContaining('x-request-id') });
  });
});

describe('WebhookSource spec schema', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(webhookProvider.specSchema!);
  it('accepts the documented shapes and refuses malformed ones', () => {
    for (const good of [{ auth: { type: 'none' } }, { auth: { type: 'hmac', header: 'x-hub', algorithm: 'sha1', encoding: 'base64', prefix: 'sha1=', timestampHeader: 'x-ts' } }, { typeFrom: { jsonPointer: '/a~1b/0' }, typePrefix: 'com.x.', idFrom: { header: 'x-id' }, source: 'urn:x' }]) {
      expect(validate(good), JSON.stringify(good)).toBe(true);
    }
    for (const bad of [{ auth: {} }, { auth: { type: 'jwt' } }, { auth: { type: 'bearer', header: 'x-token' } }, { auth: { type: 'hmac', algorithm: 'md5' } }, { auth: { type: 'hmac', prefix: 'HMAC ' } }, { typeFrom: { jsonPointer: 'type' } }, { idFrom: {} }, { idFrom: { header: 'x-id', jsonPointer: '/id' } }, { typeFrom: { header: 'bad header' } }, { eventType: '' }]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
