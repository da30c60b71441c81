import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startJunctionProcess, type JunctionProcess, type ProcessExit } from '../../bench/support/junction-process.js';
import { requireBuiltCli } from '../e2e/cli-harness.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { deleteStreams, uniqueStreamPrefix } from '../support/nats-streams.js';
import { NATS_URL } from '../support/services.js';

// #13 item 14: SIGTERM waited the whole drain timeout while an event only waited out a retry
// backoff. Only deliveries on the wire may hold the drain; a pending backoff goes again after restart.

const EVENTING = '/apis/eventing.knative.dev/v1/namespaces/default';
const MESSAGING = '/apis/messaging.knative.dev/v1/namespaces/default';
/** Far beyond the test's timeout: a shutdown that waits for it fails the test. */
const DRAIN_TIMEOUT = 'PT10M';
/** How long the subscriber of the delivery on the wire takes to answer. */
const ON_THE_WIRE_MS = 3_000;

async function setUp(junction: JunctionProcess, backoffUrl: string, slowUrl: string): Promise<void> {
  await junction.put(`${EVENTING}/brokers/default`, { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default' } });
  // Fails once, then retries no sooner than 120 s later (exponential: PT60S * 2^1).
  await junction.put(`${EVENTING}/triggers/backoff`, {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: { name: 'backoff' },
    spec: { broker: 'default', subscriber: { uri: backoffUrl }, delivery: { retry: 5, backoffDelay: 'PT60S' } },
  });
  // Ordered, so that after restart an event it had not finished would come again before any newer one.
  await junction.put(`${EVENTING}/triggers/on-the-wire`, {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: { name: 'on-the-wire', annotations: { 'kafka.eventing.knative.dev/delivery.order': 'ordered' } },
    spec: { broker: 'default', subscriber: { uri: slowUrl } },
  });
  await junction.waitReady(`${EVENTING}/triggers/backoff`);
  await junction.waitReady(`${EVENTING}/triggers/on-the-wire`);
}

async function send(junction: JunctionProcess, id: string, path = '/default/default'): Promise<void> {
  const response = await request(`${junction.url}${path}`, {
    method: 'POST',
    headers: { 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/hardening', 'ce-type': 'com.example.drain', 'content-type': 'application/json' },
    body: '{"n":1}',
  });
  await response.body.dump();
  expect(response.statusCode, `event ${id} accepted`).toBe(202);
}

/** Sends SIGTERM and resolves with how the process exited; fails when it is still draining after `boundMs`. */
async function terminate(junction: JunctionProcess, boundMs: number): Promise<ProcessExit> {
  let timer: NodeJS.Timeout | undefined;
  const stillRunning = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running ${boundMs} ms after SIGTERM (drain timeout ${DRAIN_TIMEOUT}): ${junction.output()}`)), boundMs);
  });
  try {
    return await Promise.race([junction.kill('SIGTERM'), stillRunning]);
  } finally {
    clearTimeout(timer);
  }
}

const ids = (subscriber: HttpSubscriber) => subscriber.requests.map((request) => String(request.headers['ce-id']));

describe('SIGTERM while a delivery waits out a retry backoff', () => {
  const dataDirs: string[] = [];
  const subscribers: HttpSubscriber[] = [];
  let junction: JunctionProcess | undefined;
  const dataDir = () => {
    dataDirs.push(mkdtempSync(join(tmpdir(), 'junction-drain-')));
    return dataDirs[dataDirs.length - 1];
  };
  const subscriber = async (...plan: Parameters<typeof startHttpSubscriber>) => {
    subscribers.push(await startHttpSubscriber(...plan));
    return subscribers[subscribers.length - 1];
  };
  const start = async (dir: string, config: Record<string, unknown> = {}) =>
    (junction = await startJunctionProcess({ dataDir: dir, config: { ...config, shutdown: { drainTimeout: DRAIN_TIMEOUT } } }));
  afterEach(async () => {
    if (junction && junction.child.exitCode === null && junction.child.signalCode === null) await junction.kill('SIGKILL');
    junction = undefined;
  });
  const natsPrefix = uniqueStreamPrefix('drain');
  afterAll(async () => {
    await deleteStreams(NATS_URL, natsPrefix);
    for (const open of subscribers) await open.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('exits without waiting for the backoff, lets the delivery on the wire finish, and redelivers the backed-off event after restart', async () => {
    requireBuiltCli();
    const backoff = await subscriber([{ status: 503 }, { status: 202 }]);
    const slow = await subscriber([{ status: 202, delayMs: ON_THE_WIRE_MS }, { status: 202 }]);
    const dir = dataDir();
    let running = await start(dir);
    await setUp(running, backoff.url, slow.url);

    await send(running, 'held-by-backoff');
    await backoff.waitForRequests(1); // answered 503: the event now waits 120 s for its retry
    await slow.waitForRequests(1); // answered only after ON_THE_WIRE_MS: on the wire during SIGTERM

    // Bounded well below both the 120 s backoff and the 10 min drain timeout.
    expect(await terminate(running, 30_000)).toEqual({ code: 0, signal: null });

    running = await start(dir);
    await backoff.waitForRequests(2, 20_000);
    expect(ids(backoff), 'the backed-off event is delivered again after restart').toEqual(['held-by-backoff', 'held-by-backoff']);

    // The delivery on the wire was allowed to finish: its ordered trigger does not deliver it again
    // before an event sent now.
    await send(running, 'after-restart');
    await slow.waitForRequests(2, 20_000);
    expect(ids(slow)).toEqual(['held-by-backoff', 'after-restart']);
    await backoff.waitForRequests(3, 20_000);
    expect(ids(backoff)).toEqual(['held-by-backoff', 'held-by-backoff', 'after-restart']);

    expect(await terminate(running, 30_000)).toEqual({ code: 0, signal: null });
  }, 90_000);

  it('does not wait out the backoff of a Subscription reply either: the event goes again after restart and its reply on', async () => {
    requireBuiltCli();
    const reply = { status: 200, headers: { 'ce-specversion': '1.0', 'ce-id': 'the-reply', 'ce-source': '/replier', 'ce-type': 'com.example.reply' }, body: '' };
    const replier = await subscriber([reply]);
    const replyTarget = await subscriber([{ status: 503 }, { status: 202 }]);
    const dir = dataDir();
    let running = await start(dir);
    await running.put(`${MESSAGING}/channels/orders`, { apiVersion: 'messaging.knative.dev/v1', kind: 'Channel', metadata: { name: 'orders' } });
    await running.put(`${MESSAGING}/subscriptions/orders-replies`, {
      apiVersion: 'messaging.knative.dev/v1',
      kind: 'Subscription',
      metadata: { name: 'orders-replies' },
      spec: {
        channel: { apiVersion: 'messaging.knative.dev/v1', kind: 'Channel', name: 'orders' },
        subscriber: { uri: replier.url },
        reply: { uri: replyTarget.url },
        delivery: { retry: 5, backoffDelay: 'PT60S' },
      },
    });
    await running.waitReady(`${MESSAGING}/subscriptions/orders-replies`);

    await send(running, 'replied-to', '/channels/default/orders');
    await replyTarget.waitForRequests(1); // the reply was refused (503): it now waits 120 s for its retry
    expect(await terminate(running, 30_000)).toEqual({ code: 0, signal: null });

    running = await start(dir);
    await replyTarget.waitForRequests(2, 20_000);
    expect(ids(replier), 'the event whose reply was pending is delivered again').toEqual(['replied-to', 'replied-to']);
    expect(ids(replyTarget)).toEqual(['the-reply', 'the-reply']);
    expect(await terminate(running, 30_000)).toEqual({ code: 0, signal: null });
  }, 90_000);

  it('does the same on an engine that keeps consumer groups itself (NATS JetStream): the unacknowledged event goes again after restart', async () => {
    requireBuiltCli();
    const backoff = await subscriber([{ status: 503 }, { status: 202 }]);
    // ackWaitMs at its minimum: JetStream hands the event left unacknowledged out again a second after restart.
    const config = { channels: { nats: { servers: [NATS_URL], streamPrefix: natsPrefix, subjectPrefix: natsPrefix.toLowerCase(), ackWaitMs: 1000 } } };
    const dir = dataDir();
    let running = await start(dir, config);
    await running.put(`${EVENTING}/brokers/default`, {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Broker',
      metadata: { name: 'default', annotations: { 'junction.dev/channel': 'nats' } },
    });
    await running.put(`${EVENTING}/triggers/backoff`, {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: { name: 'backoff' },
      spec: { broker: 'default', subscriber: { uri: backoff.url }, delivery: { retry: 5, backoffDelay: 'PT60S' } },
    });
    await running.waitReady(`${EVENTING}/brokers/default`, 30_000);
    await running.waitReady(`${EVENTING}/triggers/backoff`, 30_000);

    await send(running, 'held-by-backoff');
    await backoff.waitForRequests(1, 20_000); // answered 503: the event now waits 120 s for its retry
    expect(await terminate(running, 30_000)).toEqual({ code: 0, signal: null });

    running = await start(dir, config);
    await backoff.waitForRequests(2, 30_000);
    expect(ids(backoff), 'the backed-off event is delivered again after restart').toEqual(['held-by-backoff', 'held-by-backoff']);
    expect(await terminate(running, 30_000)).toEqual({ code: 0, signal: null });
  }, 120_000);
});
