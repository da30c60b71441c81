import { createHash } from 'node:crypto';

/** The RabbitMQ objects behind one Junction channel (all names start with the factory prefix). */
export interface ChannelNames {
  /** Fanout exchange producers publish to (the channel's address on the server). */
  exchange: string;
  /** Stream bound to the exchange: the retained, replayable log. */
  log: string;
  /** Stream of group position records (commits, seeks, deletions, snapshots). */
  positions: string;
  /** Exclusive queue held while the topology is being created (two creators never interleave). */
  lock: string;
  /** The durable queue of one consumer group: its single-active-consumer lease. */
  group(group: string): string;
}

/** RabbitMQ limits names to 255 bytes; longer ones keep a readable head plus a hash. */
const MAX_NAME_BYTES = 255;

/**
 * Escapes a Junction name into one RabbitMQ name segment: letters, digits, `-` and `_` stay,
 * every other byte becomes `%XX`, so `a/b` and `a.b` never collide and `.` stays our separator.
 */
export function escapeSegment(value: string): string {
  let escaped = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    escaped += /[A-Za-z0-9_-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return escaped;
}

function fit(name: string): string {
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 16);
  return `${name.slice(0, MAX_NAME_BYTES - 18)}~${hash}`;
}

/**
 * Names of a channel's objects: `<prefix>.<channel>` (exchange), `.log`, `.positions`, `.lock`,
 * `.group.<group>`. The prefix is used as given (it may contain dots), the rest is escaped.
 */
export function channelNames(prefix: string, channel: string): ChannelNames {
  const base = `${prefix}.${escapeSegment(channel)}`;
  return {
    exchange: fit(base),
    log: fit(`${base}.log`),
    positions: fit(`${base}.positions`),
    lock: fit(`${base}.lock`),
    group: (group) => fit(`${base}.group.${escapeSegment(group)}`),
  };
}
