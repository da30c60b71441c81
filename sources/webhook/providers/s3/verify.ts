import { OK, anyEqual, refuse } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookCredentials, WebhookRequest } from '../../types.js';

/**
 * The `Authorization` header MinIO (`auth_token`) and other S3-compatible stores send with bucket
 * notifications: `Bearer <secret>`, or the secret itself when it carries its own scheme (MinIO
 * sends a token containing a space verbatim). Compared in constant time; nothing covers the body.
 */
export function verifyBearer(request: WebhookRequest, credentials: WebhookCredentials): Verdict {
  const given = header(request, 'authorization');
  if (given === undefined) return refuse('missing', 'the request has no Authorization header');
  const secret = credentials.secret ?? '';
  if (secret === '') return refuse('invalid', "the source's secret is empty");
  const value = given.trim();
  // The scheme name is case-insensitive (RFC 9110); a verbatim token is compared whole.
  const bearer = /^bearer +(.+)$/i.exec(value)?.[1];
  const accepted = anyEqual(secret, bearer !== undefined ? [value, bearer] : [value]);
  return accepted ? OK : refuse('invalid', "the Authorization header does not carry the source's secret");
}
