import { createError } from '../../../../core/errors.js';
import { extensions, jsonBody, pathValue } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';
import { familyHeader } from './verify.js';

/** Type prefix: `io.gitea.<X-Gitea-Event>`, e.g. `io.gitea.pull_request` (the same for Forgejo and Gogs). */
export const GITEA_TYPE_PREFIX = 'io.gitea.';

/** Subject per event: paths into the payload, the first present. Events not listed have none. */
const SUBJECTS: Record<string, string[]> = {
  push: ['after'],
  create: ['ref'],
  delete: ['ref'],
  issues: ['issue.number'],
  issue_comment: ['issue.number'],
  pull_request: ['pull_request.number', 'number'],
  release: ['release.tag_name'],
  workflow_run: ['workflow_run.id'],
  workflow_job: ['workflow_job.id'],
};

/**
 * A Gitea / Forgejo / Gogs delivery: type from `X-Gitea-Event`, id = `X-Gitea-Delivery` (a UUID per
 * delivery), source the repository's `html_url`, subject per event; extensions action, repository, sender.
 */
export function mapGitea(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const name = familyHeader(request, 'event')?.value;
  const deliveryId = familyHeader(request, 'delivery')?.value;
  if (name === undefined || deliveryId === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'the request has no X-Gitea-Event / X-Gitea-Delivery (or Forgejo / Gogs) headers');
  if (!/^[a-z0-9_]+$/.test(name)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `x-gitea-event "${name}" is not a Gitea event name`);
  const body = jsonBody(request);
  const subjectPaths = SUBJECTS[name] ?? (name.startsWith('pull_request') ? SUBJECTS.pull_request! : name.startsWith('issue') ? SUBJECTS.issues! : []);
  const event: WebhookEvent = {
    id: deliveryId,
    type: `${GITEA_TYPE_PREFIX}${name}`,
    source: pathValue(body, 'repository.html_url') ?? pathValue(body, 'organization.html_url') ?? 'urn:gitea',
    subject: subjectPaths.map((path) => pathValue(body, path)).find((value) => value !== undefined),
    datacontenttype: 'application/json',
    data: body,
    extensions: extensions({
      action: pathValue(body, 'action'),
      repository: pathValue(body, 'repository.full_name'),
      sender: pathValue(body, 'sender.login') ?? pathValue(body, 'sender.username'),
    }),
  };
  return { deliveryId, events: [event] };
}
