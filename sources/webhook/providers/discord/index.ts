import { jsonBody } from '../../payload.js';
import type { WebhookProvider } from '../../types.js';
import { DISCORD_TYPE_PREFIX, mapDiscord } from './mapping.js';
import { verifyDiscord } from './verify.js';

/** Discord's interaction type of a PING (answered `{type: 1}`, as Discord checks the endpoint). */
const PING = 1;

/**
 * DiscordSource: an application's Interactions Endpoint URL (Ed25519 over timestamp + body, 300 s
 * window). A PING is answered `{type: 1}`; other interactions are emitted and acknowledged with a
 * 200 Junction body — the consumer answers the user through the interaction's follow-up webhook.
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
};
