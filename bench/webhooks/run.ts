import { rmSync } from 'node:fs';
import { request } from 'undici';
import { addTrigger, cpuSeconds, mainThreadCpu, parseArgs, startJunction } from '../broker/harness.js';
import { setups, sourceResources, type Setup } from './deliveries.js';
import { drive, keepAlivePool, percentile, startIdSink, type IdSink } from './load.js';
import { printReport, type Measurement } from './report.js';

/**
 * bench/webhooks: signed GitHub deliveries → `junction start` (sqlite broker, one trigger) → an HTTP
 * sink, against the same requests to a WebhookSource with auth none and against plain broker
 * ingress of the same payload, in one Junction process and one run. Every 2xx must reach the sink.
 */
const USAGE =
  'usage: node dist/bench/webhooks/run.js [--seconds N] [--concurrency C] [--warmup-seconds W] [--bytes B] [--rounds R] [--setups github,open,broker] [--profile DIR]';
const { args, load } = parseArgs(process.argv.slice(2), USAGE);
const figure = (name: string, fallback: number): number => {
  const value = Number(args.get(name) ?? fallback);
  if (Number.isFinite(value) && value > 0) return value;
  console.error(`bench: --${name} must be a positive number, got "${args.get(name)}"\n${USAGE}`);
  process.exit(2);
};
const options = {
  seconds: load.seconds,
  concurrency: Math.round(load.concurrency),
  warmupSeconds: figure('warmup-seconds', 2),
  bytes: Math.round(figure('bytes', 1024)),
  rounds: Math.round(figure('rounds', 1)),
  profileDir: args.get('profile'),
};
const wanted = (args.get('setups') ?? 'github,open,broker').split(',');
const chosen = setups(options.bytes).filter((setup) => wanted.includes(setup.key));
if (chosen.length === 0) {
  console.error(`bench: --setups names none of github, open, broker\n${USAGE}`);
  process.exit(2);
}
const DRAIN_TIMEOUT_MS = 60_000;

async function put(base: string, path: string, resource: unknown): Promise<void> {
  const response = await request(`${base}${path}`, { method: 'PUT', body: JSON.stringify(resource), headers: { 'content-type': 'application/json' } });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`PUT ${path}: ${response.statusCode} ${text}`);
}

async function waitReady(base: string, path: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const resource = (await (await request(`${base}${path}`)).body.json()) as { status?: { conditions?: Array<{ type: string; status: string }> } };
    if (resource.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True')) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${path} not Ready`);
}

/** Warm-up (drained), then the measured run: 2xx rate, when the last accepted delivery reached the sink, Junction's CPU. */
async function measure(base: string, setup: Setup, round: number, sink: IdSink, pid: number): Promise<Measurement> {
  const pool = keepAlivePool(base, options.concurrency);
  const warm = await drive(pool, setup, `w${round}-${setup.key}`, options.warmupSeconds, options.concurrency);
  if (warm.accepted.length === 0) throw new Error(`${setup.name}: nothing accepted in the warm-up (${JSON.stringify([...warm.refused])})`);
  await sink.waitForAll(warm.accepted, DRAIN_TIMEOUT_MS);
  const cpuBefore = { all: cpuSeconds(pid), main: mainThreadCpu(pid) };
  const run = await drive(pool, setup, `m${round}-${setup.key}`, options.seconds, options.concurrency);
  const lost = await sink.waitForAll(run.accepted, DRAIN_TIMEOUT_MS);
  const cpu = { all: cpuSeconds(pid) - cpuBefore.all, main: mainThreadCpu(pid) - cpuBefore.main };
  await pool.close();
  let lastArrival = run.startedAt;
  for (const id of run.accepted) lastArrival = Math.max(lastArrival, sink.arrivals.get(id) ?? 0);
  const delivered = run.accepted.length - lost;
  return {
    setup,
    acceptedPerSec: run.accepted.length / run.elapsedSeconds,
    endToEndPerSec: delivered / ((lastArrival - run.startedAt) / 1000),
    p50: percentile(run.latencies, 50),
    p99: percentile(run.latencies, 99),
    lost,
    refused: run.refused,
    cpuMicrosPerDelivery: (cpu.all / delivered) * 1e6,
    mainMicrosPerDelivery: (cpu.main / delivered) * 1e6,
  };
}

async function main(): Promise<void> {
  const sink = await startIdSink();
  const junction = await startJunction('sqlite', { profileDir: options.profileDir });
  const pid = junction.child.pid!;
  await addTrigger(junction.url, sink.url);
  for (const { path, resource } of sourceResources()) await put(junction.url, path, resource);
  for (const { path } of sourceResources().slice(1)) await waitReady(junction.url, path);

  const measurements: Measurement[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    // Each round starts one setup later, so no setup always runs on the emptiest channel.
    const order = chosen.map((_, index) => chosen[(index + round - 1) % chosen.length]!);
    for (const setup of order) measurements.push(await measure(junction.url, setup, round, sink, pid));
  }
  junction.child.kill('SIGTERM');
  await new Promise((resolve) => junction.child.once('exit', resolve));
  rmSync(junction.dataDir, { recursive: true, force: true });
  sink.server.close();

  console.log(
    `bench/webhooks: ${options.bytes}-byte GitHub push payloads, ${options.concurrency} requests in flight, ${options.seconds} s per setup after a ${options.warmupSeconds} s warm-up, ` +
      `${options.rounds} round(s); one Junction process (sqlite broker, one trigger) → HTTP sink answering 202\n`,
  );
  const lost = printReport(chosen, measurements);
  process.exit(lost > 0 ? 1 : 0);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
