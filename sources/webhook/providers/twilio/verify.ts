import { createHash } from 'node:crypto';
import { OK, anyEqual, decodeSignature, hmac, refuse, safeEqual } from '../../signatures.js';
import { header, mediaType } from '../../payload.js';
import type { Verdict, WebhookCredentials, WebhookRequest } from '../../types.js';

/** The form parameters as Twilio signs them: names sorted, each name followed by its distinct values sorted. */
export function signedParameters(body: Buffer): string {
  const values = new Map<string, Set<string>>();
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) values.set(name, (values.get(name) ?? new Set()).add(value));
  return [...values.keys()].sort().map((name) => [...values.get(name)!].sort().map((value) => name + value).join('')).join('');
}

/** The URL as received, without its port and with the scheme's default port: Twilio signs one of them. */
function urlVariants(url: string): string[] {
  const match = /^(https?:\/\/)(\[[^\]]*\]|[^/?#:]*)(:\d+)?(.*)$/i.exec(url);
  if (!match) return [url];
  const [, scheme, host, , rest] = match;
  const defaultPort = scheme!.toLowerCase() === 'https://' ? ':443' : ':80';
  return [...new Set([url, `${scheme}${host}${rest}`, `${scheme}${host}${defaultPort}${rest}`])];
}

/** The HMAC Twilio uses: SHA-1 with the Auth Token, or what `X-Twilio-Webhooks-Signature-Settings` names (SharedKey). */
function algorithm(request: WebhookRequest): 'sha1' | 'sha256' | undefined {
  const settings = header(request, 'x-twilio-webhooks-signature-settings') ?? '';
  const named = /(?:^|,)\s*algorithm=([^,]*)/.exec(settings)?.[1]?.trim().toUpperCase();
  if (named === undefined || named === '' || named === 'HMAC_SHA1') return 'sha1';
  return named === 'HMAC_SHA256' ? 'sha256' : undefined;
}

/**
 * `X-Twilio-Signature: base64 HMAC-SHA1(Auth Token, <URL> + <sorted form params>)`. A JSON body is
 * not in the signature: its URL carries `bodySHA256=<hex SHA-256 of the body>`, which is checked
 * too. The URL is the one Twilio called (`spec.publicUrl` behind a proxy), with or without port.
 * No timestamp: replays are caught by the dedupe only.
 */
export function verifyTwilio(request: WebhookRequest, credentials: WebhookCredentials): Verdict {
  const signature = header(request, 'x-twilio-signature');
  if (signature === undefined) return refuse('missing', 'the request has no X-Twilio-Signature header');
  const given = decodeSignature(signature, 'base64');
  if (given === undefined) return refuse('invalid', 'X-Twilio-Signature is not base64');
  const hash = algorithm(request);
  if (hash === undefined) return refuse('invalid', 'X-Twilio-Webhooks-Signature-Settings names an algorithm other than HMAC_SHA1 / HMAC_SHA256');
  let bodyHash: string | null = null;
  try {
    bodyHash = new URL(request.url).searchParams.get('bodySHA256');
  } catch {
    return refuse('invalid', 'the signed URL is not a URL');
  }
  const form = mediaType(request) === 'application/x-www-form-urlencoded';
  if (bodyHash === null && !form && request.body.length > 0) return refuse('invalid', 'a body that is not a form must be covered by bodySHA256 in the URL');
  const parameters = bodyHash === null ? signedParameters(request.body) : '';
  const expected = urlVariants(request.url).map((url) => hmac(hash, credentials.secret ?? '', Buffer.from(url + parameters, 'utf8')));
  if (!anyEqual(given, expected)) return refuse('invalid', 'X-Twilio-Signature does not match the URL, the parameters and the Auth Token (is spec.publicUrl the URL Twilio calls?)');
  if (bodyHash !== null && !safeEqual(createHash('sha256').update(request.body).digest('hex'), bodyHash.toLowerCase())) return refuse('invalid', 'the body does not match bodySHA256 in the signed URL');
  return OK;
}
