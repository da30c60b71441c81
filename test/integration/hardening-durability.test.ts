import { describe, expect, it } from 'vitest';
import { describeRound, runDurabilityRound } from '../../bench/durability/harness.js';
import { requireBuiltCli } from '../e2e/cli-harness.js';

// #13 "Keep the proof": the kill -9 harness of bench/durability, sized for a 2-core machine. Each
// round kills `junction start` at a random point while 8 producers send, restarts it on the same
// data dir and sends the rest; every event answered 202 must reach the subscriber at least once.
// Duplicates are allowed (at-least-once) and printed.

const EVENTS = 2_000;
const PRODUCERS = 8;

describe('no accepted event is lost across kill -9 during sending', () => {
  for (const round of [1, 2]) {
    it(`round ${round}: every event answered 202 is delivered after restart`, async () => {
      requireBuiltCli();
      const result = await runDurabilityRound({ events: EVENTS, producers: PRODUCERS, deliveryTimeoutMs: 60_000 });
      console.info(`durability round ${round}: ${describeRound(result)}`);

      expect(result.lost, 'accepted events never delivered').toEqual([]);
      // The kill came while sending, and the restarted process took the rest.
      expect(result.acceptedBeforeKill).toBeGreaterThanOrEqual(result.killAfter);
      expect(result.acceptedBeforeKill).toBeLessThan(EVENTS);
      expect(result.accepted).toBeGreaterThan(result.acceptedBeforeKill);
      expect(result.accepted + result.unanswered + result.refused).toBe(EVENTS);
      expect(result.stoppedCleanly, 'the restarted process exits 0 on SIGTERM').toBe(true);
    }, 150_000);
  }
});
