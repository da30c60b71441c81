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
 * Checks a provider timestamp (seconds since the epoch) against the replay window: undefined when
 * it is within `toleranceSeconds` of now (either side), else the refusal.
 */
export function checkTimestamp(seconds: number, nowMs: number, toleranceSeconds: number): Verdict | undefined {
  if (!Number.isFinite(seconds)) return refuse('invalid', 'the signature timestamp is not a number');
  if (Math.abs(nowMs / 1000 - seconds) > toleranceSeconds) return refuse('stale', `the signature timestamp is more than ${toleranceSeconds} s away from now (a replay or a wrong clock)`);
  return undefined;
}
