import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { OK, checkTimestamp, decodeSignature, refuse } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookContext, WebhookCredentials, WebhookRequest } from '../../types.js';

/**
 * The application's public key (64 hex characters, as the Developer Portal shows it) as an
 * Ed25519 KeyObject, or undefined when it is not one.
 */
export function ed25519PublicKey(hex: string | undefined): KeyObject | undefined {
  const raw = hex === undefined ? undefined : decodeSignature(hex, 'hex');
  if (raw === undefined || raw.length !== 32) return undefined;
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/**
 * Discord's `X-Signature-Ed25519` (hex Ed25519 signature) over `X-Signature-Timestamp` followed by
 * the body, checked with the application's public key; then the timestamp (seconds) must be within
 * the tolerance.
 */
export function verifyDiscord(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  const signature = header(request, 'x-signature-ed25519');
  if (signature === undefined) return refuse('missing', 'the request has no X-Signature-Ed25519 header');
  const timestamp = header(request, 'x-signature-timestamp');
  if (timestamp === undefined || !/^\d+$/.test(timestamp)) return refuse('invalid', 'the request has no numeric X-Signature-Timestamp header');
  const given = decodeSignature(signature, 'hex');
  if (given === undefined || given.length !== 64) return refuse('invalid', 'X-Signature-Ed25519 is not a 64-byte hex signature');
  const key = ed25519PublicKey(credentials.publicKey);
  if (key === undefined) return refuse('invalid', "the source's public key is not 32 bytes of hex (copy it from the application's General Information page)");
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.body]);
  if (!verify(null, signed, key, given)) return refuse('invalid', "X-Signature-Ed25519 does not match the body and the application's public key");
  return checkTimestamp(Number(timestamp), context.now, context.toleranceSeconds) ?? OK;
}
