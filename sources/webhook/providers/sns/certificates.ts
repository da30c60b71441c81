import { X509Certificate } from 'node:crypto';
import { Agent, request, type Dispatcher } from 'undici';
import { createError } from '../../../../core/errors.js';

/** A GET over HTTPS answering the status and the body text (SNS certificates and SubscribeURLs). */
export type HttpsGet = (url: URL) => Promise<{ status: number; body: string }>;

/** Larger answers are refused: a signing certificate is ~2 KiB, a confirmation ~1 KiB. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** Certificates kept (SNS uses a handful of URLs per region; each new URL evicts the oldest). */
const CACHE_SIZE = 32;

/**
 * A GET with the system's trust store (or `ca`, for tests and private SNS-compatible endpoints),
 * no redirects, 10 s timeouts and a 64 KiB cap on the answer.
 */
export function httpsGet(options: { ca?: string; timeoutMs?: number } = {}): HttpsGet {
  const dispatcher: Dispatcher | undefined = options.ca !== undefined ? new Agent({ connect: { ca: options.ca } }) : undefined;
  const timeout = options.timeoutMs ?? 10_000;
  return async (url) => {
    const answer = await request(url, { method: 'GET', dispatcher, headersTimeout: timeout, bodyTimeout: timeout });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of answer.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) {
        answer.body.destroy();
        throw new Error(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
      }
      chunks.push(chunk);
    }
    return { status: answer.statusCode, body: Buffer.concat(chunks).toString('utf8') };
  };
}

/** Signing certificates by URL, fetched once (a small LRU; a failed fetch is not remembered). */
export class CertificateCache {
  private readonly entries = new Map<string, Promise<X509Certificate>>();

  constructor(private readonly get: HttpsGet) {}

  /**
   * The certificate at `url`. A fetch that fails is a 503 (JUNCTION_SOURCE_NOT_READY), so SNS
   * retries; an answer that is not a PEM certificate is undefined (the request is refused).
   */
  async certificate(url: URL): Promise<X509Certificate | undefined> {
    const key = url.href;
    let entry = this.entries.get(key);
    if (entry !== undefined) this.entries.delete(key); // re-inserted below: most recently used last
    else entry = this.fetch(url);
    this.entries.set(key, entry);
    while (this.entries.size > CACHE_SIZE) this.entries.delete(this.entries.keys().next().value!);
    try {
      return await entry;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      if ((error as { code?: string }).code === 'NOT_A_CERTIFICATE') return undefined;
      throw createError('JUNCTION_SOURCE_NOT_READY', `the SNS signing certificate ${key} could not be fetched: ${(error as Error).message}`);
    }
  }

  private async fetch(url: URL): Promise<X509Certificate> {
    const answer = await this.get(url);
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
    try {
      return new X509Certificate(answer.body);
    } catch {
      throw Object.assign(new Error('not a PEM certificate'), { code: 'NOT_A_CERTIFICATE' });
    }
  }
}
