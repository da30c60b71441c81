import type { HandshakeAnswer, WebhookContext, WebhookProvider, WebhookRequest } from '../../types.js';
import { CertificateCache, httpsGet, type HttpsGet } from './certificates.js';
import { SNS_TYPE_PREFIX, mapSns } from './mapping.js';
import { allowedUrl, hostPattern, snsMessage, verifySns } from './verify.js';

/**
 * Subscription handshakes, after the message's signature checked out: a SubscriptionConfirmation
 * is confirmed by GET of its SubscribeURL (https, an allowed host), an UnsubscribeConfirmation is
 * acknowledged; neither is emitted.
 */
async function snsHandshake(request: WebhookRequest, context: WebhookContext, get: HttpsGet): Promise<HandshakeAnswer | undefined> {
  const message = snsMessage(request.body);
  if (message?.Type === 'UnsubscribeConfirmation') return { status: 200, body: { unsubscribed: true } };
  if (message?.Type !== 'SubscriptionConfirmation') return undefined;
  let url: URL;
  try {
    url = new URL(String(message.SubscribeURL));
  } catch {
    return { status: 400, body: { confirmed: false, reason: 'SubscribeURL is not a URL' } };
  }
  const hosts = hostPattern(context);
  if (hosts === undefined || !allowedUrl(url, hosts)) return { status: 400, body: { confirmed: false, reason: `SubscribeURL host ${url.hostname} is not an allowed https host` } };
  try {
    const answer = await get(url);
    if (answer.status !== 200) return { status: 502, body: { confirmed: false, reason: `SubscribeURL answered HTTP ${answer.status}` } };
  } catch (error) {
    return { status: 502, body: { confirmed: false, reason: `SubscribeURL could not be reached: ${(error as Error).message}` } };
  }
  return { status: 200, body: { confirmed: true, topicArn: String(message.TopicArn) } };
}

/**
 * An SNSSource provider whose certificate fetches and subscription confirmations go through `get`
 * (default: HTTPS with the system's trust store; tests pass one trusting their own CA).
 */
export function createSnsProvider(options: { get?: HttpsGet } = {}): WebhookProvider {
  const get = options.get ?? httpsGet();
  const certificates = new CertificateCache(get);
  return {
    kind: 'SNSSource',
    description: 'Amazon SNS HTTP/HTTPS subscriptions (signed with the SigningCertURL certificate; subscriptions confirmed automatically)',
    eventTypes: [`${SNS_TYPE_PREFIX}Notification`],
    credential: 'none',
    // SNS retries a message unchanged (same Timestamp and signature) for up to an hour.
    toleranceSeconds: 3600,
    specSchema: {
      type: 'object',
      properties: {
        topicArns: { type: 'array', items: { type: 'string', pattern: '^arn:[a-z-]+:sns:' } },
        certificateHostPattern: { type: 'string', minLength: 1 },
      },
    },
    verify: (request, _credentials, context) => verifySns(request, context, certificates),
    handshake: (request, _credentials, context) => snsHandshake(request, context, get),
    map: (request) => mapSns(request),
  };
}

/** SNSSource: Amazon SNS HTTP/HTTPS subscriptions, one CloudEvent per Notification. */
export const snsProvider: WebhookProvider = createSnsProvider();
