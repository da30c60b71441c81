import { createHash } from 'node:crypto';
import { createError } from '../../../../core/errors.js';
import { extensions, formBody, jsonBody, mediaType, pathValue, rfc3339 } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix: `com.slack.<event type>` (Events API), `com.slack.<payload type>` (interactivity), `com.slack.slash_command`. */
export const SLACK_TYPE_PREFIX = 'com.slack.';

type Mapped = { deliveryId: string; events: WebhookEvent[] };

/** The body of a Slack request: JSON (Events API) or form fields (slash commands, `payload=` interactivity). */
export function slackBody(request: WebhookRequest): { form: boolean; body: Record<string, unknown> } {
  if (mediaType(request) !== 'application/x-www-form-urlencoded') return { form: false, body: jsonBody(request) };
  const fields = formBody(request);
  if (fields.payload === undefined) return { form: true, body: fields };
  return { form: true, body: jsonBody({ ...request, body: Buffer.from(fields.payload) }) };
}

/**
 * A Slack request as events: an Events API `event_callback` (id = `event_id`, the same on Slack's
 * retries), an `app_rate_limited` notice, an interactivity payload or a slash command (id =
 * `trigger_id`, else a hash of the body: Slack does not retry those).
 */
export function mapSlack(request: WebhookRequest): Mapped {
  const { form, body } = slackBody(request);
  if (!form) return mapEventsApi(request, body);
  if (typeof body.command === 'string') return mapped(request, body, 'slash_command', { subject: pathValue(body, 'channel_id'), team: pathValue(body, 'team_id'), user: pathValue(body, 'user_id'), command: pathValue(body, 'command') });
  const type = pathValue(body, 'type');
  if (type === undefined || !/^[a-z0-9_]+$/.test(type)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'the form body is neither a slash command nor an interactivity payload');
  return mapped(request, body, type, { subject: pathValue(body, 'channel.id') ?? pathValue(body, 'view.id'), team: pathValue(body, 'team.id'), user: pathValue(body, 'user.id'), callbackid: pathValue(body, 'callback_id') ?? pathValue(body, 'view.callback_id') });
}

function mapEventsApi(request: WebhookRequest, body: Record<string, unknown>): Mapped {
  const team = pathValue(body, 'team_id');
  const app = pathValue(body, 'api_app_id');
  if (body.type === 'app_rate_limited') {
    const id = `app_rate_limited:${app ?? team}:${pathValue(body, 'minute_rate_limited')}`;
    return { deliveryId: id, events: [event(id, 'app_rate_limited', body, { team, app })] };
  }
  const id = pathValue(body, 'event_id');
  const type = pathValue(body, 'event.type');
  if (body.type !== 'event_callback' || id === undefined || type === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'a Slack Events API request needs type event_callback, an event_id and an event.type');
  const subject = pathValue(body, 'event.channel') ?? pathValue(body, 'event.channel.id') ?? pathValue(body, 'event.item.channel');
  const time = rfc3339(body.event_time);
  return { deliveryId: id, events: [event(id, type, body, { team, app, subject, time, user: pathValue(body, 'event.user'), channeltype: pathValue(body, 'event.channel_type') })] };
}

function mapped(request: WebhookRequest, body: Record<string, unknown>, type: string, fields: Record<string, string | undefined>): Mapped {
  const id = pathValue(body, 'trigger_id') ?? createHash('sha256').update(request.body).digest('hex');
  const { team, ...rest } = fields;
  return { deliveryId: id, events: [event(id, type, body, { team, app: pathValue(body, 'api_app_id'), ...rest })] };
}

function event(id: string, type: string, data: Record<string, unknown>, fields: Record<string, string | undefined>): WebhookEvent {
  const { team, app, subject, time, ...rest } = fields;
  const account = team ?? app;
  return {
    id,
    type: `${SLACK_TYPE_PREFIX}${type}`,
    source: account !== undefined ? `https://slack.com/${account}` : 'https://slack.com',
    subject,
    time,
    datacontenttype: 'application/json',
    data,
    extensions: extensions({ teamid: team, appid: app, ...rest }),
  };
}
