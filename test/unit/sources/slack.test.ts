import { createHmac } from 'node:crypto';
import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { slackProvider } from '../../../sources/webhook/providers/slack/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = 1_765_000_000;
const FORM = 'application/x-www-form-urlencoded';

const appMention = JSON.stringify({
  token: 'XXYYZZ', team_id: 'T123ABC456', api_app_id: 'A123ABC456', type: 'event_callback', event_id: 'Ev123ABC456', event_time: 1515449522,
  event: { type: 'app_mention', user: 'U123ABC456', text: '<@U0LAN0Z89> is it everything a river should be?', ts: '1515449522.000016', channel: 'C123ABC456', channel_type: 'channel', event_ts: '1515449522.000016' },
});
const slashCommand = 'token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&channel_id=C2147483705&channel_name=test&user_id=U2147483697&user_name=Steve&command=%2Fweather&text=94070&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&trigger_id=13345224609.738474920.8088930838d88f008e0&api_app_id=A123456';
const blockActions = { type: 'block_actions', team: { id: 'T9TK3CUKW', domain: 'example' }, user: { id: 'UA8RXUSPL' }, api_app_id: 'AABA1ABCD', trigger_id: '12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3', channel: { id: 'CBR2V3XEX' }, actions: [{ action_id: 'WaXA', type: 'button', value: 'click_me_123', action_ts: '1548426417.840180' }] };

function signature(body: string, timestamp: number, secret = SECRET) {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}
function signed(body: string, contentType = 'application/json', timestamp = NOW, secret = SECRET) {
  return webhookRequest(body, { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature(body, timestamp, secret) });
}

