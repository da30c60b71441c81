import type { WebhookContext, WebhookRequest } from '../../../sources/index.js';

/** A webhook request as the route hands it to a provider (header names lower-cased). */
export function webhookRequest(body: string | Buffer, headers: Record<string, string>, url = 'https://junction.example.com/sources/default/hook'): WebhookRequest {
  return { method: 'POST', url, body: Buffer.from(body), headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])) };
}

/** The context a provider is called with; `now` in ms. */
export function webhookContext(spec: Record<string, unknown> = {}, toleranceSeconds = 300, now = Date.now()): WebhookContext {
  return { namespace: 'default', name: 'hook', spec, toleranceSeconds, now };
}
