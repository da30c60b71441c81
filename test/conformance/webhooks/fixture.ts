/** What the webhook conformance suite needs to know of one push-source kind. */
export interface WebhookFixture {
  kind: string;
  apiVersion: string;
  /** Provider-specific spec fields (beside sink and secretToken/publicKey, which the suite sets). */
  spec?: Record<string, unknown>;
  /** The signing secret the provider shows the user (put into a Secret, named by `spec.secretToken`). */
  secret?: string;
  /** The verification key the provider shows (put into a Secret, named by `spec.publicKey`). */
  publicKey?: string;
  /**
   * A request as the provider sends delivery `delivery`, signed (by the provider's official SDK
   * where it can sign) at `nowSeconds`; `url` is the URL the provider calls (some schemes sign it).
   */
  request(options: { url: string; delivery: string; nowSeconds: number }): Promise<SignedRequest> | SignedRequest;
  /** The header whose absence is a missing signature. */
  signatureHeader: string;
  /** True when the scheme signs a timestamp (a stale one is refused). */
  timestamped: boolean;
  /** The CloudEvent the suite expects for `delivery` (checked on what the subscriber receives). */
  expected(delivery: string): { type: string; id: string; source?: string; subject?: string };
}

/** A request ready to send. */
export interface SignedRequest {
  headers: Record<string, string>;
  body: string | Buffer;
}
