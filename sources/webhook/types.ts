/**
 * The contract of a webhook provider: pure verification and mapping over the raw request, so each
 * provider is unit-tested against requests signed by its official SDK, and the push-source route
 * (raw bytes -> verify -> handshake -> dedupe -> map -> sink -> 2xx) is written once.
 */

/** A received webhook request, as the provider sent it. */
export interface WebhookRequest {
  method: string;
  /**
   * The URL the provider called and (for Twilio, Square, Zoom…) signed: the source's
   * `spec.publicUrl` when set, else the URL as received (scheme://host/path?query).
   */
  url: string;
  /** Header values by lower-case name; a repeated header is joined with ", " as Node does. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The exact body bytes (signatures cover these, never re-serialised JSON). */
  body: Buffer;
}

/** Key material from the source's Secrets (`spec.secretToken` / `spec.publicKey`), never logged. */
export interface WebhookCredentials {
  secret?: string;
  publicKey?: string;
}

/** Why a request is refused (each becomes a 401 problem with its own code). */
export type RefusalReason = 'missing' | 'invalid' | 'stale';

/** Verification result: ok, or refused with a reason and a message safe to show the caller (no secrets). */
export type Verdict = { ok: true } | { ok: false; reason: RefusalReason; message: string };

/** What the source tells verify and map about itself. */
export interface WebhookContext {
  namespace: string;
  /** The source resource's name. */
  name: string;
  /** The source's spec (provider-specific fields, e.g. GitHub's ownerAndRepository). */
  spec: Readonly<Record<string, unknown>>;
  /** Replay window in seconds (the provider's default unless the source sets `spec.toleranceSeconds`). */
  toleranceSeconds: number;
  /** Now, in ms since the epoch (injected so tests can move time). */
  now: number;
}

/** One CloudEvent to emit, before ceOverrides are applied. */
export interface WebhookEvent {
  id: string;
  type: string;
  source: string;
  subject?: string;
  /** RFC 3339, when the provider says when the event happened. */
  time?: string;
  datacontenttype: string;
  /** A JSON value for JSON content types, else text (absent when `data_base64` carries binary data). */
  data?: unknown;
  /** Binary data, base64-encoded (the CloudEvents JSON format's `data_base64`). */
  data_base64?: string;
  /** The event's `dataschema`, when the provider names one. */
  dataschema?: string;
  /** Extension attributes (lower-case names of [a-z0-9], string values). */
  extensions?: Record<string, string>;
}

/** A provider's handshake answered instead of emitting events (Slack url_verification, Discord PING…). */
export interface HandshakeAnswer {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is (content-type from headers, default text/plain); an object as JSON. */
  body?: string | Record<string, unknown>;
}

/** One webhook provider (one source kind). Implementations hold no state between requests. */
export interface WebhookProvider {
  /** The source kind, e.g. `StripeSource`. */
  kind: string;
  /** One line for `junction source-types`. */
  description: string;
  /** The CloudEvent types it emits (a trailing `*` for a family, e.g. `com.stripe.*`). */
  eventTypes: string[];
  /** Which credential verify needs: a shared secret, a public key, or none (optional auth). */
  credential: 'secret' | 'publicKey' | 'none';
  /** True when the source may omit its secret (optional auth, e.g. WebhookSource with `auth.type: none`). */
  optionalCredential?: boolean;
  /** JSON Schema (`{type: 'object', properties}`) of the provider's own spec fields beyond the common ones. */
  specSchema?: Record<string, unknown>;
  /** Largest body the provider sends (default 1 MiB; GitHub sends up to 25 MiB). */
  maxBodyBytes?: number;
  /** Default replay window in seconds; 0 when the scheme carries no timestamp. */
  toleranceSeconds: number;
  /** Checks signature and timestamp over the raw bytes (constant-time). May fetch and cache keys (SNS). */
  verify(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict | Promise<Verdict>;
  /** After a successful verify: a handshake to answer instead of emitting events, or undefined. */
  handshake?(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): HandshakeAnswer | undefined | Promise<HandshakeAnswer | undefined>;
  /**
   * The answer to the provider once the events are durable (or were already, for a redelivery),
   * when it expects more than a 200 with Junction's JSON: Slack an empty body, Twilio TwiML,
   * Discord a deferred interaction response. Undefined: `200 {"accepted": n}`.
   */
  acknowledge?(request: WebhookRequest, accepted: { events: number; duplicate: boolean }): HandshakeAnswer | undefined;
  /** The event types a source will emit, known from its spec (recorded as EventTypes before the first event). */
  declaredEventTypes?(spec: Readonly<Record<string, unknown>>): Array<{ type: string; source: string }>;
  /** Checks across spec fields beyond the schema (paths start with `spec.`), at admission. */
  validate?(spec: Record<string, unknown>): Array<{ path: string; message: string }>;
  /**
   * The events of a verified request with the provider's stable delivery id (the dedupe key:
   * the same across the provider's retries). Throws a JunctionError (400) on a body it cannot read.
   */
  map(request: WebhookRequest, context: WebhookContext): { deliveryId: string; events: WebhookEvent[] };
}