describe('SlackSource verification', () => {
  const context = webhookContext({}, 300, NOW * 1000);

  it('accepts a v0 signature that @slack/bolt\'s verifier accepts, within 5 minutes either side', () => {
    for (const timestamp of [NOW, NOW - 299, NOW + 299]) {
      expect(isValidSlackRequest({ signingSecret: SECRET, body: appMention, headers: { 'x-slack-signature': signature(appMention, timestamp), 'x-slack-request-timestamp': timestamp }, nowMilliseconds: NOW * 1000 })).toBe(true);
      expect(slackProvider.verify(signed(appMention, 'application/json', timestamp), { secret: SECRET }, context)).toEqual({ ok: true });
    }
    expect(slackProvider.verify(signed(slashCommand, FORM), { secret: SECRET }, context)).toEqual({ ok: true });
  });

  it('refuses stale, forged, unsigned and malformed requests with the reason', () => {
    expect(isValidSlackRequest({ signingSecret: SECRET, body: appMention, headers: { 'x-slack-signature': signature(appMention, NOW - 301), 'x-slack-request-timestamp': NOW - 301 }, nowMilliseconds: NOW * 1000 })).toBe(false);
    expect(slackProvider.verify(signed(appMention, 'application/json', NOW - 301), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'stale' });
    expect(slackProvider.verify({ ...signed(appMention), body: Buffer.from(appMention.replace('river', 'rover')) }, { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(slackProvider.verify(signed(appMention, 'application/json', NOW - 3600, 'other-secret'), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(slackProvider.verify(webhookRequest(appMention, { 'x-slack-request-timestamp': String(NOW) }), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'missing' });
    expect(slackProvider.verify(webhookRequest(appMention, { 'x-slack-signature': signature(appMention, NOW) }), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(slackProvider.verify(webhookRequest(appMention, { 'x-slack-request-timestamp': String(NOW), 'x-slack-signature': `v1=${signature(appMention, NOW).slice(3)}` }), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('SlackSource handshakes', () => {
  it('answers url_verification with the challenge as text/plain, and ssl_check with an empty 200', () => {
    const challenge = JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
    expect(slackProvider.handshake!(signed(challenge), { secret: SECRET }, webhookContext())).toEqual({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    expect(slackProvider.handshake!(signed('ssl_check=1&token=abc', FORM), { secret: SECRET }, webhookContext())).toEqual({ status: 200, body: '' });
    expect(slackProvider.handshake!(signed(appMention), { secret: SECRET }, webhookContext())).toBeUndefined();
    expect(slackProvider.handshake!(signed(slashCommand, FORM), { secret: SECRET }, webhookContext())).toBeUndefined();
  });
});

describe('SlackSource mapping', () => {
  it('maps an event_callback: com.slack.<event.type>, id = event_id (the same on retries), team source, channel subject, event_time', () => {
    const retry = { ...signed(appMention), headers: { ...signed(appMention).headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } };
    const { deliveryId, events } = slackProvider.map(retry, webhookContext());
    expect(deliveryId).toBe('Ev123ABC456');
    expect(events).toEqual([{
      id: 'Ev123ABC456', type: 'com.slack.app_mention', source: 'https://slack.com/T123ABC456', subject: 'C123ABC456', time: '2018-01-08T22:12:02.000Z',
      datacontenttype: 'application/json', data: JSON.parse(appMention), extensions: { teamid: 'T123ABC456', appid: 'A123ABC456', user: 'U123ABC456', channeltype: 'channel' },
    }]);
    const reaction = JSON.stringify({ type: 'event_callback', api_app_id: 'A1', event_id: 'Ev2', event_time: 1360782804, event: { type: 'reaction_added', user: 'U1', reaction: 'thumbsup', item: { type: 'message', channel: 'C2', ts: '1360782400.498405' } } });
    expect(slackProvider.map(signed(reaction), webhookContext()).events[0]).toMatchObject({ type: 'com.slack.reaction_added', source: 'https://slack.com/A1', subject: 'C2' });
  });

  it('maps an app_rate_limited notice, one per app and minute', () => {
    const notice = JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', type: 'app_rate_limited', team_id: 'T123456', minute_rate_limited: 1518467820, api_app_id: 'A123456' });
    const { deliveryId, events } = slackProvider.map(signed(notice), webhookContext());
    expect(deliveryId).toBe('app_rate_limited:A123456:1518467820');
    expect(events[0]).toMatchObject({ type: 'com.slack.app_rate_limited', source: 'https://slack.com/T123456', extensions: { teamid: 'T123456', appid: 'A123456' } });
  });

  it('maps a slash command and an interactivity payload by trigger_id', () => {
    const command = slackProvider.map(signed(slashCommand, FORM), webhookContext());
    expect(command.deliveryId).toBe('13345224609.738474920.8088930838d88f008e0');
    expect(command.events[0]).toMatchObject({ type: 'com.slack.slash_command', source: 'https://slack.com/T0001', subject: 'C2147483705', data: expect.objectContaining({ command: '/weather', text: '94070' }), extensions: { teamid: 'T0001', appid: 'A123456', user: 'U2147483697', command: '/weather' } });
    const action = slackProvider.map(signed(`payload=${encodeURIComponent(JSON.stringify(blockActions))}`, FORM), webhookContext());
    expect(action.deliveryId).toBe(blockActions.trigger_id);
    expect(action.events[0]).toMatchObject({ id: blockActions.trigger_id, type: 'com.slack.block_actions', source: 'https://slack.com/T9TK3CUKW', subject: 'CBR2V3XEX', data: blockActions, extensions: { teamid: 'T9TK3CUKW', appid: 'AABA1ABCD', user: 'UA8RXUSPL' } });
  });

  it('refuses bodies that are not Slack requests', () => {
    expect(() => slackProvider.map(signed('{"type":"event_callback"}'), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
    expect(() => slackProvider.map(signed('not json'), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
    expect(() => slackProvider.map(signed('payload=%7Bbroken', FORM), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
    expect(() => slackProvider.map(signed('hello=world', FORM), webhookContext())).toThrow(/neither a slash command/);
  });
});

describe('SlackSource acknowledgement', () => {
  it('answers an accepted or duplicate request with an empty 200 (what Slack expects; a modal closes, a slash command stays silent)', () => {
    const request = webhookRequest('{}', {});
    expect(slackProvider.acknowledge!(request, { events: 1, duplicate: false })).toEqual({ status: 200, body: '' });
    expect(slackProvider.acknowledge!(request, { events: 0, duplicate: true })).toEqual({ status: 200, body: '' });
  });
});
