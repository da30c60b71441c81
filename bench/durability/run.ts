import { parseArgs } from '../broker/harness.js';
import { describeRound, runDurabilityRound, type DurabilityRound } from './harness.js';

/**
 * bench/durability: producers -> `junction start` (a real process), kill -9 at a random point while
 * they send, restart on the same data dir, send the rest; every event answered 202 must reach the
 * subscriber. Prints lost (must be 0) and duplicates per round, then a summary; exits 1 on any loss.
 * Usage: node dist/bench/durability/run.js [--events N] [--producers C] [--rounds R] [--channel sqlite]
 */
const USAGE = 'usage: node dist/bench/durability/run.js [--events N] [--producers C] [--rounds R] [--channel sqlite]';
const { args } = parseArgs(process.argv.slice(2), USAGE);
const events = Number(args.get('events') ?? 2000);
const producers = Number(args.get('producers') ?? 8);
const rounds = Number(args.get('rounds') ?? 5);
const channel = args.get('channel') ?? 'sqlite';

async function main(): Promise<void> {
  console.log(`bench/durability: ${rounds} rounds of ${events} events from ${producers} producers, ${channel} channel, kill -9 at a random point\n`);
  const results: DurabilityRound[] = [];
  for (let round = 1; round <= rounds; round++) {
    const result = await runDurabilityRound({ events, producers, channel });
    results.push(result);
    console.log(`round ${round}: ${describeRound(result)}`);
    if (result.lost.length > 0) console.log(`  lost ids: ${result.lost.slice(0, 20).join(', ')}${result.lost.length > 20 ? ', …' : ''}`);
  }
  const sum = (pick: (round: DurabilityRound) => number) => results.reduce((total, round) => total + pick(round), 0);
  const lost = sum((round) => round.lost.length);
  const duplicates = results.map((round) => round.duplicates);
  console.log(
    `\nsummary: ${rounds} rounds, ${sum((round) => round.accepted)} events accepted, lost ${lost}, ` +
      `duplicates ${sum((round) => round.duplicates)} in all (per round ${Math.min(...duplicates)}–${Math.max(...duplicates)}), ` +
      `${sum((round) => round.unanswered)} requests cut off by the kills (${sum((round) => round.unansweredDelivered)} of them delivered anyway), ` +
      `${results.filter((round) => !round.stoppedCleanly).length} unclean shutdowns`,
  );
  if (lost > 0) process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
