import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RefusalReason, Verdict } from './types.js';

/** Accepted. */
export const OK: Verdict = { ok: true };

/** A refusal with its reason and a message that names no secret. */
export function refuse(reason: RefusalReason, message: string): Verdict {
  return { ok: false, reason, message };
}

/** HMAC of `data` with `key`, as raw bytes. */
export function hmac(algorithm: 'sha1' | 'sha256' | 'sha512', key: string | Buffer, data: string | Buffer): Buffer {
  return createHmac(algorithm, key).update(data).digest();
}

/**
 * Constant-time equality of two byte strings. Different lengths are unequal without comparing
 * contents (the length of a signature is not secret).
 */
export function safeEqual(a: Buffer | string, b: Buffer | string): boolean {
  const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  return left.length === right.length && timingSafeEqual(left, right);
}

/** True when any of `candidates` equals `expected` (constant-time each; every candidate is compared). */
export function anyEqual(expected: Buffer | string, candidates: ReadonlyArray<Buffer | string>): boolean {
  let found = false;
  for (const candidate of candidates) if (safeEqual(expected, candidate)) found = true;
  return found;
}

/** Decodes hex or base64 text to bytes; undefined when it is not valid in that encoding. */
export function decodeSignature(text: string, encoding: 'hex' | 'base64'): Buffer | undefined {
  const trimmed = text.trim();
  if (encoding === 'hex') return /^(?:[0-9a-fA-F]{2})+$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : undefined;
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
}

/**
 * The one-header HMAC-SHA256 scheme GitHub, Gitea, Linear and Shopify share: `value` (the header
 * `name` carried) is `prefix` + the HMAC of the body keyed with the secret, hex or base64; compared
 * in constant time. `secretName` names the secret in the refusal (never its value).
 */
export function checkBodyHmac(value: string, name: string, scheme: { encoding: 'hex' | 'base64'; prefix?: string; secretName: string }, secret: string, body: Buffer): Verdict {
  const prefix = scheme.prefix ?? '';
  if (!value.startsWith(prefix)) return refuse('invalid', `${name} does not start with ${prefix}`);
  const given = decodeSignature(value.slice(prefix.length), scheme.encoding);
  if (given === undefined) return refuse('invalid', `${name} is not ${scheme.encoding}`);
  return safeEqual(hmac('sha256', secret, body), given) ? OK : refuse('invalid', `${name} does not match the body and ${scheme.secretName}`);
}

/**
 * The items of a `key=value` signature header (Stripe's `t=…,v1=…`, Paddle's `ts=…;h1=…`,
 * PagerDuty's `v1=…,v1=…`): the value of `timestampKey`, and every value of `signatureKey` that is
 * valid hex, decoded (several while a secret is rotated; any may match).
 */
export function signatureItems(header: string, separator: string, signatureKey: string, timestampKey?: string): { timestamp?: string; signatures: Buffer[] } {
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const item of header.split(separator)) {
    const at = item.indexOf('=');
    if (at < 0) continue;
    const key = item.slice(0, at).trim();
    const value = item.slice(at + 1).trim();
    if (timestampKey !== undefined && key === timestampKey) timestamp = value;
    else if (key === signatureKey) {
      const decoded = decodeSignature(value, 'hex');
      if (decoded) signatures.push(decoded);
    }
  }
  return { timestamp, signatures };
}

/**
 * Checks a provider timestamp (seconds since the epoch) against the replay window: undefined when
 * it is within `toleranceSeconds` of now (either side), else the refusal.
 */
export function checkTimestamp(seconds: number, nowMs: number, toleranceSeconds: number): Verdict | undefined {
  if (!Number.isFinite(seconds)) return refuse('invalid', 'the signature timestamp is not a number');
  if (Math.abs(nowMs / 1000 - seconds) > toleranceSeconds) return refuse('stale', `the signature timestamp is more than ${toleranceSeconds} s away from now (a replay or a wrong clock)`);
  return undefined;
}
