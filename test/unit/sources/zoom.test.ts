import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { zoomProvider } from '../../../sources/webhook/providers/zoom/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

// Zoom has no Node SDK that verifies webhooks: requests are signed with node:crypto per Zoom's docs.
const SECRET = 'jFd6uAbqQj2JUwLd3TqLgQ';
const NOW = 1_765_000_000;

const meetingStarted = JSON.stringify({
  event: 'meeting.started', event_ts: 1626230691572,
  payload: { account_id: 'AAAAAABBBB', object: { id: '1234567890', uuid: '4444AAAiAAAAAiAiAiiAii==', host_id: 'x1yCzABCDEfg23HiJKl4mN', topic: 'My Meeting', type: 2, start_time: '2021-07-13T21:44:51Z', timezone: 'America/Los_Angeles', duration: 60 } },
});

function signature(body: string, timestamp: number, secret = SECRET) {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}
function signed(body: string, timestamp = NOW, secret = SECRET, extra: Record<string, string> = {}) {
  return webhookRequest(body, { 'content-type': 'application/json; charset=utf-8', 'x-zm-request-timestamp': String(timestamp), 'x-zm-signature': signature(body, timestamp, secret), ...extra });
}

describe('ZoomSource verification', () => {
  const context = webhookContext({}, 300, NOW * 1000);

  it('accepts a v0 signature within 300 s either side', () => {
    for (const timestamp of [NOW, NOW - 300, NOW + 300]) expect(zoomProvider.verify(signed(meetingStarted, timestamp), { secret: SECRET }, context)).toEqual({ ok: true });
  });

  it('refuses stale, forged, unsigned and malformed requests with the reason', () => {
    expect(zoomProvider.verify(signed(meetingStarted, NOW - 301), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'stale' });
    expect(zoomProvider.verify({ ...signed(meetingStarted), body: Buffer.from(meetingStarted.replace('My Meeting', 'Evil')) }, { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(zoomProvider.verify(signed(meetingStarted, NOW - 3600, 'other-secret'), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(zoomProvider.verify(webhookRequest(meetingStarted, { 'x-zm-request-timestamp': String(NOW) }), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'missing' });
    expect(zoomProvider.verify(webhookRequest(meetingStarted, { 'x-zm-signature': signature(meetingStarted, NOW) }), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(zoomProvider.verify(webhookRequest(meetingStarted, { 'x-zm-request-timestamp': String(NOW), 'x-zm-signature': signature(meetingStarted, NOW).slice(3) }), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('ZoomSource URL validation', () => {
  it('answers endpoint.url_validation with the plainToken and its HMAC-SHA256 (hex) under the Secret Token', () => {
    const validation = JSON.stringify({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1654503849680, event: 'endpoint.url_validation' });
    const answer = zoomProvider.handshake!(signed(validation), { secret: SECRET }, webhookContext());
    expect(answer).toEqual({ status: 200, body: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: createHmac('sha256', SECRET).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex') } });
    expect(zoomProvider.handshake!(signed(meetingStarted), { secret: SECRET }, webhookContext())).toBeUndefined();
    expect(zoomProvider.handshake!(signed('not json'), { secret: SECRET }, webhookContext())).toBeUndefined();
  });
});

describe('ZoomSource mapping', () => {
  it('maps meeting.started: us.zoom.<event>, an id stable across retries, account source, meeting subject, event_ts in ms', () => {
    const first = zoomProvider.map(signed(meetingStarted, NOW, SECRET, { 'x-zm-trackingid': 'v=2.0;clid=aw1;rid=WEB_1' }), webhookContext());
    // A retry is signed again and traced again, but is the same notification.
    const retry = zoomProvider.map(signed(meetingStarted, NOW + 300, SECRET, { 'x-zm-trackingid': 'v=2.0;clid=aw1;rid=WEB_2' }), webhookContext());
    expect(first.deliveryId).toBe('meeting.started:1626230691572:4444AAAiAAAAAiAiAiiAii==');
    expect(retry.deliveryId).toBe(first.deliveryId);
    expect(first.events).toEqual([{
      id: 'meeting.started:1626230691572:4444AAAiAAAAAiAiAiiAii==', type: 'us.zoom.meeting.started', source: 'https://zoom.us/AAAAAABBBB', subject: '1234567890', time: '2021-07-14T02:44:51.572Z',
      datacontenttype: 'application/json', data: JSON.parse(meetingStarted), extensions: { accountid: 'AAAAAABBBB', hostid: 'x1yCzABCDEfg23HiJKl4mN', trackingid: 'v=2.0;clid=aw1;rid=WEB_1' },
    }]);
  });

  it('tells participants of one meeting apart, and hashes events without an object', () => {
    const joined = (participant: string) => JSON.stringify({ event: 'meeting.participant_joined', event_ts: 1626230691572, payload: { account_id: 'A1', object: { id: '1234567890', uuid: 'U1==', participant: { user_id: participant, user_name: 'someone', join_time: '2021-07-13T21:44:51Z' } } } });
    expect(zoomProvider.map(signed(joined('16778240')), webhookContext()).deliveryId).toBe('meeting.participant_joined:1626230691572:U1==:16778240');
    expect(zoomProvider.map(signed(joined('16778241')), webhookContext()).deliveryId).toBe('meeting.participant_joined:1626230691572:U1==:16778241');
    const deauthorized = JSON.stringify({ event: 'app_deauthorized', event_ts: 1626230691572, payload: { account_id: 'A1', user_id: 'U9', client_id: 'C1', deauthorization_time: '2021-07-13T21:44:51Z' } });
    const mapped = zoomProvider.map(signed(deauthorized), webhookContext());
    expect(mapped.deliveryId).toMatch(/^app_deauthorized:1626230691572:[0-9a-f]{32}$/);
    expect(mapped.events[0]).toMatchObject({ type: 'us.zoom.app_deauthorized', source: 'https://zoom.us/A1', subject: undefined });
  });

  it('refuses a body that is not a Zoom notification', () => {
    expect(() => zoomProvider.map(signed('{"event":"meeting.started"}'), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
    expect(() => zoomProvider.map(signed('not json'), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
  });
});
