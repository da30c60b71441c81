import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool, request } from 'undici';

/** Shared parts of bench/broker and bench/channels: the sink, Junction processes, the load and its measurements. */
export const root = join(import.meta.dirname, '..', '..', '..');

/** The HTTP sink every setup delivers to: counts events and end-to-end latency (from ce-sentat). */
export interface Sink {
  url: string;
  received: number;
  latencies: number[];
  server: Server;
  waitFor(count: number, timeoutMs: number): Promise<boolean>;
  reset(): void;
}

export async function startSink(): Promise<Sink> {
  const sink: Sink = {
    url: '',
    received: 0,
    latencies: [],
    server: createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const sent = Number(req.headers['ce-sentat']);
        if (Number.isFinite(sent)) sink.latencies.push(performance.timeOrigin + performance.now() - sent);
        sink.received++;
        res.writeHead(200).end();
      });
    }),
    async waitFor(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (sink.received < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      return sink.received >= count;
    },
    reset() {
      sink.received = 0;
      sink.latencies = [];
    },
  };
  await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
  const address = sink.server.address();
  sink.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  return sink;
}

export function spawnUntil(args: string[], pattern: RegExp, nodeArgs: string[] = []): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (match) resolve({ child, match });
    });
    child.on('exit', (code) => reject(new Error(`process exited ${code}`)));
  });
}

export async function startJunction(
  channel: string,
  options: { configYaml?: string; profileDir?: string; /** A script printing `Junction listening on URL` instead of `junction start` (given the data dir). */ entry?: string } = {},
): Promise<{ child: ChildProcess; url: string; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-bench-'));
  const configArgs: string[] = [];
  if (options.configYaml) {
    writeFileSync(join(dataDir, 'junction.yaml'), options.configYaml);
    configArgs.push('--config', join(dataDir, 'junction.yaml'));
  }
  const command = options.entry ? [options.entry, dataDir] : [join(root, 'bin', 'junction.js'), 'start', '--http-port', '0', '--data-dir', dataDir, '--log-level', 'error', ...configArgs];
  const { child, match } = await spawnUntil(
    command,
    /Junction listening on (http:\/\/\S+)/,
    options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [],
  );
  const url = match[1];
  const put = async (path: string, body: unknown) => {
    const r = await request(`${url}${path}`, { method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    await r.body.dump();
  };
  await put('/apis/eventing.knative.dev/v1/namespaces/bench/brokers/default', {
    apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', annotations: { 'junction.dev/channel': channel } },
  });
  return { child, url, dataDir };
}

export async function addTrigger(url: string, sinkUrl: string): Promise<void> {
  const r = await request(`${url}/apis/eventing.knative.dev/v1/namespaces/bench/triggers/sink`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'eventing.knative.dev/v1', kind: 'Trigger', metadata: { name: 'sink' }, spec: { broker: 'default', subscriber: { uri: sinkUrl } } }),
  });
  await r.body.dump();
  for (let i = 0; i < 400; i++) {
    const t = (await (await request(`${url}/apis/eventing.knative.dev/v1/namespaces/bench/triggers/sink`)).body.json()) as any;
    if (t.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('trigger not ready');
}

const body = JSON.stringify({ order: 12345, items: ['a', 'b', 'c'], note: 'x'.repeat(200) });
/** Size of every benchmark event's data. */
export const EVENT_BODY_BYTES = body.length;
function headers(i: number): Record<string, string> {
  return {
    'ce-specversion': '1.0', 'ce-id': `e-${i}`, 'ce-source': '/bench', 'ce-type': 'com.example.bench',
    'ce-sentat': String(Math.round(performance.timeOrigin + performance.now())), 'content-type': 'application/json',
  };
}

/** Sends `count` events with `concurrency` in flight; returns accepted events per second. */
async function throughput(pool: Pool, path: string, count: number, concurrency: number): Promise<number> {
  let next = 0;
  let accepted = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      const r = await pool.request({ path, method: 'POST', headers: headers(i), body });
      await r.body.dump();
      if (r.statusCode === 202) accepted++;
    }
  }));
  if (accepted !== count) throw new Error(`only ${accepted}/${count} accepted`);
  return count / ((performance.now() - started) / 1000);
}

/** Sends at a fixed rate for `seconds`; returns how many were sent. */
async function fixedRate(pool: Pool, path: string, rate: number, seconds: number): Promise<number> {
  const total = rate * seconds;
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(pool.request({ path, method: 'POST', headers: headers(i), body }).then((r) => r.body.dump()));
  }
  await Promise.all(pending);
  return total;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

export interface Row { name: string; warmupRounds: number; acceptedPerSec: number; endToEndPerSec: number; p50: number; p99: number; serverCpu: number; serverMainCpu: number; benchCpu: number }

/** CPU seconds (user + system) used so far by a process, all threads. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

/** How much load one measurement applies. */
export interface Load {
  events: number;
  concurrency: number;
  rate: number;
  seconds: number;
  /** The fewest warm-up rounds of 2,000 events before measuring. */
  warmupRounds: number;
}

const WARMUP_ROUND = 2000;

/**
 * Warms a setup up until it is steady: rounds of 2,000 events at the measured concurrency, each
 * delivered before the next, until a round's rate is within 5% of the one before (at least
 * `load.warmupRounds`, at most 10 rounds). A short warm-up left V8 and the channel partly cold and
 * the measured ratio low. Returns the number of rounds.
 */
