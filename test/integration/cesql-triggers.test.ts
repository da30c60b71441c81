import { describe, expect, it } from 'vitest';
import { useBrokerPerTest } from '../support/broker-fixture.js';
import type { HttpSubscriber } from '../support/http-subscriber.js';
import { structuredEvent } from '../support/junction.js';

const ORDERED = { 'kafka.eventing.knative.dev/delivery.order': 'ordered' };
const TRIGGERS_URL = '/apis/eventing.knative.dev/v1/namespaces/default/triggers';

describe('triggers with CESQL filters on a running broker', () => {
  const fixture = useBrokerPerTest();

  /** A trigger delivering in order, so that receiving the last event sent proves every earlier match arrived. */
  const trigger = async (name: string, filters: unknown[]): Promise<HttpSubscriber> => {
    const subscriber = await fixture.subscriber();
    await fixture.junction.apply({
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: { name, namespace: 'default', annotations: ORDERED },
      spec: { broker: 'default', filters, subscriber: { uri: subscriber.url } },
    });
    await fixture.junction.waitReady('triggers', 'default', name);
    return subscriber;
  };
  const sendStructured = async (attributes: Record<string, unknown>) => {
    const answer = await fixture.junction.post('/default/default', structuredEvent(attributes), { 'content-type': 'application/cloudevents+json' });
    expect(answer.status).toBe(202);
  };
  /** Binary mode: every attribute arrives as a String header. */
  const sendBinary = async (attributes: Record<string, string>) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-source': '/test', 'ce-type': 'com.example.test' };
    for (const [name, value] of Object.entries(attributes)) headers[`ce-${name}`] = value;
    const answer = await fixture.junction.post('/default/default', '{}', headers);
    expect(answer.status).toBe(202);
  };
  const received = (subscriber: HttpSubscriber) => subscriber.requests.map((request) => request.headers['ce-id']);

  it('delivers to each subscriber exactly the events its expression matches', async () => {
    const bigOrders = await trigger('big-orders', [{ cesql: "EXISTS fence OR (type LIKE 'com.shop.order.%' AND amount > 100)" }]);
    const euOrUrgent = await trigger('eu-or-urgent', [{ cesql: "EXISTS fence OR LOWER(region) = 'eu' OR priority >= 5" }]);
    const webNotTest = await trigger('web-not-test', [{ prefix: { type: 'com.shop.' } }, { cesql: "EXISTS fence OR (source IN ('/web', '/mobile') AND NOT EXISTS test)" }]);
    // True with an error (flag is not a Boolean, yet priority > 100) is no match either.
    const flagged = await trigger('flagged', [{ cesql: 'flag OR (EXISTS fence OR priority > 100)' }]);

    await sendStructured({ id: 'e1', type: 'com.shop.order.created', source: '/web', amount: 150, region: 'EU', priority: 1 });
    await sendBinary({ id: 'e2', type: 'com.shop.order.created', source: '/mobile', amount: '99', region: 'us', priority: '7', test: 'true', flag: 'TRUE' });
    await sendStructured({ id: 'e3', type: 'com.shop.refund', source: '/batch', amount: 500, region: 'eu', priority: 0, flag: 'maybe' });
    // No amount: a missing attribute is an evaluation error, and an error never matches.
    await sendStructured({ id: 'e4', type: 'com.shop.order.created', source: '/web', region: 'apac', priority: 2 });
    // amount is not an Integer (a CastError), and without region the second expression fails too.
    await sendBinary({ id: 'e5', type: 'com.shop.order.created', source: '/web', amount: 'lots', priority: '9' });
    await sendStructured({ id: 'e6', type: 'org.other.order.created', source: '/web', amount: 1000, region: 'eu', priority: 200, flag: 'maybe' });
    await sendStructured({ id: 'fence', type: 'com.shop.fence', source: '/x', fence: 'yes', flag: true });

    for (const subscriber of [bigOrders, euOrUrgent, webNotTest, flagged]) {
      await expect.poll(() => received(subscriber).includes('fence'), { timeout: 10_000 }).toBe(true);
    }
    expect(received(bigOrders)).toEqual(['e1', 'fence']);
    expect(received(euOrUrgent)).toEqual(['e1', 'e2', 'e3', 'e6', 'fence']);
    expect(received(webNotTest)).toEqual(['e1', 'e4', 'e5', 'fence']);
    expect(received(flagged)).toEqual(['e2', 'fence']);
  });

  it('matches attribute names written in any case as their lower-case attributes', async () => {
    const upper = await trigger('upper-case-names', [{ cesql: "EXISTS FENCE OR (EXISTS SOURCE AND TYPE LIKE 'com.shop.%' AND Region = 'eu')" }]);

    await sendStructured({ id: 'u1', type: 'com.shop.order.created', source: '/web', region: 'eu' });
    await sendBinary({ id: 'u2', type: 'com.shop.order.created', region: 'us' });
    await sendBinary({ id: 'u3', type: 'com.shop.refund', region: 'eu' });
    await sendStructured({ id: 'u4', type: 'org.other', source: '/web', region: 'eu' });
    await sendStructured({ id: 'fence', type: 'com.shop.fence', source: '/x', fence: 'yes' });

    await expect.poll(() => received(upper).includes('fence'), { timeout: 10_000 }).toBe(true);
    expect(received(upper)).toEqual(['u1', 'u3', 'fence']);
  });

  it('rejects an expression that does not compile with 400, its own code, the path and the column', async () => {
    const post = (name: string, cesql: unknown) =>
      fixture.junction.post(
        TRIGGERS_URL,
        JSON.stringify({ apiVersion: 'eventing.knative.dev/v1', kind: 'Trigger', metadata: { name }, spec: { broker: 'default', filters: [{ cesql }], subscriber: { uri: 'http://127.0.0.1:1/' } } }),
        { 'content-type': 'application/json' },
      );

    const syntax = await post('syntax', "type LIKE 'com.%' AND amount >");
    expect(syntax.status).toBe(400);
    expect(syntax.json.code).toBe('JUNCTION_FILTER_CESQL_INVALID');
    expect(syntax.json.errors).toEqual([
      { path: 'spec.filters[0].cesql', message: 'invalid CESQL: the expression ends where a value was expected at column 31', code: 'JUNCTION_FILTER_CESQL_INVALID' },
    ]);

    const unknown = await post('unknown', "HASH(id) = 'x'");
    expect(unknown.status).toBe(400);
    expect(unknown.json.code).toBe('JUNCTION_FILTER_CESQL_INVALID');
    expect(unknown.json.errors[0].message).toMatch(/^no function HASH .* at column 1$/);

    const pattern = await post('pattern', 'type LIKE source');
    expect(pattern.status).toBe(400);
    expect(pattern.json.errors[0].message).toBe("invalid CESQL: LIKE needs a string literal pattern, found 'source' at column 11");

    // Nothing was stored: the invalid triggers do not exist.
    for (const name of ['syntax', 'unknown', 'pattern']) {
      const answer = await fetch(`${fixture.junction.url}${TRIGGERS_URL}/${name}`);
      expect(answer.status).toBe(404);
    }
  });
});
