import { createHash } from 'node:crypto';

// JetStream stream and consumer names: no spaces, `.`, `*`, `>`, path separators or controls.
// Keeping to this set also makes the name a valid single subject token.
const UNSAFE = /[^A-Za-z0-9_-]/g;
/** Long names are cut to this length (plus a hash) so that file names on the server stay short. */
const MAX_TOKEN_LENGTH = 120;
/** Tokens that end like a hashed one are hashed too, so a hashed token never equals a plain one. */
const LOOKS_HASHED = /_[0-9a-f]{8}$/;

/**
 * A readable token for `name` made only of `[A-Za-z0-9_-]`: unsafe characters become `_`, and
 * when anything had to change (or the name is long, or already ends like a hash) a short hash of the
 * original is appended, so two names never share a token ("a.b" → "a_b_3f9c1e02", "a_b" stays "a_b").
 */
export function safeToken(name: string): string {
  const replaced = name.replace(UNSAFE, '_');
  if (replaced === name && name.length > 0 && name.length <= MAX_TOKEN_LENGTH && !LOOKS_HASHED.test(name)) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${replaced.slice(0, MAX_TOKEN_LENGTH)}_${hash}`;
}

/** Where a channel lives on the server. */
export interface ChannelNames {
  /** The JetStream stream, `<streamPrefix>_<token>` (e.g. `JUNCTION_default_orders`). */
  stream: string;
  /** The one subject the stream captures, `<subjectPrefix>.<token>`. */
  subject: string;
}

/** The stream and subject of channel `name` under the factory's prefixes. */
export function channelNames(name: string, streamPrefix: string, subjectPrefix: string): ChannelNames {
  const token = safeToken(name);
  return { stream: `${streamPrefix}_${token}`, subject: `${subjectPrefix}.${token}` };
}

/** The durable consumer name of consumer group `group`. */
export function durableName(group: string): string {
  return safeToken(group);
}
