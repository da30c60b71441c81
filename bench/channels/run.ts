import { rmSync } from 'node:fs';
import { addTrigger, parseArgs, EVENT_BODY_BYTES, measure, printRows, startJunction, startSink, type Row } from '../broker/harness.js';
import { engineSetups, type EngineSetup } from './engines.js';

/**
 * bench/channels: the bench/broker workload (same producers, same sink, one trigger) once per
 * channel engine in the same run, with the ratio to the sqlite default.
 * Usage: node dist/bench/channels/run.js [--engines sqlite,memory,nats,rabbitmq,kafka] [--events N] [--concurrency C] [--rate R] [--seconds S] [--profile DIR]
 *   [--kafka-partitions N] (partitions of the broker's Kafka topic, default 1)
 */
const USAGE = 'usage: node dist/bench/channels/run.js [--engines sqlite,memory,nats,rabbitmq,kafka] [--events N] [--concurrency C] [--rate R] [--seconds S] [--profile DIR]';
const { args, load } = parseArgs(process.argv.slice(2), USAGE);
if (args.get('kafka-partitions')) process.env.BENCH_KAFKA_PARTITIONS = args.get('kafka-partitions');
const wanted = (args.get('engines') ?? 'sqlite,memory,nats,rabbitmq,kafka').split(',');
const PROFILE_DIR = args.get('profile');

async function runEngine(setup: EngineSetup, sinkUrl: string, sink: Awaited<ReturnType<typeof startSink>>): Promise<Row> {
  const prepared = await setup.prepare();
  const junction = await startJunction(setup.engine, { configYaml: prepared.configYaml, entry: prepared.entry, profileDir: PROFILE_DIR });
  try {
    await addTrigger(junction.url, sinkUrl);
    const events = Math.min(load.events, prepared.maxEvents ?? load.events);
    const notes = [prepared.note, events < load.events ? `${events} events` : undefined].filter(Boolean);
    const name = `junction on ${setup.engine}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
    return await measure(name, junction.url, '/bench/default', sink, junction.child.pid!, { ...load, events });
  } finally {
    junction.child.kill('SIGTERM');
    await new Promise((resolve) => junction.child.once('exit', resolve));
    rmSync(junction.dataDir, { recursive: true, force: true });
    await prepared.cleanup();
  }
}

async function main(): Promise<void> {
  const sink = await startSink();
  const rows: Row[] = [];
  for (const setup of engineSetups.filter((candidate) => wanted.includes(candidate.engine))) {
    process.stderr.write(`bench/channels: ${setup.engine}…\n`);
    rows.push(await runEngine(setup, sink.url, sink));
  }
  const baseline = rows.find((row) => row.name === 'junction on sqlite') ?? rows[0]!;
  console.log(`\nbench/channels: ${load.events} events x ${EVENT_BODY_BYTES} B body, ${load.concurrency} producers in flight; latency at ${load.rate} events/s for ${load.seconds} s\n`);
  printRows(rows, baseline, 'ratio to sqlite');
  sink.server.close();
  process.exit(0);
}

await main();
