import { header } from '../../payload.js';
import { OK, anyEqual, checkTimestamp, decodeSignature, hmac, refuse, safeEqual } from '../../signatures.js';
import type { Verdict, WebhookContext, WebhookCredentials, WebhookRequest } from '../../types.js';

/** How a generic push source (WebhookSource, CloudEventsSource) authenticates its callers: `spec.auth`. */
export type WebhookAuth =
  | { type: 'none' }
  | { type: 'basic' }
  | { type: 'bearer' }
  | { type: 'hmac'; header?: string; algorithm?: 'sha1' | 'sha256' | 'sha512'; encoding?: 'hex' | 'base64'; prefix?: string; timestampHeader?: string };

/** Default replay window when `spec.auth.timestampHeader` is set (unused otherwise). */
export const AUTH_TOLERANCE_SECONDS = 300;

/** JSON Schema of an HTTP header name (an RFC 9110 token). */
export const HEADER_NAME_SCHEMA = { type: 'string', pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" };

/**
 * JSON Schema of `spec.auth`. Fields of the hmac scheme are refused with another type; that a
 * source without `spec.secretToken` must say `type: none` is checked by validateAuth (a cross-field rule).
 */
export const AUTH_SCHEMA = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { enum: ['none', 'basic', 'bearer', 'hmac'] },
    header: HEADER_NAME_SCHEMA,
    algorithm: { enum: ['sha1', 'sha256', 'sha512'] },
    encoding: { enum: ['hex', 'base64'] },
    prefix: { type: 'string', pattern: '^[^\\s,]*$' },
    timestampHeader: HEADER_NAME_SCHEMA,
  },
  if: { properties: { type: { enum: ['none', 'basic', 'bearer'] } } },
  then: { propertyNames: { const: 'type' } },
};

/** `spec.auth`, else HMAC with its defaults when the source names a secret, else undefined (nothing configured). */
export function authOf(spec: Readonly<Record<string, unknown>>): WebhookAuth | undefined {
  const auth = spec.auth as WebhookAuth | undefined;
  if (auth !== undefined) return auth;
  return spec.secretToken !== undefined ? { type: 'hmac' } : undefined;
}

/**
 * Verifies a request with the source's `spec.auth` over the raw bytes, constant-time. A source that
 * names neither a secret nor `auth.type: none` refuses everything: open endpoints are opt-in.
 */
export function verifyAuth(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  const auth = authOf(context.spec);
  if (auth === undefined) return refuse('missing', `${context.name} has neither spec.secretToken nor spec.auth; set spec.auth.type: none to accept unauthenticated requests`);
  if (auth.type === 'none') return OK;
  const secret = credentials.secret;
  if (secret === undefined) return refuse('missing', `spec.auth.type ${auth.type} needs spec.secretToken, and the source names none`);
  if (auth.type === 'hmac') return verifyHmac(request, secret, auth, context);
  const authorization = header(request, 'authorization');
  if (authorization === undefined) return refuse('missing', 'the request has no Authorization header');
  const [scheme = '', value = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() !== auth.type) return refuse('invalid', `the Authorization header is not ${auth.type === 'basic' ? 'Basic' : 'Bearer'}`);
  if (auth.type === 'bearer') return safeEqual(value, secret) ? OK : refuse('invalid', 'the bearer token does not match the source’s secret');
  // Basic: the whole decoded "user:password" is compared at once, so neither half leaks on its own.
  const decoded = decodeSignature(value, 'base64');
  return decoded !== undefined && safeEqual(decoded, Buffer.from(secret, 'utf8')) ? OK : refuse('invalid', 'the Basic credentials do not match the source’s secret');
}

/**
 * `<header>: <prefix><signature>` over the body, or over `<timestamp>.<body>` when `timestampHeader`
 * is set (then the timestamp, in seconds, must be within the tolerance). Several signatures may be
 * sent separated by commas or spaces (a sender rolling its secret); any one may match.
 */
function verifyHmac(request: WebhookRequest, secret: string, auth: Extract<WebhookAuth, { type: 'hmac' }>, context: WebhookContext): Verdict {
  const headerName = (auth.header ?? 'x-signature').toLowerCase();
  const encoding = auth.encoding ?? 'hex';
  const prefix = auth.prefix ?? '';
  const signature = header(request, headerName);
  if (signature === undefined) return refuse('missing', `the request has no ${headerName} header`);
  const candidates = signature
    .split(/[\s,]+/)
    .filter((item) => item.startsWith(prefix))
    .map((item) => decodeSignature(item.slice(prefix.length), encoding))
    .filter((item): item is Buffer => item !== undefined);
  if (candidates.length === 0) return refuse('invalid', `${headerName} holds no ${encoding} signature${prefix === '' ? '' : ` after "${prefix}"`}`);
  const timestampHeader = auth.timestampHeader?.toLowerCase();
  const timestamp = timestampHeader === undefined ? undefined : header(request, timestampHeader);
  if (timestampHeader !== undefined && timestamp === undefined) return refuse('invalid', `the request has no ${timestampHeader} header (the signature covers "<timestamp>.<body>")`);
  const signed = timestamp === undefined ? request.body : Buffer.concat([Buffer.from(`${timestamp}.`), request.body]);
  if (!anyEqual(hmac(auth.algorithm ?? 'sha256', secret, signed), candidates)) return refuse('invalid', `${headerName} does not match the body and the source’s secret`);
  if (timestamp === undefined) return OK;
  if (!/^\d+$/.test(timestamp.trim())) return refuse('invalid', `${timestampHeader} is not a time in seconds since the epoch`);
  return checkTimestamp(Number(timestamp), context.now, context.toleranceSeconds) ?? OK;
}

/**
 * The cross-field rule, at admission: basic, bearer and hmac need `spec.secretToken`, and a source
 * without one must say `auth.type: none` (an open endpoint is opt-in, never the default).
 */
export function validateAuth(spec: Readonly<Record<string, unknown>>): Array<{ path: string; message: string }> {
  const auth = authOf(spec);
  if (auth === undefined) return [{ path: 'spec.auth', message: 'set spec.secretToken (HMAC by default), or auth.type: none to accept unauthenticated requests' }];
  if (auth.type !== 'none' && spec.secretToken === undefined) return [{ path: 'spec.secretToken', message: `auth.type ${auth.type} needs the secret in spec.secretToken` }];
  return [];
}
