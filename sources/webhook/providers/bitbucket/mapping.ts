import { createError } from '../../../../core/errors.js';
import { extensions, header, jsonBody, pathValue, requiredHeader } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix: `org.bitbucket.<X-Event-Key with : as .>`, e.g. `org.bitbucket.pullrequest.created`. */
export const BITBUCKET_TYPE_PREFIX = 'org.bitbucket.';

/** Subject per event-key family (the part before `:`), a path into the payload; `repo:*` per key. */
const SUBJECTS: Record<string, string> = {
  'repo:push': 'push.changes.0.new.target.hash',
  'repo:commit_comment_created': 'comment.id',
  'repo:commit_status_created': 'commit_status.commit.hash',
  'repo:commit_status_updated': 'commit_status.commit.hash',
  pullrequest: 'pullrequest.id',
  issue: 'issue.id',
  pr: 'pullRequest.id',
};

/**
 * A Bitbucket Cloud delivery: type from `X-Event-Key`, id = `X-Request-UUID` (the same on Bitbucket's
 * automatic resends; Data Center's `X-Request-Id` when absent), source the repository
 * (`https://bitbucket.org/<full_name>`), subject the commit / pull request / issue; extensions
 * `repository` and `actor`.
 */
export function mapBitbucket(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const key = requiredHeader(request, 'x-event-key');
  if (!/^[a-z_]+(?::[a-z_]+)+$/.test(key)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `x-event-key "${key}" is not a Bitbucket event key`);
  const deliveryId = header(request, 'x-request-uuid') ?? requiredHeader(request, 'x-request-id');
  const body = jsonBody(request);
  const subjectPath = SUBJECTS[key] ?? SUBJECTS[key.slice(0, key.indexOf(':'))];
  const fullName = pathValue(body, 'repository.full_name');
  const event: WebhookEvent = {
    id: deliveryId,
    type: `${BITBUCKET_TYPE_PREFIX}${key.replaceAll(':', '.')}`,
    source: fullName !== undefined ? `https://bitbucket.org/${fullName}` : (pathValue(body, 'repository.links.html.href') ?? 'https://bitbucket.org'),
    subject: subjectPath === undefined ? undefined : pathValue(body, subjectPath),
    datacontenttype: 'application/json',
    data: body,
    extensions: extensions({
      repository: fullName,
      actor: pathValue(body, 'actor.nickname') ?? pathValue(body, 'actor.display_name') ?? pathValue(body, 'actor.name'),
    }),
  };
  return { deliveryId, events: [event] };
}
