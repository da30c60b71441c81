import type { Sink } from '../../broker/index.js';
import type { WebhookCredentials, WebhookProvider } from './types.js';

/** Default body limit of a push source (providers with larger payloads say so). */
export const DEFAULT_WEBHOOK_BODY_BYTES = 1024 * 1024;
/** How long a provider's delivery id is remembered by default: Stripe retries for three days. */
export const DEFAULT_DEDUPE_WINDOW_MS = 72 * 3600 * 1000;

/** A push source that is Ready: what its route needs to answer a provider. */
export interface PushEndpoint {
  /** The source resource's uid: two push sources of different kinds cannot share a URL. */
  uid: string;
  namespace: string;
  name: string;
  kind: string;
  provider: WebhookProvider;
  spec: Readonly<Record<string, unknown>>;
  sink: Sink;
  overrides: Record<string, string>;
  maxBodyBytes: number;
  toleranceSeconds: number;
  dedupeWindowMs: number;
  /** Reads the Secrets now (a rotated secret takes effect on the next request); throws when one is gone. */
  credentials(): WebhookCredentials;
}

/** The push sources the route serves, by namespace and name; a source not Ready is kept with its reason (503). */
export class PushEndpoints {
  readonly #ready = new Map<string, PushEndpoint>();
  readonly #notReady = new Map<string, string>();
  readonly #owners = new Map<string, string>();

  /** The uid of the source holding `/sources/<namespace>/<name>`, if any. */
  owner(namespace: string, name: string): string | undefined {
    return this.#owners.get(`${namespace}/${name}`);
  }

  set(endpoint: PushEndpoint): void {
    const key = `${endpoint.namespace}/${endpoint.name}`;
    this.#notReady.delete(key);
    this.#ready.set(key, endpoint);
    this.#owners.set(key, endpoint.uid);
  }

  /** Marks a source as existing but not Ready: its provider gets 503 with `reason` and retries. */
  setNotReady(uid: string, namespace: string, name: string, reason: string): void {
    const key = `${namespace}/${name}`;
    this.#ready.delete(key);
    this.#notReady.set(key, reason);
    this.#owners.set(key, uid);
  }

  /** Stops serving the source with this uid (another source holding the URL is left alone). */
  delete(uid: string, namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    if (this.#owners.get(key) !== uid) return;
    this.#ready.delete(key);
    this.#notReady.delete(key);
    this.#owners.delete(key);
  }

  get(namespace: string, name: string): PushEndpoint | undefined {
    return this.#ready.get(`${namespace}/${name}`);
  }

  notReadyReason(namespace: string, name: string): string | undefined {
    return this.#notReady.get(`${namespace}/${name}`);
  }
}
