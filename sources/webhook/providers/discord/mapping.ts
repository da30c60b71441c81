import { createError } from '../../../../core/errors.js';
import { extensions, jsonBody, pathValue } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix: `com.discord.interaction.<kind>`, e.g. `com.discord.interaction.application_command`. */
export const DISCORD_TYPE_PREFIX = 'com.discord.interaction.';

/** Interaction types (Discord's `type` field) other than PING (1), by the name used in the event type. */
const INTERACTION_KINDS: Record<number, string> = { 2: 'application_command', 3: 'message_component', 4: 'autocomplete', 5: 'modal_submit' };

/** Discord's epoch (2015-01-01) in ms: a snowflake's top 42 bits are ms since it. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/**
 * A Discord interaction: id = the interaction id (the dedupe key), type from the interaction type,
 * source the application, subject the channel (`guilds/<guild>/channels/<channel>`, or
 * `channels/<channel>` in a DM), time from the id (a snowflake); extensions guild, channel, user,
 * command name and component custom id.
 */
export function mapDiscord(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const body = jsonBody(request);
  const id = pathValue(body, 'id');
  const application = pathValue(body, 'application_id');
  const kind = typeof body.type === 'number' ? INTERACTION_KINDS[body.type] : undefined;
  if (id === undefined || application === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'a Discord interaction needs an id and an application_id');
  if (kind === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `Discord interaction type ${String(body.type)} is not one Junction knows (2 to 5)`);
  const guild = pathValue(body, 'guild_id');
  const channel = pathValue(body, 'channel_id') ?? pathValue(body, 'channel.id');
  const event: WebhookEvent = {
    id,
    type: `${DISCORD_TYPE_PREFIX}${kind}`,
    source: `https://discord.com/applications/${application}`,
    subject: channel === undefined ? undefined : guild !== undefined ? `guilds/${guild}/channels/${channel}` : `channels/${channel}`,
    time: snowflakeTime(id),
    datacontenttype: 'application/json',
    data: body,
    extensions: extensions({
      guildid: guild,
      channelid: channel,
      userid: pathValue(body, 'member.user.id') ?? pathValue(body, 'user.id'),
      command: kind === 'application_command' || kind === 'autocomplete' ? pathValue(body, 'data.name') : undefined,
      customid: kind === 'message_component' || kind === 'modal_submit' ? pathValue(body, 'data.custom_id') : undefined,
    }),
  };
  return { deliveryId: id, events: [event] };
}

/** When a snowflake id was made, as RFC 3339 (undefined for an id that is not a snowflake). */
export function snowflakeTime(id: string): string | undefined {
  if (!/^\d{1,20}$/.test(id)) return undefined;
  const ms = (BigInt(id) >> 22n) + DISCORD_EPOCH_MS;
  return ms > DISCORD_EPOCH_MS ? new Date(Number(ms)).toISOString() : undefined;
}
