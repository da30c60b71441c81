import '@shopify/shopify-api/adapters/node';
import { createHmac } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';
import { describe, expect, it } from 'vitest';
import { isJunctionError } from '../../../core/errors.js';
import { shopifyProvider } from '../../../sources/webhook/providers/shopify/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const WEBHOOK_ID = 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043';
const order = { id: 820982911946154, admin_graphql_api_id: 'gid://shopify/Order/820982911946154508', email: 'jon@example.com', name: '#9999' };

const shopify = shopifyApi({ apiKey: 'junction-test', apiSecretKey: SECRET, scopes: [], hostName: 'junction.example.com', apiVersion: ApiVersion.October25, isEmbeddedApp: false, logger: { level: LogSeverity.Error } });

/** A delivery as Shopify sends it, signed with node:crypto (the SDK only verifies). */
function delivery(topic: string, body: string, headers: Record<string, string> = {}) {
  return {
    'content-type': 'application/json', 'x-shopify-topic': topic, 'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
    'x-shopify-shop-domain': 'example-shop.myshopify.com', 'x-shopify-api-version': '2025-10', 'x-shopify-webhook-id': WEBHOOK_ID,
    'x-shopify-triggered-at': '2026-12-06T21:14:05.123456789Z', 'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5', ...headers,
  };
}

/** @shopify/shopify-api's own webhook validator on the same bytes and headers. */
async function sdkAccepts(body: string, headers: Record<string, string>): Promise<boolean> {
  const rawRequest = new IncomingMessage(new Socket());
  rawRequest.headers = headers;
  return (await shopify.webhooks.validate({ rawBody: body, rawRequest, rawResponse: new ServerResponse(rawRequest) })).valid;
}

const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return isJunctionError(error) ? error.code : 'not a JunctionError';
  }
  return 'no error';
};

describe('ShopifySource verification', () => {
  it('accepts a signature @shopify/shopify-api validates, and refuses what it refuses (forged body, another secret)', async () => {
    const body = JSON.stringify(order);
    const headers = delivery('orders/create', body);
    expect(await sdkAccepts(body, headers)).toBe(true);
    expect(shopifyProvider.verify(webhookRequest(body, headers), { secret: SECRET }, webhookContext())).toEqual({ ok: true });

    const forged = body.replace('jon@', 'eve@');
    expect(await sdkAccepts(forged, headers)).toBe(false);
    expect(shopifyProvider.verify(webhookRequest(forged, headers), { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(shopifyProvider.verify(webhookRequest(body, headers), { secret: 'shpss_another' }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses a missing or non-base64 X-Shopify-Hmac-Sha256', () => {
    const body = JSON.stringify(order);
    const { 'x-shopify-hmac-sha256': signature, ...unsigned } = delivery('orders/create', body);
    expect(shopifyProvider.verify(webhookRequest(body, unsigned), { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'missing' });
    expect(shopifyProvider.verify(webhookRequest(body, { ...unsigned, 'x-shopify-hmac-sha256': `*${signature}` }), { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    // A hex digest (another provider's habit) is not Shopify's base64.
    const hex = createHmac('sha256', SECRET).update(body).digest('hex');
    expect(shopifyProvider.verify(webhookRequest(body, { ...unsigned, 'x-shopify-hmac-sha256': hex }), { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('ShopifySource mapping', () => {
  it('maps orders/create: type com.shopify.orders.create, id = X-Shopify-Webhook-Id, source the shop, subject the GraphQL id, time triggered-at', () => {
    const body = JSON.stringify(order);
    const { deliveryId, events } = shopifyProvider.map(webhookRequest(body, delivery('orders/create', body)), webhookContext());
    expect(deliveryId).toBe(WEBHOOK_ID);
    expect(events).toEqual([expect.objectContaining({
      id: WEBHOOK_ID, type: 'com.shopify.orders.create', source: 'https://example-shop.myshopify.com', subject: 'gid://shopify/Order/820982911946154508',
      time: '2026-12-06T21:14:05.123Z', datacontenttype: 'application/json',
      extensions: { shop: 'example-shop.myshopify.com', apiversion: '2025-10', eventid: '98880550-7158-44d4-b7cd-2c97c8a091b5' },
    })]);
  });

  it('names nested topics and falls back to the payload id without a GraphQL id', () => {
    const body = JSON.stringify({ id: 1234, title: 'Shirt' });
    const event = shopifyProvider.map(webhookRequest(body, delivery('inventory_items/update', body, { 'x-shopify-triggered-at': '' })), webhookContext()).events[0]!;
    expect(event).toMatchObject({ type: 'com.shopify.inventory_items.update', subject: '1234', time: undefined });
    const compliance = JSON.stringify({ shop_id: 954889, shop_domain: 'example-shop.myshopify.com' });
    expect(shopifyProvider.map(webhookRequest(compliance, delivery('shop/redact', compliance)), webhookContext()).events[0]).toMatchObject({ type: 'com.shopify.shop.redact', subject: undefined });
  });

  it('refuses an unreadable body, a missing webhook id or topic, and a bad topic with JUNCTION_WEBHOOK_PAYLOAD_INVALID', () => {
    expect(code(() => shopifyProvider.map(webhookRequest('{oops', delivery('orders/create', '{oops')), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => shopifyProvider.map(webhookRequest('{}', { 'x-shopify-topic': 'orders/create' }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => shopifyProvider.map(webhookRequest('{}', { 'x-shopify-webhook-id': WEBHOOK_ID }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => shopifyProvider.map(webhookRequest('{}', { 'x-shopify-webhook-id': WEBHOOK_ID, 'x-shopify-topic': 'Orders Create' }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
  });
});
