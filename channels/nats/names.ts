import { createHash } from 'node:crypto';

// JetStream stream and consumer names: no spaces, `.`, `*`, `>`, path separators or controls.
// Keeping to this set also makes the name a valid single subject token.
const UNSAFE = /[^A-Za-z0-9_-]/g;
/** Long names are cut to this length (plus a hash) so that file names on the server stay short. */
const MAX_TOKEN_LENGTH = 120;
/** Tokens that end like a hashed one are hashed too, so a hashed token never equals a plain one. */
const LOOKS_HASHED = /_[0-9a-f]{8}$/;

/** Names whose token is the name with each `.` as `_`: no `_` of their own, so the mapping cannot collide. */
const DOTTED = /^[A-Za-z0-9.-]+$/;

/**
 * A readable token for `name` made only of `[A-Za-z0-9_-]`. A name of letters, digits, `-` and `.`
 * becomes itself with each `.` as `_` (`shop.orders` → `shop_orders`, as Kubernetes names of a
 * namespace and a broker always are); any other name has its unsafe characters replaced by `_` and
 * a short hash of the original appended (`a_b` → `a_b_<hash>`), as has a long one or one that
 * already ends like a hash, so two names never share a token.
 */
export function safeToken(name: string): string {
  const plain = name.replaceAll('.', '_');
  if (DOTTED.test(name) && name.length <= MAX_TOKEN_LENGTH && !LOOKS_HASHED.test(plain)) return plain;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.replace(UNSAFE, '_').slice(0, MAX_TOKEN_LENGTH)}_${hash}`;
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
