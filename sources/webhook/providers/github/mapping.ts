import { createError } from '../../../../core/errors.js';
import { extensions, formBody, jsonBody, mediaType, pathValue, requiredHeader } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix Knative's GitHubSource uses: `dev.knative.source.github.<X-GitHub-Event>`. */
export const GITHUB_TYPE_PREFIX = 'dev.knative.source.github.';

/**
 * Subject per event, as Knative's GitHub adapter sets it: a path into the payload, or a function.
 * Events not listed have no subject.
 */
const SUBJECTS: Record<string, string | ((body: Record<string, unknown>) => string | undefined)> = {
  check_run: 'check_run.id',
  check_suite: 'check_suite.id',
  commit_comment: (body) => lastPathPortion(pathValue(body, 'comment.html_url')),
  create: 'ref_type',
  delete: 'ref_type',
  deployment: 'deployment.id',
  deployment_status: 'deployment.id',
  fork: 'forkee.id',
  gollum: (body) => (Array.isArray(body.pages) ? body.pages.map((page) => pathValue(page, 'page_name')).filter(Boolean).join(',') || undefined : undefined),
  installation: 'installation.id',
  installation_repositories: 'installation.id',
  issue_comment: (body) => lastPathPortion(pathValue(body, 'comment.html_url')),
  issues: 'issue.number',
  label: 'label.name',
  member: 'member.id',
  membership: 'member.id',
  milestone: 'milestone.number',
  organization: 'action',
  org_block: 'action',
  page_build: 'id',
  ping: 'hook_id',
  project_card: 'action',
  project_column: 'action',
  project: 'action',
  public: 'repository.id',
  pull_request: 'pull_request.number',
  pull_request_review_comment: 'comment.id',
  pull_request_review: 'review.id',
  push: (body) => lastPathPortion(pathValue(body, 'compare')),
  release: 'release.tag_name',
  repository: 'repository.id',
  repository_vulnerability_alert: 'alert.id',
  security_advisory: 'security_advisory.ghsa_id',
  status: 'sha',
  team: 'team.id',
  team_add: 'repository.id',
  watch: 'repository.id',
};

/** The payload of a GitHub delivery: JSON, or the `payload` field of a form-encoded one. */
export function githubPayload(request: WebhookRequest): Record<string, unknown> {
  if (mediaType(request) !== 'application/x-www-form-urlencoded') return jsonBody(request);
  const payload = formBody(request).payload;
  if (payload === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'the form body has no payload field');
  return jsonBody({ ...request, body: Buffer.from(payload) });
}

/**
 * A GitHub delivery as Knative's GitHubSource emits it: type from `X-GitHub-Event`, id =
 * `X-GitHub-Delivery` (the same on GitHub's redeliveries), source the repository (or the
 * organization for org-level hooks), subject per event, and the owner/repository/sender/action.
 */
export function mapGitHub(request: WebhookRequest, ownerAndRepository: string | undefined): { deliveryId: string; event: WebhookEvent; name: string } {
  const name = requiredHeader(request, 'x-github-event');
  const deliveryId = requiredHeader(request, 'x-github-delivery');
  if (!/^[a-z0-9_]+$/.test(name)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `x-github-event "${name}" is not a GitHub event name`);
  const body = githubPayload(request);
  const subject = SUBJECTS[name];
  const event: WebhookEvent = {
    id: deliveryId,
    type: `${GITHUB_TYPE_PREFIX}${name}`,
    source: githubSource(body, ownerAndRepository),
    subject: typeof subject === 'function' ? subject(body) : subject === undefined ? undefined : pathValue(body, subject),
    datacontenttype: 'application/json',
    data: body,
    extensions: extensions({
      action: pathValue(body, 'action'),
      owner: pathValue(body, 'repository.owner.login') ?? pathValue(body, 'organization.login'),
      repository: pathValue(body, 'repository.name'),
      sender: pathValue(body, 'sender.login'),
    }),
  };
  return { deliveryId, event, name };
}

/** `https://github.com/<owner>/<repo>` from the source's spec, else from the payload. */
function githubSource(body: Record<string, unknown>, ownerAndRepository: string | undefined): string {
  if (ownerAndRepository !== undefined) return `https://github.com/${ownerAndRepository}`;
  const repository = pathValue(body, 'repository.full_name');
  if (repository !== undefined) return `https://github.com/${repository}`;
  const organization = pathValue(body, 'organization.login');
  return organization !== undefined ? `https://github.com/${organization}` : 'https://github.com';
}

function lastPathPortion(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const at = url.lastIndexOf('/');
  return at >= 0 && at < url.length - 1 ? url.slice(at + 1) : undefined;
}
