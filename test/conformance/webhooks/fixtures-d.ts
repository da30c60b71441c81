import { createHmac } from 'node:crypto';
import { CloudEvent, HTTP } from 'cloudevents';
import type { WebhookFixture } from './fixture.js';

/**
 * WebhookSource with HMAC-SHA256 over `<timestamp>.<body>` (node:crypto: a generic sender has no
 * SDK), the event id from a header and the type from a JSON Pointer with a prefix.
 */
export const webhookFixture: WebhookFixture = {
  kind: 'WebhookSource',
  apiVersion: 'sources.junction.dev/v1',
  spec: {
    auth: { type: 'hmac', header: 'x-acme-signature', prefix: 'sha256=', timestampHeader: 'x-acme-timestamp' },
    typeFrom: { jsonPointer: '/event' },
    typePrefix: 'com.acme.',
    idFrom: { header: 'x-acme-delivery' },
    source: 'https://acme.example.com/hooks',
  },
  secret: 'acme-conformance-secret',
  signatureHeader: 'x-acme-signature',
  timestamped: true,
  request({ delivery, nowSeconds }) {
    const body = JSON.stringify({ event: 'invoice.paid', invoice: { number: `inv-${delivery}` } });
    const signature = createHmac('sha256', webhookFixture.secret!).update(`${nowSeconds}.${body}`).digest('hex');
    return { body, headers: { 'content-type': 'application/json', 'x-acme-delivery': delivery, 'x-acme-timestamp': String(nowSeconds), 'x-acme-signature': `sha256=${signature}` } };
  },
  expected: (delivery) => ({ type: 'com.acme.invoice.paid', id: delivery, source: 'https://acme.example.com/hooks' }),
};

/**
 * CloudEventsSource in binary mode, built by the cloudevents SDK's HTTP binding, with the default
 * auth of a source that names a secret: hex HMAC-SHA256 of the body in X-Signature.
 */
export const cloudEventsFixture: WebhookFixture = {
  kind: 'CloudEventsSource',
  apiVersion: 'sources.junction.dev/v1',
  secret: 'cloudevents-conformance-secret',
  signatureHeader: 'x-signature',
  timestamped: false,
  request({ delivery }) {
    const event = new CloudEvent({ id: delivery, source: 'urn:example:billing', type: 'com.example.invoice.paid', subject: `invoices/${delivery}`, data: { invoice: `inv-${delivery}` } });
    const message = HTTP.binary(event);
    const body = String(message.body);
    const headers = Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, String(value)]));
    return { body, headers: { ...headers, 'x-signature': createHmac('sha256', cloudEventsFixture.secret!).update(body).digest('hex') } };
  },
  expected: (delivery) => ({ type: 'com.example.invoice.paid', id: delivery, source: 'urn:example:billing', subject: `invoices/${delivery}` }),
};

/** Batch d's fixtures: WebhookSource and CloudEventsSource. */
export const fixturesD: WebhookFixture[] = [webhookFixture, cloudEventsFixture];
