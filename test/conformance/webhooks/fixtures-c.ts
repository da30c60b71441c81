import { generateKeyPairSync, sign } from 'node:crypto';
import type { WebhookFixture } from './fixture.js';

const discordKeys = generateKeyPairSync('ed25519');
const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** Discord interactions, Ed25519-signed with node:crypto (the scheme discord-interactions' verifyKey checks; see the unit test). */
export const discordFixture: WebhookFixture = {
  kind: 'DiscordSource',
  apiVersion: 'sources.junction.dev/v1',
  publicKey: Buffer.from(discordKeys.publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex'),
  signatureHeader: 'x-signature-ed25519',
  timestamped: true,
  request({ delivery, nowSeconds }) {
    const body = JSON.stringify({ id: delivery, application_id: '1170000000000000000', type: 2, token: 'tok', version: 1, guild_id: '11', channel_id: '22', data: { id: '33', name: 'deploy', type: 1 } });
    const signature = sign(null, Buffer.from(`${nowSeconds}${body}`), discordKeys.privateKey).toString('hex');
    return { body, headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': String(nowSeconds) } };
  },
  expected: (delivery) => ({ type: 'com.discord.interaction.application_command', id: delivery, source: 'https://discord.com/applications/1170000000000000000', subject: 'guilds/11/channels/22' }),
};

/** SendGrid's signed Event Webhook, ECDSA-signed with node:crypto (the scheme @sendgrid/eventwebhook checks; see the unit test). */
export const sendgridFixture: WebhookFixture = {
  kind: 'SendGridSource',
  apiVersion: 'sources.junction.dev/v1',
  publicKey: sendgridKeys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  signatureHeader: 'x-twilio-email-event-webhook-signature',
  timestamped: true,
  request({ delivery, nowSeconds }) {
    const body = `${JSON.stringify([{ email: 'ada@example.com', timestamp: nowSeconds, event: 'delivered', sg_event_id: `ev-${delivery}`, sg_message_id: 'msg-1.filter0001' }])}\r\n`;
    const signature = sign('sha256', Buffer.from(`${nowSeconds}${body}`), sendgridKeys.privateKey).toString('base64');
    return { body, headers: { 'content-type': 'application/json', 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': String(nowSeconds) } };
  },
  expected: (delivery) => ({ type: 'com.sendgrid.delivered', id: `ev-${delivery}`, source: 'https://api.sendgrid.com', subject: 'ada@example.com' }),
};

/** Batch c's push kinds. */
export const fixturesC: WebhookFixture[] = [discordFixture, sendgridFixture];
