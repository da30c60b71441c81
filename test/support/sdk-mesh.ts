import { afterAll, beforeAll, expect } from 'vitest';
import { HTTP, type CloudEvent as SdkEvent, type Message } from 'cloudevents';
import { eventually } from './eventually.js';
import { startHttpSubscriber, type HttpSubscriber, type RecordedRequest } from './http-subscriber.js';
import { brokerWithTrigger, startTestJunction, type TestJunction } from './junction.js';

/** Where an event sent to the mesh's broker ends up: one subscriber or dead-letter sink per delivery format. */
export interface SdkMesh {
  readonly junction: TestJunction;
  /** `http://…/default/default`, the broker's ingress. */
  readonly ingress: string;
  /** Trigger `binary` delivers here in binary mode (the default format). */
  readonly binary: HttpSubscriber;
  /** Trigger `structured` delivers here with `delivery.format: json`. */
  readonly structured: HttpSubscriber;
  /** Always answers 500 with {@link FAILURE_BODY}; triggers `failing` and `failingjson` deliver here with retry 0. */
  readonly failing: HttpSubscriber;
  /** Dead-letter sink of trigger `failing` (binary mode). */
  readonly deadBinary: HttpSubscriber;
  /** Dead-letter sink of trigger `failingjson` (structured mode). */
  readonly deadStructured: HttpSubscriber;
}

/** What the always-failing subscriber answers, so the dead-letter extensions can be checked. */
export const FAILURE_BODY = 'subscriber is broken';

/**
 * Before a describe's tests: a Junction whose Broker `default/default` has four Ready triggers
 * (binary, structured, and two failing ones with dead-letter sinks); everything stops afterwards.
 */
export function useSdkMesh(): SdkMesh {
  const mesh = {} as { -readonly [K in keyof SdkMesh]: SdkMesh[K] };
  beforeAll(async () => {
    mesh.junction = await startTestJunction();
    mesh.ingress = `${mesh.junction.url}/default/default`;
    mesh.binary = await startHttpSubscriber();
    mesh.structured = await startHttpSubscriber();
    mesh.failing = await startHttpSubscriber([{ status: 500, body: FAILURE_BODY }]);
    mesh.deadBinary = await startHttpSubscriber();
    mesh.deadStructured = await startHttpSubscriber();
    const deadLetter = (sink: HttpSubscriber, format: string) => ({ retry: 0, format, deadLetterSink: { uri: sink.url } });
    const triggers = [
      brokerWithTrigger({ trigger: 'binary', subscriberUrl: mesh.binary.url }),
      brokerWithTrigger({ trigger: 'structured', subscriberUrl: mesh.structured.url, delivery: { format: 'json' } }),
      brokerWithTrigger({ trigger: 'failing', subscriberUrl: mesh.failing.url, delivery: deadLetter(mesh.deadBinary, 'binary') }),
      brokerWithTrigger({ trigger: 'failingjson', subscriberUrl: mesh.failing.url, delivery: deadLetter(mesh.deadStructured, 'json') }),
    ];
    await mesh.junction.apply(triggers[0][0]);
    for (const [, trigger] of triggers) await mesh.junction.apply(trigger);
    for (const [, trigger] of triggers) await mesh.junction.waitReady('triggers', 'default', trigger.metadata.name);
  });
  afterAll(async () => {
    await mesh.junction?.stop();
    for (const server of [mesh.binary, mesh.structured, mesh.failing, mesh.deadBinary, mesh.deadStructured]) await server?.close();
  });
  return mesh;
}

/**
 * The request as an SDK user hands it to `HTTP.toEvent`: headers as Node parsed them, the body as
 * a string when it is text (JSON, text/*) and as the raw bytes otherwise (the SDK passes bytes through).
 */
export function sdkMessage(request: RecordedRequest): Message {
  const contentType = String(request.headers['content-type'] ?? '');
  const text = /json|^text\//i.test(contentType);
  return { headers: request.headers, body: text ? request.body.toString('utf8') : request.body };
}

/** The SDK's reading of one delivered request: a single event, validated by the SDK. */
export function sdkRead(request: RecordedRequest): SdkEvent<unknown> {
  const event = HTTP.toEvent<unknown>(sdkMessage(request));
  if (Array.isArray(event)) throw new Error('expected one event, the SDK read a batch');
  const read = event as SdkEvent<unknown>;
  expect(read.validate()).toBe(true);
  return read;
}

/** Waits until the event with this id reached `server`; returns the request and the SDK's validated reading of it. */
export async function deliveredTo(server: HttpSubscriber, id: string): Promise<{ request: RecordedRequest; event: SdkEvent<unknown> }> {
  let found: { request: RecordedRequest; event: SdkEvent<unknown> } | undefined;
  await eventually(() => {
    const request = server.requests.find((candidate) => idOf(candidate) === id);
    if (request === undefined) return false;
    found = { request, event: sdkRead(request) };
    return true;
  });
  return found as { request: RecordedRequest; event: SdkEvent<unknown> };
}

function idOf(request: RecordedRequest): string | undefined {
  const header = request.headers['ce-id'];
  if (typeof header === 'string') return header;
  if (!String(request.headers['content-type']).startsWith('application/cloudevents+json')) return undefined;
  return (JSON.parse(request.body.toString('utf8')) as { id?: string }).id;
}
