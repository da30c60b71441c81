import { DiscardPolicy, nanos, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig, type StreamInfo } from 'nats';
import { isApiError, JS_STREAM_NOT_FOUND } from './nats-errors.js';
import type { ChannelNames } from './names.js';
import type { NatsChannelSettings } from './nats-options.js';

/** The stream's duplicate window: appends retried within it are stored once (Nats-Msg-Id). */
export const DUPLICATE_WINDOW_MS = 120_000;
const JS_STREAM_NAME_IN_USE = 10058;

/** The parts of a channel's stream configuration that Junction decides. */
function desiredConfig(channel: string, names: ChannelNames, settings: NatsChannelSettings): Partial<StreamConfig> {
  return {
    subjects: [names.subject],
    max_age: nanos(settings.retentionMs),
    max_bytes: settings.maxBytes ?? -1,
    num_replicas: settings.replicas,
    allow_direct: true,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    description: `Junction channel ${channel}`,
  };
}

/**
 * Creates the channel's stream (file storage, limits retention, oldest events discarded first) or
 * brings an existing one to the channel's settings; returns its info.
 */
export async function ensureStream(jsm: JetStreamManager, channel: string, names: ChannelNames, settings: NatsChannelSettings): Promise<StreamInfo> {
  const desired = desiredConfig(channel, names, settings);
  let info = await streamInfo(jsm, names.stream);
  if (!info) {
    try {
      return await jsm.streams.add({
        ...desired,
        name: names.stream,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
      });
    } catch (error) {
      // Another process created it first: fall through to compare settings.
      if (!isApiError(error, JS_STREAM_NAME_IN_USE)) throw error;
      info = await streamInfo(jsm, names.stream);
      if (!info) throw error;
    }
  }
  if (differs(info.config, desired)) {
    return jsm.streams.update(names.stream, { ...desired, subjects: [...new Set([...(info.config.subjects ?? []), names.subject])] });
  }
  return info;
}

/** The stream's info, or undefined when it does not exist. */
export async function streamInfo(jsm: JetStreamManager, stream: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(stream);
  } catch (error) {
    if (isApiError(error, JS_STREAM_NOT_FOUND)) return undefined;
    throw error;
  }
}

function differs(actual: StreamConfig, desired: Partial<StreamConfig>): boolean {
  return (
    actual.max_age !== desired.max_age ||
    actual.max_bytes !== desired.max_bytes ||
    actual.num_replicas !== desired.num_replicas ||
    actual.allow_direct !== true ||
    actual.duplicate_window !== desired.duplicate_window ||
    !(actual.subjects ?? []).includes(desired.subjects?.[0] ?? '')
  );
}
