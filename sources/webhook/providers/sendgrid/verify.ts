import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { OK, checkTimestamp, decodeSignature, refuse } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookContext, WebhookCredentials, WebhookRequest } from '../../types.js';

const SIGNATURE = 'x-twilio-email-event-webhook-signature';
const TIMESTAMP = 'x-twilio-email-event-webhook-timestamp';

/**
 * The verification key as SendGrid shows it (base64 DER SubjectPublicKeyInfo; a PEM block is
 * accepted too) as a P-256 KeyObject, or undefined when it is not one.
 */
export function p256PublicKey(text: string | undefined): KeyObject | undefined {
  if (text === undefined) return undefined;
  try {
    const trimmed = text.trim();
    const der = trimmed.includes('-----BEGIN') ? undefined : decodeSignature(trimmed.replace(/\s+/g, ''), 'base64');
    const key = der !== undefined ? createPublicKey({ key: der, format: 'der', type: 'spki' }) : createPublicKey(trimmed);
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * SendGrid's signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` (base64 DER ECDSA
 * P-256 / SHA-256) over `X-Twilio-Email-Event-Webhook-Timestamp` followed by the body, checked
 * with the verification key; then the timestamp (seconds) must be within the tolerance.
 */
export function verifySendGrid(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  const signature = header(request, SIGNATURE);
  if (signature === undefined) return refuse('missing', 'the request has no X-Twilio-Email-Event-Webhook-Signature header');
  const timestamp = header(request, TIMESTAMP);
  if (timestamp === undefined || !/^\d+$/.test(timestamp)) return refuse('invalid', 'the request has no numeric X-Twilio-Email-Event-Webhook-Timestamp header');
  const given = decodeSignature(signature, 'base64');
  if (given === undefined) return refuse('invalid', 'X-Twilio-Email-Event-Webhook-Signature is not base64');
  const key = p256PublicKey(credentials.publicKey);
  if (key === undefined) return refuse('invalid', "the source's public key is not a P-256 verification key (copy it from Settings → Mail Settings → Signed Event Webhook)");
  let valid: boolean;
  try {
    valid = verify('sha256', Buffer.concat([Buffer.from(timestamp, 'utf8'), request.body]), key, given);
  } catch {
    valid = false; // not a DER signature
  }
  if (!valid) return refuse('invalid', "X-Twilio-Email-Event-Webhook-Signature does not match the body and the source's verification key");
  return checkTimestamp(Number(timestamp), context.now, context.toleranceSeconds) ?? OK;
}
