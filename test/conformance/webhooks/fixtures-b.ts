import { createHmac } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import twilio from 'twilio';
import type { WebhookFixture } from './fixture.js';

/** Standard Webhooks, signed by the standardwebhooks SDK. */
export const standardWebhooksFixture: WebhookFixture = {
  kind: 'StandardWebhooksSource',
  apiVersion: 'sources.junction.dev/v1',
  spec: { typePrefix: 'com.example.billing' },
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  signatureHeader: 'webhook-signature',
  timestamped: true,
  request({ delivery, nowSeconds }) {
    const body = JSON.stringify({ type: 'invoice.paid', timestamp: new Date(nowSeconds * 1000).toISOString(), data: { id: `inv_${delivery}` } });
    const id = `msg_${delivery}`;
    const signature = new StandardWebhook(standardWebhooksFixture.secret!).sign(id, new Date(nowSeconds * 1000), body);
    return { body, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(nowSeconds), 'webhook-signature': signature } };
  },
  expected: (delivery) => ({ type: 'com.example.billing.invoice.paid', id: `msg_${delivery}`, source: '/sources/hooks/standardwebhookssource-suite', subject: `inv_${delivery}` }),
};

/** Slack Events API, signed with node:crypto as @slack/bolt's verifySlackRequest checks (its unit test asserts that). */
export const slackFixture: WebhookFixture = {
  kind: 'SlackSource',
  apiVersion: 'sources.junction.dev/v1',
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  signatureHeader: 'x-slack-signature',
  timestamped: true,
  request({ delivery, nowSeconds }) {
    const body = JSON.stringify({ token: 'XXYYZZ', team_id: 'T123ABC456', api_app_id: 'A123ABC456', type: 'event_callback', event_id: `Ev${delivery}`, event_time: nowSeconds, event: { type: 'app_mention', user: 'U123ABC456', text: 'hello', channel: 'C123ABC456' } });
    const signature = `v0=${createHmac('sha256', slackFixture.secret!).update(`v0:${nowSeconds}:${body}`).digest('hex')}`;
    return { body, headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(nowSeconds), 'x-slack-signature': signature } };
  },
  expected: (delivery) => ({ type: 'com.slack.app_mention', id: `Ev${delivery}`, source: 'https://slack.com/T123ABC456', subject: 'C123ABC456' }),
};

/** Twilio, a message status callback signed by the twilio SDK over the URL Junction reports. */
export const twilioFixture: WebhookFixture = {
  kind: 'TwilioSource',
  apiVersion: 'sources.junction.dev/v1',
  secret: '12345abcdef67890fedcba0987654321',
  signatureHeader: 'x-twilio-signature',
  timestamped: false,
  request({ url, delivery }) {
    const params = { AccountSid: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', MessageSid: `SM${delivery}`, SmsSid: `SM${delivery}`, MessageStatus: 'delivered', SmsStatus: 'delivered', To: '+15557778888', From: '+15551234567', ApiVersion: '2010-04-01' };
    return { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(twilioFixture.secret!, url, params) } };
  },
  expected: (delivery) => ({ type: 'com.twilio.message.status', id: `SM${delivery}:delivered`, source: 'https://api.twilio.com/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', subject: `SM${delivery}` }),
};

/** Square, signed with node:crypto as square's WebhooksHelper.verifySignature checks (its unit test asserts that). */
export const squareFixture: WebhookFixture = {
  kind: 'SquareSource',
  apiVersion: 'sources.junction.dev/v1',
  secret: 'Ibxx_5AKakO-3qeNVR61Dw',
  signatureHeader: 'x-square-hmacsha256-signature',
  timestamped: false,
  request({ url, delivery }) {
    const body = JSON.stringify({ merchant_id: '6SSW7HV8K2ST5', type: 'payment.created', event_id: `ev-${delivery}`, created_at: '2020-02-06T21:27:30.792Z', data: { type: 'payment', id: `pay-${delivery}`, object: { payment: { status: 'APPROVED' } } } });
    return { body, headers: { 'content-type': 'application/json', 'x-square-hmacsha256-signature': createHmac('sha256', squareFixture.secret!).update(url + body).digest('base64') } };
  },
  expected: (delivery) => ({ type: 'com.squareup.payment.created', id: `ev-${delivery}`, source: 'https://connect.squareup.com/6SSW7HV8K2ST5', subject: `pay-${delivery}` }),
};

