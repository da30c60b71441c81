import { Pool } from 'undici';

/** What the producers of one round have done so far, across both processes. */
export interface ProducerTally {
  /** Index of the next event to send (ids are `e-<index>`). */
  next: number;
  /** Ids answered 202: each must be delivered at least once. */
  readonly accepted: Set<string>;
  /** Ids whose request got no answer (the process died under it): may or may not have been stored. */
  readonly unanswered: Set<string>;
  /** Answers other than 202 (none are expected). */
  refused: number;
}

const BODY = JSON.stringify({ order: 12345, items: ['a', 'b', 'c'] });

/**
 * Runs `producers` concurrent producers against a broker's ingress (`url` + `path`), each sending
 * the tally's next event until `total` were sent or `stop()` says so. A producer whose request
 * fails (the process is gone) stops; `onAccepted` runs after every 202.
 */
export async function produce(url: string, path: string, tally: ProducerTally, options: { total: number; producers: number; stop: () => boolean; onAccepted?: () => void }): Promise<void> {
  const pool = new Pool(url, { connections: options.producers, pipelining: 1 });
  try {
    await Promise.all(
      Array.from({ length: options.producers }, async () => {
        while (!options.stop() && tally.next < options.total) {
          const id = `e-${tally.next++}`;
          let status: number;
          try {
            const response = await pool.request({ path, method: 'POST', headers: eventHeaders(id), body: BODY });
            status = response.statusCode;
            await response.body.dump().catch(() => undefined); // the status line is the answer
          } catch {
            tally.unanswered.add(id);
            return;
          }
          if (status !== 202) {
            tally.refused++;
            continue;
          }
          tally.accepted.add(id);
          options.onAccepted?.();
        }
      }),
    );
  } finally {
    await pool.destroy();
  }
}

function eventHeaders(id: string): Record<string, string> {
  return { 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/durability', 'ce-type': 'com.example.durability', 'content-type': 'application/json' };
}
