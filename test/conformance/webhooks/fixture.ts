/** What the webhook conformance suite needs to know of one push-source kind. */
export type WebhookFixture = FixtureBase & SignatureRemoval;

interface FixtureBase {
  kind: string;
  apiVersion: string;
  /** Provider-specific spec fields (beside sink and secretToken/publicKey, which the suite sets). */
  spec?: Record<string, unknown>;
  /** The signing secret the provider shows the user (put into a Secret, named by `spec.secretToken`). */
  secret?: string;
  /** The verification key the provider shows (put into a Secret, named by `spec.publicKey`). */
  publicKey?: string;
  /**
   * Starts what the provider calls while verifying (SNS: its certificate host), before the source
   * is applied; `request` is called only between it and `close`.
   */
  start?(): Promise<FixtureServices>;
  /**
   * A request as the provider sends delivery `delivery`, signed (by the provider's official SDK
   * where it can sign) at `nowSeconds`; `url` is the URL the provider calls (some schemes sign it).
   */
  request(options: { url: string; delivery: string; nowSeconds: number }): Promise<SignedRequest> | SignedRequest;
  /**
   * `signed` with a credential that does not check out, for schemes whose credential does not
   * cover the body (a bearer token). Default: one byte of the body flipped after signing.
   */
  forged?(signed: SignedRequest): SignedRequest;
  /** True when the scheme signs a timestamp (a stale one is refused). */
  timestamped: boolean;
  /** The CloudEvent the suite expects for `delivery` (checked on what the subscriber receives). */
  expected(delivery: string): { type: string; id: string; source?: string; subject?: string };
}

/** How a signed request loses its signature: a header to drop, or `unsigned` when it is not one. */
type SignatureRemoval =
  | {
      /** The header whose absence is a missing signature (dropping it is the default `unsigned`). */
      signatureHeader: string;
      /** `signed` without its signature (default: without `signatureHeader`). */
      unsigned?(signed: SignedRequest): SignedRequest;
    }
  | { signatureHeader?: undefined; unsigned(signed: SignedRequest): SignedRequest };

/** What a fixture's `start` started, and the CA Junction must trust to reach it over HTTPS. */
export interface FixtureServices {
  /** A CA certificate as PEM text and as a file (in-process: undici's global dispatcher; a process: NODE_EXTRA_CA_CERTS). */
  ca?: { pem: string; file: string };
  close(): Promise<void>;
}

/** A request ready to send. */
export interface SignedRequest {
  headers: Record<string, string>;
  body: string | Buffer;
}
