import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { verifyKey } from 'discord-interactions';
import { describe, expect, it } from 'vitest';
import { discordProvider } from '../../../sources/webhook/providers/discord/index.js';
import { snowflakeTime } from '../../../sources/webhook/providers/discord/mapping.js';
import type { WebhookContext, WebhookRequest } from '../../../sources/webhook/types.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
/** The public key as the Developer Portal shows it: 32 raw bytes in hex. */
const publicKeyHex = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
const NOW = 1_765_000_000;
const context = (now = NOW): WebhookContext => ({ namespace: 'default', name: 'bot', spec: {}, toleranceSeconds: discordProvider.toleranceSeconds, now: now * 1000 });

function signed(body: string, timestamp = NOW, key: KeyObject = privateKey): WebhookRequest {
  const signature = sign(null, Buffer.from(`${timestamp}${body}`), key).toString('hex');
  return { method: 'POST', url: 'https://hooks.example.com/sources/default/bot', headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': String(timestamp) }, body: Buffer.from(body) };
}

const command = JSON.stringify({
  id: '1180000000000000000',
  application_id: '1170000000000000000',
  type: 2,
  token: 'aW50ZXJhY3Rpb24',
  version: 1,
  guild_id: '1160000000000000000',
  channel_id: '1150000000000000000',
  member: { user: { id: '80351110224678912', username: 'nelly' } },
  data: { id: '1140000000000000000', name: 'deploy', type: 1, options: [{ name: 'env', type: 3, value: 'prod' }] },
});

describe('DiscordSource verify', () => {
  it('accepts what discord-interactions accepts', async () => {
    const request = signed(command);
    expect(await verifyKey(request.body, request.headers['x-signature-ed25519']!, request.headers['x-signature-timestamp']!, publicKeyHex)).toBe(true);
    expect(discordProvider.verify(request, { publicKey: publicKeyHex }, context())).toEqual({ ok: true });
  });

  it('refuses a forged body, another key, a signed-over timestamp change and a missing header', async () => {
    const request = signed(command);
    const forged = { ...request, body: Buffer.from(command.replace('prod', 'dev!')) };
    expect(await verifyKey(forged.body, forged.headers['x-signature-ed25519']!, forged.headers['x-signature-timestamp']!, publicKeyHex)).toBe(false);
    expect(discordProvider.verify(forged, { publicKey: publicKeyHex }, context())).toMatchObject({ ok: false, reason: 'invalid' });
    const otherKey = signed(command, NOW, generateKeyPairSync('ed25519').privateKey);
    expect(discordProvider.verify(otherKey, { publicKey: publicKeyHex }, context())).toMatchObject({ ok: false, reason: 'invalid' });
    const moved = { ...request, headers: { ...request.headers, 'x-signature-timestamp': String(NOW + 1) } };
    expect(discordProvider.verify(moved, { publicKey: publicKeyHex }, context())).toMatchObject({ ok: false, reason: 'invalid' });
    const { 'x-signature-ed25519': _dropped, ...unsigned } = request.headers;
    expect(discordProvider.verify({ ...request, headers: unsigned }, { publicKey: publicKeyHex }, context())).toMatchObject({ ok: false, reason: 'missing' });
    expect(discordProvider.verify(request, { publicKey: 'not-hex' }, context())).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses a correctly signed request older than 300 s as stale, and accepts one 299 s old', () => {
    expect(discordProvider.verify(signed(command, NOW - 301), { publicKey: publicKeyHex }, context())).toMatchObject({ ok: false, reason: 'stale' });
    expect(discordProvider.verify(signed(command, NOW - 299), { publicKey: publicKeyHex }, context())).toEqual({ ok: true });
  });
});

describe('DiscordSource handshake and mapping', () => {
  it('answers a PING with {type: 1} and emits nothing for it', async () => {
    const ping = signed(JSON.stringify({ id: '1', application_id: '1170000000000000000', type: 1, token: 't', version: 1 }));
    expect(await discordProvider.handshake!(ping, { publicKey: publicKeyHex }, context())).toEqual({ status: 200, body: { type: 1 } });
    expect(await discordProvider.handshake!(signed(command), { publicKey: publicKeyHex }, context())).toBeUndefined();
  });

  it('maps a slash command: id, type, source, subject, time from the snowflake, extensions', () => {
    const { deliveryId, events } = discordProvider.map(signed(command), context());
    expect(deliveryId).toBe('1180000000000000000');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: '1180000000000000000',
      type: 'com.discord.interaction.application_command',
      source: 'https://discord.com/applications/1170000000000000000',
      subject: 'guilds/1160000000000000000/channels/1150000000000000000',
      time: '2023-12-01T04:18:43.339Z',
      datacontenttype: 'application/json',
      extensions: { guildid: '1160000000000000000', channelid: '1150000000000000000', userid: '80351110224678912', command: 'deploy' },
    });
    expect((events[0]!.data as { data: { name: string } }).data.name).toBe('deploy');
  });

  it('maps a button press in a DM (user, no guild) and a modal submit', () => {
    const button = JSON.stringify({ id: '1180000000000000001', application_id: '42', type: 3, channel_id: '99', user: { id: '7' }, data: { custom_id: 'approve:123', component_type: 2 } });
    expect(discordProvider.map(signed(button), context()).events[0]).toMatchObject({
      type: 'com.discord.interaction.message_component',
      source: 'https://discord.com/applications/42',
      subject: 'channels/99',
      extensions: { channelid: '99', userid: '7', customid: 'approve:123' },
    });
    const modal = JSON.stringify({ id: '5', application_id: '42', type: 5, channel_id: '99', data: { custom_id: 'feedback' } });
    expect(discordProvider.map(signed(modal), context()).events[0]!.type).toBe('com.discord.interaction.modal_submit');
    const autocomplete = JSON.stringify({ id: '6', application_id: '42', type: 4, data: { name: 'deploy' } });
    expect(discordProvider.map(signed(autocomplete), context()).events[0]).toMatchObject({ type: 'com.discord.interaction.autocomplete', subject: undefined, extensions: { command: 'deploy' } });
  });

  it('derives the time of a snowflake as Discord documents (175928847299117063 → 2016-04-30T11:18:25.796Z)', () => {
    expect(snowflakeTime('175928847299117063')).toBe('2016-04-30T11:18:25.796Z');
    expect(snowflakeTime('not-a-snowflake')).toBeUndefined();
  });

  it('refuses a body it cannot read with JUNCTION_WEBHOOK_PAYLOAD_INVALID', () => {
    expect(() => discordProvider.map(signed('not json'), context())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
    expect(() => discordProvider.map(signed(JSON.stringify({ id: '1', application_id: '2', type: 9 })), context())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
    expect(() => discordProvider.map(signed(JSON.stringify({ type: 2 })), context())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
  });
});

describe('DiscordSource acknowledgement', () => {
  const request = (type: number): WebhookRequest => ({ method: 'POST', url: 'https://junction.example.com/sources/default/discord', headers: {}, body: Buffer.from(JSON.stringify({ id: '1', type })) });
  it('answers an interaction once durable with the deferred response of its type, so Discord shows no failure', () => {
    expect(discordProvider.acknowledge!(request(2), { events: 1, duplicate: false })).toEqual({ status: 200, body: { type: 5 } });
    expect(discordProvider.acknowledge!(request(3), { events: 1, duplicate: false })).toEqual({ status: 200, body: { type: 6 } });
    expect(discordProvider.acknowledge!(request(4), { events: 1, duplicate: false })).toEqual({ status: 200, body: { type: 8, data: { choices: [] } } });
    expect(discordProvider.acknowledge!(request(5), { events: 0, duplicate: true })).toEqual({ status: 200, body: { type: 5 } });
  });
});
