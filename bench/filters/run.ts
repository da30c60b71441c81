/**
 * Routing benchmark: 10,000 mixed triggers on one broker, 200,000 events of 1,000 types. Prints
 * µs/event for the TriggerIndex and for the brute-force baseline (evaluate every predicate).
 * Run with `npm run bench:filters` (or `node dist/bench/filters/run.js` after `npm run build`).
 */
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { compileTriggerFilter, TriggerIndex, type Predicate } from '../../broker/filters/index.js';
import { buildWorkload, triggerMix } from './workload.js';

const triggerCount = 10_000;
const eventCount = 200_000;

/** Routes every event once; returns elapsed milliseconds and the number of deliveries found. */
function time(route: (event: CloudEvent) => number, events: CloudEvent[]): { ms: number; deliveries: number } {
  const started = process.hrtime.bigint();
  let deliveries = 0;
  for (let i = 0; i < events.length; i++) deliveries += route(events[i]);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, deliveries };
}

function main(): void {
  const { specs, events } = buildWorkload(triggerCount, eventCount);
  const buildStarted = process.hrtime.bigint();
  const index = new TriggerIndex<number>();
  specs.forEach((spec, i) => index.add(`trigger-${i}`, spec, i));
  const buildMs = Number(process.hrtime.bigint() - buildStarted) / 1e6;
  const predicates: Predicate[] = specs.map((spec) => compileTriggerFilter(spec));

  const viaIndex = (event: CloudEvent): number => index.match(event).length;
  const bruteForce = (event: CloudEvent): number => {
    let found = 0;
    for (let i = 0; i < predicates.length; i++) if (predicates[i](event)) found++;
    return found;
  };

  // Warm up both paths so the JIT has settled before timing.
  const warmup = events.slice(0, 5_000);
  time(viaIndex, warmup);
  time(bruteForce, warmup);

  process.stderr.write(`routing ${events.length.toLocaleString('en')} events through the index…\n`);
  const indexed = time(viaIndex, events);
  process.stderr.write('routing them by brute force (about 50x slower)…\n');
  const brute = time(bruteForce, events);
  if (indexed.deliveries !== brute.deliveries) {
    throw new Error(`index found ${indexed.deliveries} deliveries, brute force ${brute.deliveries}`);
  }

  const perEvent = (ms: number): number => (ms * 1000) / events.length;
  const row = (cells: string[]): string => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(22) : cell.padStart(12))).join(' | ')} |`;
  const mix = triggerMix.map(({ shape, share }) => `${Math.round(share * 100)}% ${shape}`).join(', ');
  console.log(`filters bench: ${triggerCount.toLocaleString('en')} triggers (${mix}), ${eventCount.toLocaleString('en')} events, node ${process.version}`);
  console.log(`index built in ${buildMs.toFixed(0)} ms; ${(indexed.deliveries / events.length).toFixed(1)} matching triggers per event\n`);
  console.log(row(['method', 'µs/event', 'events/s', 'total ms']));
  console.log(row(['-'.repeat(22), '-'.repeat(12), '-'.repeat(12), '-'.repeat(12)]));
  for (const [name, result] of [['TriggerIndex.match', indexed], ['brute force', brute]] as const) {
    const eventsPerSecond = Math.round(events.length / (result.ms / 1000)).toLocaleString('en');
    console.log(row([name, perEvent(result.ms).toFixed(2), eventsPerSecond, result.ms.toFixed(0)]));
  }
  console.log(`\nspeed-up (brute force / index): ${(brute.ms / indexed.ms).toFixed(1)}x`);
}

main();
