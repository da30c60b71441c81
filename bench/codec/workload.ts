import type { HttpHeaders } from '../../core/cloudevent/index.js';

/** One HTTP request as broker ingress receives it: Node's lower-cased headers and the raw body bytes. */
export interface IngressRequest {
  headers: HttpHeaders;
  body: Buffer;
}

/** Headers every real request carries besides the CloudEvents ones (the codecs must skip them). */
const TRANSPORT_HEADERS = {
  host: '127.0.0.1:8080',
  'user-agent': 'undici',
  accept: '*/*',
  connection: 'keep-alive',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

const attributes = {
  specversion: '1.0',
  source: 'https://example.com/shop/orders',
  type: 'com.example.order.created',
  subject: 'orders/42',
  time: '2026-12-04T10:00:00.123Z',
  dataschema: 'https://example.com/schemas/order.json',
  region: 'eu-west-1',
  tenant: 'acme',
};

const data = { orderId: 42, customer: 'c-1001', total: 99.5, currency: 'EUR', lines: [{ sku: 'a-1', qty: 2 }, { sku: 'b-7', qty: 1 }] };

/**
 * `count` distinct requests in binary mode (`ce-*` headers, JSON body) and the same events in
 * structured mode (`application/cloudevents+json`): a typical ~400-byte order event with two extensions.
 */
export function buildRequests(count: number): { binary: IngressRequest[]; structured: IngressRequest[] } {
  const binary: IngressRequest[] = [];
  const structured: IngressRequest[] = [];
  for (let index = 0; index < count; index++) {
    const id = `order-${index}-${(index * 2654435761) % 4294967296}`;
    const body = Buffer.from(JSON.stringify({ ...data, orderId: index }));
    const headers: HttpHeaders = { ...TRANSPORT_HEADERS, 'content-type': 'application/json', 'content-length': String(body.length), 'ce-id': id };
    for (const [name, value] of Object.entries(attributes)) headers[`ce-${name}`] = value;
    binary.push({ headers, body });
    const event = Buffer.from(JSON.stringify({ ...attributes, id, datacontenttype: 'application/json', data: { ...data, orderId: index } }));
    structured.push({
      headers: { ...TRANSPORT_HEADERS, 'content-type': 'application/cloudevents+json; charset=utf-8', 'content-length': String(event.length) },
      body: event,
    });
  }
  return { binary, structured };
}