async function warmUp(pool: Pool, path: string, sink: Sink, load: Load): Promise<number> {
  let previous = 0;
  for (let round = 1; ; round++) {
    const started = performance.now();
    await throughput(pool, path, WARMUP_ROUND, load.concurrency);
    await sink.waitFor(WARMUP_ROUND, 60_000);
    const rate = WARMUP_ROUND / ((performance.now() - started) / 1000);
    sink.reset();
    if (round >= 10 || (round >= load.warmupRounds && Math.abs(rate - previous) <= 0.05 * previous)) return round;
    previous = rate;
  }
}

/** Throughput (accepted and end to end), server CPU, then latency at a fixed rate, through `base`+`path`. */
export async function measure(name: string, base: string, path: string, sink: Sink, serverPid: number, load: Load): Promise<Row> {
  const { events: EVENTS, concurrency: CONCURRENCY, rate: RATE, seconds: SECONDS } = load;
  const pool = new Pool(base, { connections: CONCURRENCY, pipelining: 1 });
  // The sink still counts the previous setup's latency run: without a reset the warm-up would not
  // wait for this setup's consumer (a Kafka group joins seconds later) and its deliveries would count below.
  sink.reset();
  const warmup = await warmUp(pool, path, sink, load);
  const started = performance.now();
  const cpuBefore = { server: cpuSeconds(serverPid), main: mainThreadCpu(serverPid), bench: process.cpuUsage() };
  const acceptedPerSec = await throughput(pool, path, EVENTS, CONCURRENCY);
  const done = await sink.waitFor(EVENTS, 120_000);
  const elapsed = (performance.now() - started) / 1000;
  const endToEndPerSec = (done ? EVENTS : sink.received) / elapsed;
  const benchUsage = process.cpuUsage(cpuBefore.bench);
  const cpu = {
    serverCpu: (cpuSeconds(serverPid) - cpuBefore.server) / elapsed,
    serverMainCpu: (mainThreadCpu(serverPid) - cpuBefore.main) / elapsed,
    benchCpu: (benchUsage.user + benchUsage.system) / 1e6 / elapsed,
  };
  sink.reset();
  const sent = await fixedRate(pool, path, RATE, SECONDS);
  await sink.waitFor(sent, 30_000);
  const row = { name, warmupRounds: warmup, acceptedPerSec, endToEndPerSec, p50: percentile(sink.latencies, 50), p99: percentile(sink.latencies, 99), ...cpu };
  await pool.close();
  return row;
}

/** CPU seconds of a process's main thread (the event loop), which is what caps a Node server. */
export function mainThreadCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}


/** Prints the throughput/latency table (ratio against `baseline`) and the CPU table. */
export function printRows(rows: Row[], baseline: Row, ratioLabel: string): void {
  console.log(`| setup | accepted events/s | end-to-end events/s | ${ratioLabel} | p50 ms @rate | p99 ms @rate |`);
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(`| ${row.name} | ${row.acceptedPerSec.toFixed(0)} | ${row.endToEndPerSec.toFixed(0)} | ${(row.endToEndPerSec / baseline.endToEndPerSec).toFixed(2)} | ${row.p50.toFixed(2)} | ${row.p99.toFixed(2)} |`);
  }
  console.log('\nCPU during the throughput run (1.00 = one core busy):\n');
  const perEvent = (row: Row) => (row.serverCpu / row.endToEndPerSec) * 1e6;
  console.log('| setup | server process | server main thread | producers + sink (bench process) | server CPU µs per event | CPU per event ÷ baseline | warm-up rounds |');
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(`| ${row.name} | ${row.serverCpu.toFixed(2)} | ${row.serverMainCpu.toFixed(2)} | ${row.benchCpu.toFixed(2)} | ${perEvent(row).toFixed(0)} | ${(perEvent(row) / perEvent(baseline)).toFixed(2)} | ${row.warmupRounds} |`);
  }
}

/**
 * `--name value` pairs of a bench command line, and the load they describe (defaults: 20,000 events,
 * 64 producers, 2,000 events/s for 5 s, at least 3 warm-up rounds). `--help` prints `usage` and
 * exits 0; a flag without its value or a load figure that is not a positive number prints a
 * one-line error and the usage, and exits 2.
 */
export function parseArgs(argv: string[], usage: string): { args: Map<string, string>; load: Load } {
  const fail = (message: string): never => {
    console.error(`bench: ${message}\n${usage}`);
    process.exit(2);
  };
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = String(argv[i]);
    if (!flag.startsWith('--')) fail(`unexpected argument "${flag}"`);
    if (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--')) fail(`${flag} needs a value`);
    args.set(flag.slice(2), String(argv[i + 1]));
  }
  const figure = (name: string, fallback: number): number => {
    const value = Number(args.get(name) ?? fallback);
    return Number.isFinite(value) && value > 0 ? value : fail(`--${name} must be a positive number, got "${args.get(name)}"`);
  };
  const load: Load = {
    events: figure('events', 20000),
    concurrency: figure('concurrency', 64),
    rate: figure('rate', 2000),
    seconds: figure('seconds', 5),
    warmupRounds: figure('warmup-rounds', 3),
  };
  return { args, load };
}
