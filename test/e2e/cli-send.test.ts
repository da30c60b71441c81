import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useJunctionForCli } from '../support/cli-fixture.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { runCli, runCliOk, waitAllReady } from './cli-harness.js';

const cli = useJunctionForCli();
let subscriber: HttpSubscriber;

beforeAll(async () => {
  subscriber = await startHttpSubscriber();
  const manifest = `apiVersion: eventing.knative.dev/v1
kind: Broker
metadata:
  name: default
---
apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata:
  name: orders
spec:
  broker: default
  filter:
    attributes:
      type: com.example.order.created
  subscriber:
    uri: ${subscriber.url}orders
`;
  await runCliOk(['apply', '-f', '-', '-n', 'shop'], { server: cli.server, input: manifest });
  await waitAllReady('triggers', ['orders'], { server: cli.server, namespace: 'shop' });
});
afterAll(async () => {
  await subscriber?.close();
});

describe('junction send', () => {
  it('posts a binary-mode CloudEvent that reaches the subscriber with its attributes, extensions and data', async () => {
    const result = await runCliOk(
      ['send', '--broker', 'default', '-n', 'shop', '--type', 'com.example.order.created', '--source', '/cli', '--id', 'order-1', '--subject', 'Euro €', '--data', '{"orderId":42}', '--extension', 'tenant=acme'],
      { server: cli.server },
    );
    expect(result.stdout).toBe('event order-1 accepted by shop/default\n');

    const [request] = await subscriber.waitForRequests(1);
    expect(request.url).toBe('/orders');
    expect(request.headers['ce-id']).toBe('order-1');
    expect(request.headers['ce-type']).toBe('com.example.order.created');
    expect(request.headers['ce-source']).toBe('/cli');
    expect(request.headers['ce-tenant']).toBe('acme');
    expect(decodeURIComponent(String(request.headers['ce-subject']))).toBe('Euro €');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body.toString('utf8'))).toEqual({ orderId: 42 });
  });

  it('sends text data as text/plain with a generated UUID id', async () => {
    const result = await runCliOk(['send', '--broker', 'default', '-n', 'shop', '--type', 'com.example.order.created', '--source', '/cli', '--data', 'hello there'], { server: cli.server });
    const id = /^event (\S+) accepted by shop\/default\n$/.exec(result.stdout)?.[1];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const requests = await subscriber.waitForRequests(2);
    expect(requests[1].headers['ce-id']).toBe(id);
    expect(requests[1].headers['content-type']).toBe('text/plain');
    expect(requests[1].body.toString('utf8')).toBe('hello there');
  });

  it('fails with one line for an unknown broker and for an invalid event', async () => {
    const unknown = await runCli(['send', '--broker', 'nope', '-n', 'shop', '--type', 't', '--source', '/s'], { server: cli.server });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('junction: JUNCTION_BROKER_NOT_FOUND: broker shop/nope does not exist\n');

    const invalid = await runCli(['send', '--broker', 'default', '-n', 'shop', '--type', 't', '--source', '/s', '--extension', 'Bad_Name=1'], { server: cli.server });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^junction: JUNCTION_EVENT_INVALID: .*\(Bad_Name: [^\n]+\)\n$/);
  });
});

describe('junction replay', () => {
  it('says how many events will be redelivered, and the subscriber gets them again', async () => {
    const before = subscriber.requests.length;
    const result = await runCliOk(['replay', '--trigger', 'orders', '-n', 'shop', '--from', '0'], { server: cli.server });
    expect(result.stdout).toBe('2 events will be redelivered to trigger shop/orders (broker default, from offset 0)\n');
    const requests = await subscriber.waitForRequests(before + 2);
    expect(requests.slice(before).map((r) => r.headers['ce-id'])).toContain('order-1');

    const bad = await runCli(['replay', '--trigger', 'missing', '-n', 'shop', '--from', '0'], { server: cli.server });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^junction: JUNCTION_REPLAY_INVALID: trigger shop\/missing does not exist\n$/);
  });
});
