import { jsonBody, mediaType } from '../../payload.js';
import type { HandshakeAnswer, WebhookProvider, WebhookRequest } from '../../types.js';
import { SLACK_TYPE_PREFIX, mapSlack } from './mapping.js';
import { verifySlack } from './verify.js';

/**
 * Answers Slack's `url_verification` (the Events API Request URL check) with the challenge as
 * text/plain, and a slash command's `ssl_check` with an empty 200.
 */
export function slackHandshake(request: WebhookRequest): HandshakeAnswer | undefined {
  if (mediaType(request) === 'application/x-www-form-urlencoded') {
    return new URLSearchParams(request.body.toString('utf8')).get('ssl_check') === '1' ? { status: 200, body: '' } : undefined;
  }
  let body: Record<string, unknown>;
  try {
    body = jsonBody(request);
  } catch {
    return undefined; // map() reports the unreadable body
  }
  if (body.type !== 'url_verification' || typeof body.challenge !== 'string') return undefined;
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: body.challenge };
}

/** SlackSource: a Slack app's Events API, interactivity and slash-command Request URLs, 5-minute replay window. */
export const slackProvider: WebhookProvider = {
  kind: 'SlackSource',
  description: 'Slack Events API, interactivity and slash commands (X-Slack-Signature v0, 300 s tolerance)',
  eventTypes: [`${SLACK_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 300,
  verify: verifySlack,
  handshake: slackHandshake,
  map: (request) => mapSlack(request),
  // An empty 200: what Slack expects for events, and a silent acknowledgement of a slash command or an interaction (a modal closes).
  acknowledge: () => ({ status: 200, body: '' }),
};