/** Paddle Billing, signed with node:crypto as the Paddle SDK's isSignatureValid checks (its unit test asserts that). */
export const paddleFixture: WebhookFixture = {
  kind: 'PaddleSource',
  apiVersion: 'sources.junction.dev/v1',
  secret: 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI',
  signatureHeader: 'paddle-signature',
  timestamped: true,
  request({ delivery, nowSeconds }) {
    const body = JSON.stringify({ event_id: `evt_${delivery}`, event_type: 'transaction.completed', occurred_at: new Date(nowSeconds * 1000).toISOString(), notification_id: `ntf_${delivery}`, data: { id: `txn_${delivery}`, status: 'completed' } });
    return { body, headers: { 'content-type': 'application/json', 'paddle-signature': `ts=${nowSeconds};h1=${createHmac('sha256', paddleFixture.secret!).update(`${nowSeconds}:${body}`).digest('hex')}` } };
  },
  expected: (delivery) => ({ type: 'com.paddle.transaction.completed', id: `evt_${delivery}`, source: 'https://api.paddle.com', subject: `txn_${delivery}` }),
};

/** Zoom, signed with node:crypto per Zoom's docs (Zoom ships no verifying SDK). */
export const zoomFixture: WebhookFixture = {
  kind: 'ZoomSource',
  apiVersion: 'sources.junction.dev/v1',
  secret: 'jFd6uAbqQj2JUwLd3TqLgQ',
  signatureHeader: 'x-zm-signature',
  timestamped: true,
  request({ delivery, nowSeconds }) {
    // event_ts is when the meeting started, the same on Zoom's retries; the request timestamp is not.
    const body = JSON.stringify({ event: 'meeting.started', event_ts: 1626230691572, payload: { account_id: 'AAAAAABBBB', object: { id: '1234567890', uuid: delivery, host_id: 'x1yCzABCDEfg23HiJKl4mN', topic: 'My Meeting' } } });
    const signature = `v0=${createHmac('sha256', zoomFixture.secret!).update(`v0:${nowSeconds}:${body}`).digest('hex')}`;
    return { body, headers: { 'content-type': 'application/json; charset=utf-8', 'x-zm-request-timestamp': String(nowSeconds), 'x-zm-signature': signature } };
  },
  expected: (delivery) => ({ type: 'us.zoom.meeting.started', id: `meeting.started:1626230691572:${delivery}`, source: 'https://zoom.us/AAAAAABBBB', subject: '1234567890' }),
};

/** Mailgun, signed with node:crypto per Mailgun's docs; the signature is an object in the JSON body, not a header. */
export const mailgunFixture: WebhookFixture = {
  kind: 'MailgunSource',
  apiVersion: 'sources.junction.dev/v1',
  secret: 'key-7e55d003b2f4b1a8d2c4b9f0e1a3c5d7',
  timestamped: true,
  request({ delivery, nowSeconds }) {
    // The token comes first in the body, so the suite's forged byte lands in what is signed.
    const token = delivery.replaceAll('-', '');
    const signature = createHmac('sha256', mailgunFixture.secret!).update(`${nowSeconds}${token}`).digest('hex');
    const eventData = { id: `ev-${delivery}`, timestamp: nowSeconds, event: 'delivered', recipient: 'alice@example.com', envelope: { sender: 'bob@mg.example.com' } };
    return { body: JSON.stringify({ signature: { token, timestamp: String(nowSeconds), signature }, 'event-data': eventData }), headers: { 'content-type': 'application/json' } };
  },
  unsigned({ headers, body }) {
    const { signature: _signature, ...rest } = JSON.parse(body.toString()) as Record<string, unknown>;
    return { headers, body: JSON.stringify(rest) };
  },
  expected: (delivery) => ({ type: 'com.mailgun.delivered', id: `ev-${delivery}`, source: 'https://api.mailgun.net/v3/mg.example.com', subject: 'alice@example.com' }),
};

/** Batch b's fixtures, in the order their providers were added. */
export const fixturesB: WebhookFixture[] = [standardWebhooksFixture, slackFixture, twilioFixture, squareFixture, paddleFixture, zoomFixture, mailgunFixture];
