import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJunctionProcess, type JunctionProcess } from '../support/junction-process.js';
import { startIdSink, type IdSink } from './id-sink.js';
import { produce, type ProducerTally } from './producers.js';

const NAMESPACE = 'durability';
const EVENTING = `/apis/eventing.knative.dev/v1/namespaces/${NAMESPACE}`;

/** One crash round: how much load, on which channel, and when to kill. */
export interface DurabilityOptions {
  /** Events sent in all, before the kill and after the restart. */
  events: number;
  /** Producers sending concurrently. */
  producers: number;
  /** The broker's channel (`junction.dev/channel`; default sqlite, the durable default). */
  channel?: string;
  /** kill -9 once this many events were answered 202 (default: a random point between 10% and 90% of `events`). */
  killAfter?: number;
  /** How long the restarted process gets to deliver every accepted event (default 120 s). */
  deliveryTimeoutMs?: number;
}

/** What one round found. `lost` must be empty; duplicates are allowed (at least once) and reported. */
export interface DurabilityRound {
  channel: string;
  events: number;
  producers: number;
  /** The accepted count at which kill -9 was sent. */
  killAfter: number;
  /** Events answered 202 by the process that was killed (some answers arrive just after the signal). */
  acceptedBeforeKill: number;
  /** Requests the kill cut off: their fate is unknown, so they need not be delivered. */
  unanswered: number;
  /** How many of those were delivered anyway (stored before the kill, answer lost). */
  unansweredDelivered: number;
  /** Non-202 answers (none expected). */
  refused: number;
  /** Events answered 202 by either process. */
  accepted: number;
  /** Accepted events never delivered to the subscriber. */
  lost: string[];
  /** Deliveries beyond the first, over every event. */
  duplicates: number;
  /** Events delivered more than once. */
  duplicatedEvents: number;
  /** From kill -9 to the restarted process listening. */
  restartMs: number;
  /** Whether the restarted process then exited 0 on SIGTERM. */
  stoppedCleanly: boolean;
}

/**
 * Runs one round against a real `junction start` process: producers send, kill -9 at the chosen
 * point, restart on the same data dir, producers send the rest; then every event answered 202 must
 * reach the subscriber (a real HTTP server) at least once. The data dir is removed afterwards.
 */
export async function runDurabilityRound(options: DurabilityOptions): Promise<DurabilityRound> {
  const channel = options.channel ?? 'sqlite';
  const killAfter = options.killAfter ?? randomKillPoint(options.events);
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-durability-'));
  const sink = await startIdSink();
  const tally: ProducerTally = { next: 0, accepted: new Set(), unanswered: new Set(), refused: 0 };
  let junction: JunctionProcess | undefined;
  try {
    junction = await startJunctionProcess({ dataDir });
    await setUp(junction, sink.url, channel);
    const first = junction;
    let killedAt = 0;
    await produce(first.url, `/${NAMESPACE}/default`, tally, {
      total: options.events,
      producers: options.producers,
      stop: () => killedAt > 0,
      onAccepted: () => {
        if (killedAt > 0 || tally.accepted.size < killAfter) return;
        killedAt = performance.now();
        first.child.kill('SIGKILL');
      },
    });
    if (killedAt === 0) throw new Error(`only ${tally.accepted.size} events accepted, fewer than the kill point ${killAfter}: ${first.output()}`);
    await first.exited;
    const acceptedBeforeKill = tally.accepted.size;

    junction = await startJunctionProcess({ dataDir });
    const restartMs = performance.now() - killedAt;
    await produce(junction.url, `/${NAMESPACE}/default`, tally, { total: options.events, producers: options.producers, stop: () => false });
    await sink.waitForAll(tally.accepted, options.deliveryTimeoutMs ?? 120_000);
    const stopped = await junction.kill('SIGTERM');
    return {
      stoppedCleanly: stopped.code === 0,
      channel,
      events: options.events,
      producers: options.producers,
      killAfter,
      acceptedBeforeKill,
      restartMs,
      ...tallied(tally, sink),
    };
  } finally {
    if (junction && junction.child.exitCode === null && junction.child.signalCode === null) await junction.kill('SIGKILL');
    await sink.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One line per round: what a reader of the test output or the bench needs. */
export function describeRound(round: DurabilityRound): string {
  return (
    `${round.channel}: ${round.events} events, ${round.producers} producers, kill -9 after ${round.killAfter} accepted (${round.acceptedBeforeKill} answered 202 by the killed process); ` +
    `accepted ${round.accepted}, cut off by the kill ${round.unanswered} (delivered anyway ${round.unansweredDelivered}), refused ${round.refused}; ` +
    `lost ${round.lost.length}, duplicates ${round.duplicates} (${round.duplicatedEvents} events delivered more than once); restart ${round.restartMs.toFixed(0)} ms` +
    (round.stoppedCleanly ? '' : '; SIGTERM did not end it with exit code 0')
  );
}

async function setUp(junction: JunctionProcess, sinkUrl: string, channel: string): Promise<void> {
  await junction.put(`${EVENTING}/brokers/default`, {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Broker',
    metadata: { name: 'default', annotations: { 'junction.dev/channel': channel } },
  });
  // Retries only cover a machine too busy to answer in time: the sink itself always answers 202.
  await junction.put(`${EVENTING}/triggers/sink`, {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: { name: 'sink' },
    spec: { broker: 'default', subscriber: { uri: sinkUrl }, delivery: { retry: 10, backoffPolicy: 'linear', backoffDelay: 'PT0.1S' } },
  });
  await junction.waitReady(`${EVENTING}/brokers/default`);
  await junction.waitReady(`${EVENTING}/triggers/sink`);
}

function tallied(tally: ProducerTally, sink: IdSink): Pick<DurabilityRound, 'accepted' | 'lost' | 'duplicates' | 'duplicatedEvents' | 'unanswered' | 'unansweredDelivered' | 'refused'> {
  let duplicates = 0;
  let duplicatedEvents = 0;
  for (const count of sink.counts.values()) {
    if (count > 1) duplicatedEvents++;
    duplicates += count - 1;
  }
  return {
    accepted: tally.accepted.size,
    lost: [...tally.accepted].filter((id) => !sink.counts.has(id)),
    duplicates,
    duplicatedEvents,
    unanswered: tally.unanswered.size,
    unansweredDelivered: [...tally.unanswered].filter((id) => sink.counts.has(id)).length,
    refused: tally.refused,
  };
}

function randomKillPoint(events: number): number {
  const low = Math.max(1, Math.floor(events * 0.1));
  const high = Math.max(low, Math.floor(events * 0.9));
  return low + Math.floor(Math.random() * (high - low + 1));
}
