import { verify } from 'node:crypto';
import { OK, checkTimestamp, decodeSignature, refuse } from '../../signatures.js';
import type { Verdict, WebhookContext, WebhookRequest } from '../../types.js';
import type { CertificateCache } from './certificates.js';

/** Hosts SNS signs from and sends SubscribeURLs on, unless `spec.certificateHostPattern` says otherwise. */
export const DEFAULT_HOST_PATTERN = '^sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$';

/** The fields SNS signs, in its documented order, per message type (absent optional ones are skipped). */
const SIGNED_FIELDS: Record<string, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};
const ALGORITHMS: Record<string, string> = { '1': 'sha1', '2': 'sha256' };

/** The SNS message of a body (SNS posts JSON as `text/plain`), or undefined when it is not a JSON object. */
export function snsMessage(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The string SNS signs: `<name>\n<value>\n` for each signed field present, in order. */
export function canonicalString(message: Record<string, unknown>): string | undefined {
  const fields = SIGNED_FIELDS[String(message.Type)];
  if (fields === undefined) return undefined;
  return fields.filter((field) => typeof message[field] === 'string').map((field) => `${field}\n${String(message[field])}\n`).join('');
}

/**
 * The allowed hosts of a source: `spec.certificateHostPattern` (else SNS's own hosts), anchored at
 * both ends; undefined when the pattern is not a regular expression.
 */
export function hostPattern(context: WebhookContext): RegExp | undefined {
  const pattern = typeof context.spec.certificateHostPattern === 'string' ? context.spec.certificateHostPattern : DEFAULT_HOST_PATTERN;
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
}

/** True when `url` is https and its host (without port) matches the allowed pattern. */
export function allowedUrl(url: URL, pattern: RegExp): boolean {
  return url.protocol === 'https:' && pattern.test(url.hostname);
}

/**
 * An SNS message's signature (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) over its canonical
 * string, checked with the certificate at `SigningCertURL` (https, an allowed host, `.pem`); then
 * `spec.topicArns` (when set) must list its topic and `Timestamp` be within the tolerance.
 */
export async function verifySns(request: WebhookRequest, context: WebhookContext, certificates: CertificateCache): Promise<Verdict> {
  const message = snsMessage(request.body);
  if (message === undefined) return refuse('missing', 'the body is not an SNS message (a JSON object with a Signature)');
  if (typeof message.Signature !== 'string' || typeof message.SigningCertURL !== 'string') return refuse('missing', 'the SNS message has no Signature or SigningCertURL (raw message delivery must be off)');
  const algorithm = ALGORITHMS[String(message.SignatureVersion)];
  if (algorithm === undefined) return refuse('invalid', `SignatureVersion ${String(message.SignatureVersion)} is not 1 or 2`);
  const signed = canonicalString(message);
  if (signed === undefined) return refuse('invalid', `SNS message Type ${String(message.Type)} is not Notification, SubscriptionConfirmation or UnsubscribeConfirmation`);
  const given = decodeSignature(message.Signature, 'base64');
  if (given === undefined) return refuse('invalid', 'the SNS Signature is not base64');
  let certUrl: URL;
  try {
    certUrl = new URL(message.SigningCertURL);
  } catch {
    return refuse('invalid', 'SigningCertURL is not a URL');
  }
  const hosts = hostPattern(context);
  if (hosts === undefined) return refuse('invalid', 'spec.certificateHostPattern is not a regular expression');
  if (!allowedUrl(certUrl, hosts) || !certUrl.pathname.endsWith('.pem')) return refuse('invalid', `SigningCertURL ${certUrl.href} is not an https .pem URL on an allowed host`);
  const topics = Array.isArray(context.spec.topicArns) ? (context.spec.topicArns as unknown[]) : undefined;
  if (topics !== undefined && topics.length > 0 && !topics.includes(message.TopicArn)) return refuse('invalid', `topic ${String(message.TopicArn)} is not in spec.topicArns`);
  const certificate = await certificates.certificate(certUrl);
  if (certificate === undefined) return refuse('invalid', `SigningCertURL ${certUrl.href} does not serve a PEM certificate`);
  if (context.now < Date.parse(certificate.validFrom) || context.now > Date.parse(certificate.validTo)) return refuse('invalid', `the signing certificate ${certUrl.href} is not valid now`);
  let valid: boolean;
  try {
    valid = verify(algorithm, Buffer.from(signed, 'utf8'), certificate.publicKey, given);
  } catch {
    valid = false;
  }
  if (!valid) return refuse('invalid', 'the SNS Signature does not match the message and its signing certificate');
  const timestamp = typeof message.Timestamp === 'string' ? Date.parse(message.Timestamp) / 1000 : Number.NaN;
  return checkTimestamp(timestamp, context.now, context.toleranceSeconds) ?? OK;
}
