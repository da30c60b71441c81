import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_BODY_BYTES, addTrigger, parseArgs, measure, printRows, root, rssMb, spawnUntil, startJunction, startSink, type Row } from './harness.js';

/**
 * bench/broker: producers -> Junction (sqlite channel, one trigger) -> HTTP sink, against a plain
 * pass-through proxy between the same producers and sink, in the same run (and the same proxy on
 * fastify, the framework floor Junction's ingress stands on). Also the memory channel.
 * Usage: node dist/bench/broker/run.js [--events N] [--concurrency C] [--rate R] [--seconds S] [--warmup-rounds W] [--profile DIR]
 * (--profile writes a V8 CPU profile of each Junction process into DIR, for chrome://inspect or speedscope).
 */
const USAGE = 'usage: node dist/bench/broker/run.js [--events N] [--concurrency C] [--rate R] [--seconds S] [--warmup-rounds W] [--profile DIR]';
const { args, load } = parseArgs(process.argv.slice(2), USAGE);
const PROFILE_DIR = args.get('profile');

async function main(): Promise<void> {
  const sink = await startSink();
  const rows: Row[] = [];

  const proxy = await spawnUntil([join(root, 'dist', 'bench', 'broker', 'passthrough.js'), sink.url], /listening (\d+)/);
  rows.push(await measure('pass-through proxy (baseline)', `http://127.0.0.1:${proxy.match[1]}`, '/', sink, proxy.child.pid!, load));
  proxy.child.kill('SIGKILL');
  // The framework floor: the same proxy on fastify, the web framework Junction's ingress runs on.
  const floor = await spawnUntil([join(root, 'dist', 'bench', 'broker', 'passthrough-fastify.js'), sink.url], /listening (\d+)/);
  rows.push(await measure('pass-through proxy on fastify (framework floor)', `http://127.0.0.1:${floor.match[1]}`, '/bench/default', sink, floor.child.pid!, load));
  floor.child.kill('SIGKILL');

  let idleRss = 0;
  let afterRss = 0;
  for (const channel of ['sqlite', 'memory']) {
    const junction = await startJunction(channel, { profileDir: PROFILE_DIR });
    await new Promise((r) => setTimeout(r, 1500));
    if (channel === 'sqlite') idleRss = rssMb(junction.child.pid!);
    await addTrigger(junction.url, sink.url);
    rows.push(await measure(`junction ${channel} channel`, junction.url, '/bench/default', sink, junction.child.pid!, load));
    if (channel === 'sqlite') afterRss = rssMb(junction.child.pid!);
    junction.child.kill('SIGTERM');
    await new Promise((r) => junction.child.once('exit', r));
    rmSync(junction.dataDir, { recursive: true, force: true });
  }

  const baseline = rows[0];
  console.log(`\nbench/broker: ${load.events} events x ${EVENT_BODY_BYTES} B body, ${load.concurrency} producers in flight; latency at ${load.rate} events/s for ${load.seconds} s\n`);
  printRows(rows, baseline, 'ratio to pass-through');
  console.log(`\nidle RSS of junction start (sqlite, one broker, no traffic): ${idleRss.toFixed(1)} MB; after the sqlite run: ${afterRss.toFixed(1)} MB`);
  sink.server.close();
  process.exit(0);
}

await main();
