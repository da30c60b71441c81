import { jsonBody } from '../../payload.js';
import type { WebhookProvider } from '../../types.js';
import { DISCORD_TYPE_PREFIX, mapDiscord } from './mapping.js';
import { verifyDiscord } from './verify.js';

/** Discord's interaction type of a PING (answered `{type: 1}`, as Discord checks the endpoint). */
const PING = 1;
/**
 * The deferred interaction response per interaction type: commands and modal submits get
 * DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE (5, "thinking…"), components DEFERRED_UPDATE_MESSAGE (6),
 * autocomplete no choices (8) — the consumer then edits the original message through the
 * interaction's webhook within 15 minutes.
 */
const DEFERRED: Record<number, Record<string, unknown>> = { 2: { type: 5 }, 3: { type: 6 }, 4: { type: 8, data: { choices: [] } }, 5: { type: 5 } };

/**
 * DiscordSource: an application's Interactions Endpoint URL (Ed25519 over timestamp + body, 300 s
 * window). A PING is answered `{type: 1}`; other interactions are emitted and, once durable, answered
 * with a deferred interaction response — the consumer answers the user through the interaction's webhook.
 */
export const discordProvider: WebhookProvider = {
  kind: 'DiscordSource',
  description: 'Discord interactions (X-Signature-Ed25519, 300 s tolerance)',
  eventTypes: [`${DISCORD_TYPE_PREFIX}*`],
  credential: 'publicKey',
  toleranceSeconds: 300,
  verify: verifyDiscord,
  handshake(request) {
    let body: Record<string, unknown>;
    try {
      body = jsonBody(request);
    } catch {
      return undefined; // map() reports the unreadable body
    }
    return body.type === PING ? { status: 200, body: { type: PING } } : undefined;
  },
  map: (request) => mapDiscord(request),
  acknowledge(request) {
    const type = (JSON.parse(request.body.toString('utf8')) as { type?: number }).type;
    return { status: 200, body: DEFERRED[type ?? 0] ?? { type: 5 } };
  },
};
