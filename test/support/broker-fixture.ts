import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { startHttpSubscriber, type HttpSubscriber } from './http-subscriber.js';
import { brokerWithTrigger, startTestJunction, structuredEvent, type TestJunction } from './junction.js';

/** The Junction a broker test talks to, and the subscribers it started. */
export interface BrokerPerTest {
  /** This test's Junction (a new one per test). */
  readonly junction: TestJunction;
  /** Starts an HTTP subscriber that is closed after the test. */
  subscriber(...args: Parameters<typeof startHttpSubscriber>): Promise<HttpSubscriber>;
}

/**
 * For each test, a fresh Junction whose `default/default` Broker is Ready; after it, the Junction
 * stops and the subscribers close. Call once inside a describe (it registers beforeEach/afterEach).
 */
export function useBrokerPerTest(): BrokerPerTest {
  let junction: TestJunction;
  const subscribers: HttpSubscriber[] = [];
  beforeEach(async () => {
    junction = await startTestJunction();
    await junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', namespace: 'default' }, spec: {} });
    await junction.waitReady('brokers', 'default', 'default');
  });
  afterEach(async () => {
    await junction.stop();
    for (const subscriber of subscribers.splice(0)) await subscriber.close();
  });
  return {
    get junction() {
      return junction;
    },
    async subscriber(...args) {
      const subscriber = await startHttpSubscriber(...args);
      subscribers.push(subscriber);
      return subscriber;
    },
  };
}

/** A Junction shared by a describe's tests, with a Ready Trigger delivering to one subscriber. */
export interface TriggerPerSuite {
  readonly junction: TestJunction;
  /** Where Trigger `default/trigger` (on Broker `default/default`) delivers every event. */
  readonly subscriber: HttpSubscriber;
}

/**
 * Before a describe's tests: a Junction (config `overrides`) with the `brokerWithTrigger` pair Ready
 * and delivering to one subscriber; both stop after the tests. Call once inside a describe
 * (it registers beforeAll/afterAll).
 */
export function useTriggerPerSuite(overrides: Record<string, unknown> = {}): TriggerPerSuite {
  let junction: TestJunction;
  let subscriber: HttpSubscriber;
  beforeAll(async () => {
    junction = await startTestJunction(overrides);
    subscriber = await startHttpSubscriber();
    for (const resource of brokerWithTrigger({ subscriberUrl: subscriber.url })) await junction.apply(resource);
    await junction.waitReady('triggers', 'default', 'trigger');
  });
  afterAll(async () => {
    await junction?.stop();
    await subscriber?.close();
  });
  return {
    get junction() {
      return junction;
    },
    get subscriber() {
      return subscriber;
    },
  };
}

/**
 * Creates Broker `secure/default` on `engine` and a Trigger to `subscriber`, waits for both to be
 * Ready, and checks one event posted to the broker reaches the subscriber (the engine's connection works).
 */
export async function expectBrokerDelivers(junction: TestJunction, engine: string, subscriber: HttpSubscriber): Promise<void> {
  const documents = brokerWithTrigger({ namespace: 'secure', trigger: 'all', subscriberUrl: subscriber.url, brokerAnnotations: { 'junction.dev/channel': engine } });
  for (const document of documents) await junction.apply(document);
  await junction.waitReady('brokers', 'secure', 'default', 'eventing.knative.dev/v1', 20_000);
  await junction.waitReady('triggers', 'secure', 'all');
  expect((await junction.post('/secure/default', structuredEvent({ id: 'over-tls' }), { 'content-type': 'application/cloudevents+json' })).status).toBe(202);
  await subscriber.waitForRequests(1, 20_000);
  expect(subscriber.requests.map((request) => request.headers['ce-id'])).toEqual(['over-tls']);
}
