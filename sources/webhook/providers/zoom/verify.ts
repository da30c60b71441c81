import type { Verdict, WebhookContext, WebhookCredentials, WebhookRequest } from '../../types.js';
import { verifyV0, type V0Scheme } from '../slack/verify.js';

const ZOOM: V0Scheme = { signatureHeader: 'x-zm-signature', timestampHeader: 'x-zm-request-timestamp', secretName: 'Secret Token' };

/** Zoom: `x-zm-signature` over `v0:<x-zm-request-timestamp>:<body>` with the app's Secret Token (Slack's v0 scheme). */
export function verifyZoom(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  return verifyV0(ZOOM, request, credentials, context);
}
