/** What JetStream tells about a delivered message in its ack subject. */
export interface DeliveryInfo {
  /** Stream sequence (the channel offset + 1). */
  streamSequence: number;
  /** Times the consumer has delivered this message, this delivery included (1 on the first). */
  deliveryCount: number;
  /** When the stream stored the message, in ms since epoch (floor of the server's nanoseconds). */
  storedAt: number;
}

/**
 * Parses a JetStream ack subject: `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ns>.<pending>`
 * or the newer form with domain and account hash before the stream (and a trailing token).
 * Undefined for anything else (then the message did not come from a JetStream consumer).
 */
export function parseAckSubject(subject: string | undefined): DeliveryInfo | undefined {
  if (subject === undefined || !subject.startsWith('$JS.ACK.')) return undefined;
  const tokens = subject.split('.');
  let base: number;
  if (tokens.length === 9) base = 2;
  else if (tokens.length >= 11) base = 4;
  else return undefined;
  const deliveryCount = Number(tokens[base + 2]);
  const streamSequence = Number(tokens[base + 3]);
  const nanos = tokens[base + 5] ?? '';
  // Nanoseconds since epoch exceed 2^53: drop the last six digits as text instead of dividing.
  const storedAt = nanos.length > 6 ? Number(nanos.slice(0, -6)) : 0;
  if (!Number.isSafeInteger(deliveryCount) || !Number.isSafeInteger(streamSequence) || !Number.isSafeInteger(storedAt)) return undefined;
  return { streamSequence, deliveryCount, storedAt };
}
