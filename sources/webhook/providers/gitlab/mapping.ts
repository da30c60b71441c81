import { createError } from '../../../../core/errors.js';
import { extensions, header, jsonBody, pathValue, requiredHeader, rfc3339 } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix of Knative's GitLabSource: `dev.knative.sources.gitlab.<hook>`, e.g. `…gitlab.merge_request`. */
export const GITLAB_TYPE_PREFIX = 'dev.knative.sources.gitlab.';

/** Knative's `spec.eventTypes` names (GitLab's project-hook API fields) → the hook names they enable. */
export const HOOKS_BY_EVENT_TYPE: Record<string, string> = {
  push_events: 'push',
  tag_push_events: 'tag_push',
  issues_events: 'issue',
  confidential_issues_events: 'confidential_issue',
  merge_requests_events: 'merge_request',
  note_events: 'note',
  confidential_note_events: 'confidential_note',
  job_events: 'job',
  pipeline_events: 'pipeline',
  wiki_page_events: 'wiki_page',
  deployment_events: 'deployment',
  releases_events: 'release',
  emoji_events: 'emoji',
  feature_flag_events: 'feature_flag',
  milestone_events: 'milestone',
  member_events: 'member',
  project_events: 'project',
  resource_access_token_events: 'resource_access_token',
  vulnerability_events: 'vulnerability',
};

/** Subject per hook: a path into the payload (the first one present). Hooks not listed have none. */
const SUBJECTS: Record<string, string[]> = {
  push: ['checkout_sha'],
  tag_push: ['ref'],
  issue: ['object_attributes.iid'],
  confidential_issue: ['object_attributes.iid'],
  merge_request: ['object_attributes.iid'],
  note: ['object_attributes.id'],
  confidential_note: ['object_attributes.id'],
  pipeline: ['object_attributes.id'],
  job: ['build_id', 'job_id'],
  wiki_page: ['object_attributes.slug'],
  deployment: ['deployment_id'],
  release: ['tag'],
  milestone: ['object_attributes.iid'],
  emoji: ['object_attributes.id'],
};

/** `Merge Request Hook` → `merge_request`, as Knative's adapter names hooks; undefined when not a hook name. */
export function hookName(eventHeader: string): string | undefined {
  if (!eventHeader.endsWith(' Hook')) return undefined;
  const name = eventHeader.slice(0, -' Hook'.length).trim().toLowerCase().replace(/\s+/g, '_');
  return /^[a-z0-9_]+$/.test(name) ? name : undefined;
}

/**
 * A GitLab delivery as Knative's GitLabSource emits it: type from `X-Gitlab-Event`, source the
 * project (`spec.projectUrl`, else the payload's), subject per hook, extension `comgitlabevent` (the
 * header, as Knative) plus project/user/action. The id is `X-Gitlab-Event-UUID` (stable, unlike
 * Knative's random id); deliveries are deduplicated by `Idempotency-Key` (GitLab ≥ 17.4, the same on
 * every retry and resend of a delivery), else by that UUID.
 */
export function mapGitLab(request: WebhookRequest, projectUrl: string | undefined): { deliveryId: string; event: WebhookEvent; name: string } {
  const eventHeader = requiredHeader(request, 'x-gitlab-event');
  const name = hookName(eventHeader);
  if (name === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `x-gitlab-event "${eventHeader}" is not a GitLab hook name`);
  const eventId = requiredHeader(request, 'x-gitlab-event-uuid');
  const deliveryId = header(request, 'idempotency-key') ?? eventId;
  const body = jsonBody(request);
  const subject = (SUBJECTS[name] ?? []).map((path) => pathValue(body, path)).find((value) => value !== undefined);
  const event: WebhookEvent = {
    id: eventId,
    type: `${GITLAB_TYPE_PREFIX}${name}`,
    source: projectUrl ?? pathValue(body, 'project.web_url') ?? pathValue(body, 'repository.homepage') ?? 'https://gitlab.com',
    subject,
    time: name === 'note' || name === 'confidential_note' ? rfc3339(pathValue(body, 'object_attributes.created_at')) : undefined,
    datacontenttype: 'application/json',
    data: body,
    extensions: extensions({
      comgitlabevent: eventHeader,
      project: pathValue(body, 'project.path_with_namespace'),
      user: pathValue(body, 'user_username') ?? pathValue(body, 'user.username'),
      action: pathValue(body, 'object_attributes.action'),
    }),
  };
  return { deliveryId, event, name };
}
