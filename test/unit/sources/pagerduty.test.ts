import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isJunctionError } from '../../../core/errors.js';
import { pagerdutyProvider } from '../../../sources/webhook/providers/pagerduty/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const SECRET = 'pd-subscription-secret-0123456789';
const OLD_SECRET = 'pd-subscription-secret-previous';

/** A V3 incident.triggered event, shaped as PagerDuty's documented sample. */
const triggered = {
  event: {
    id: '01DEN4HPBQAPLSE8SM9T2C9Z1A', event_type: 'incident.triggered', resource_type: 'incident', occurred_at: '2020-10-02T18:45:22.169Z',
    agent: { id: 'PLH1HKV', type: 'user_reference' }, client: null,
    data: { id: 'PGR0VU2', type: 'incident', html_url: 'https://acme.pagerduty.com/incidents/PGR0VU2', number: 2, status: 'triggered', title: 'A little bump in the road', service: { id: 'PF9KMXH', type: 'service_reference' } },
  },
};

const sign = (body: string, secret = SECRET) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** Signed with node:crypto per PagerDuty's "Verifying Signatures" (no SDK signs V3 webhooks). */
function delivery(payload: unknown, signature?: string) {
  const body = JSON.stringify(payload);
  return webhookRequest(body, { 'content-type': 'application/json', 'x-webhook-id': '2a8c8f1e', 'x-webhook-subscription': 'PY1OQQ5', 'x-pagerduty-signature': signature ?? sign(body) });
}

const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return isJunctionError(error) ? error.code : 'not a JunctionError';
  }
  return 'no error';
};

describe('PagerDutySource verification', () => {
  it('accepts v1=<hex HMAC-SHA256 of the body>; refuses a forged body, another secret, a missing or v0-only header', () => {
    const request = delivery(triggered);
    expect(pagerdutyProvider.verify(request, { secret: SECRET }, webhookContext())).toEqual({ ok: true });
    const forged = { ...request, body: Buffer.from(request.body.toString().replace('bump', 'bumq')) };
    expect(pagerdutyProvider.verify(forged, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(pagerdutyProvider.verify(request, { secret: 'another' }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    const { 'x-pagerduty-signature': signature, ...unsigned } = request.headers;
    expect(pagerdutyProvider.verify({ ...request, headers: unsigned }, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'missing' });
    expect(pagerdutyProvider.verify({ ...request, headers: { ...unsigned, 'x-pagerduty-signature': signature!.replace('v1=', 'v0=') } }, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('accepts any of several v1 signatures during a secret rotation, with or without spaces', () => {
    const body = JSON.stringify(triggered);
    for (const header of [`${sign(body, OLD_SECRET)},${sign(body)}`, `${sign(body)}, ${sign(body, OLD_SECRET)}`]) {
      expect(pagerdutyProvider.verify(delivery(triggered, header), { secret: SECRET }, webhookContext())).toEqual({ ok: true });
      expect(pagerdutyProvider.verify(delivery(triggered, header), { secret: OLD_SECRET }, webhookContext())).toEqual({ ok: true });
    }
    expect(pagerdutyProvider.verify(delivery(triggered, `${sign(body, 'x')},${sign(body, 'y')}`), { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('PagerDutySource mapping', () => {
  it('maps incident.triggered: id = event.id, source the account from html_url, subject data.id, time occurred_at', () => {
    const { deliveryId, events } = pagerdutyProvider.map(delivery(triggered), webhookContext());
    expect(deliveryId).toBe('01DEN4HPBQAPLSE8SM9T2C9Z1A');
    expect(events).toEqual([expect.objectContaining({
      id: '01DEN4HPBQAPLSE8SM9T2C9Z1A', type: 'com.pagerduty.incident.triggered', source: 'https://acme.pagerduty.com', subject: 'PGR0VU2',
      time: '2020-10-02T18:45:22.169Z', datacontenttype: 'application/json', extensions: { resourcetype: 'incident', serviceid: 'PF9KMXH' },
    })]);
  });

  it('keeps EU accounts, falls back to api.pagerduty.com without a PagerDuty html_url, and maps the ping', () => {
    const eu = { event: { ...triggered.event, data: { ...triggered.event.data, html_url: 'https://acme.eu.pagerduty.com/incidents/PGR0VU2' } } };
    expect(pagerdutyProvider.map(delivery(eu), webhookContext()).events[0]!.source).toBe('https://acme.eu.pagerduty.com');
    const elsewhere = { event: { ...triggered.event, data: { ...triggered.event.data, html_url: 'https://evil.example.com/pagerduty.com' } } };
    expect(pagerdutyProvider.map(delivery(elsewhere), webhookContext()).events[0]!.source).toBe('https://api.pagerduty.com');
    const ping = { event: { id: '01BZ9R2KFJHN6T1NLUY1E1V2RS', event_type: 'pagey.ping', resource_type: 'pagey', occurred_at: '2021-08-10T20:12:36.539Z', agent: null, client: null, data: { message: 'Hello from your friend Pagey!', type: 'ping' } } };
    expect(pagerdutyProvider.map(delivery(ping), webhookContext()).events[0]).toMatchObject({ type: 'com.pagerduty.pagey.ping', source: 'https://api.pagerduty.com', subject: undefined, extensions: { resourcetype: 'pagey' } });
  });

  it('refuses an unreadable body and a body that is not a V3 event with JUNCTION_WEBHOOK_PAYLOAD_INVALID', () => {
    expect(code(() => pagerdutyProvider.map(webhookRequest('{oops', {}), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    // A V2 (legacy) payload: {messages: [...]}.
    expect(code(() => pagerdutyProvider.map(webhookRequest(JSON.stringify({ messages: [{ event: 'incident.trigger' }] }), {}), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => pagerdutyProvider.map(webhookRequest(JSON.stringify({ event: { id: 'x', event_type: 'Incident Triggered' } }), {}), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
  });
});
