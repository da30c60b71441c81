import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestJunction, type TestJunction } from '../support/junction.js';
import { rawRequest, type RawAnswer } from '../support/raw-http.js';

// Adversarial requests of issue #13 ("Broker hardening"): every error answer is a problem document
// with a catalog code, even when Node's HTTP parser or fastify's router refuses the request first.

const BROKERS = '/apis/eventing.knative.dev/v1/namespaces/default/brokers';
const CONTROL_LIMIT = 512 * 1024;

function expectProblem(answer: { status: number; headers: Record<string, unknown>; json: any }, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(String(answer.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(answer.json).toMatchObject({ status, code, type: `https://junction.dev/errors#${code}` });
}

/** Nests `levels` JSON objects inside each other: {"a":{"a":…1…}}. */
function nested(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

describe('error answers of malformed and oversized requests', () => {
  let junction: TestJunction;
  beforeAll(async () => {
    junction = await startTestJunction({ 'control.maxBodyBytes': CONTROL_LIMIT });
  });
  afterAll(async () => {
    await junction?.stop();
  });

  it('answers headers larger than the server accepts with 431 JUNCTION_HEADERS_TOO_LARGE', async () => {
    const answer = await rawRequest(junction.port, `GET /healthz HTTP/1.1\r\nHost: junction\r\nX-Padding: ${'a'.repeat(70_000)}\r\n\r\n`);
    expectProblem(answer, 431, 'JUNCTION_HEADERS_TOO_LARGE');
  });

  it('answers Content-Length together with chunked encoding (request smuggling) with 400 JUNCTION_BAD_REQUEST', async () => {
    const answer = await rawRequest(
      junction.port,
      'POST /default/default HTTP/1.1\r\nHost: junction\r\nContent-Type: application/cloudevents+json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    );
    expectProblem(answer, 400, 'JUNCTION_BAD_REQUEST');
    expect(answer.json.detail).toMatch(/Content-Length/);
  });

  it('answers a URL that is not valid percent-encoding with 400 JUNCTION_BAD_REQUEST', async () => {
    const answer = await rawRequest(junction.port, `GET ${BROKERS.replace('default', '%zz')} HTTP/1.1\r\nHost: junction\r\nConnection: close\r\n\r\n`);
    expectProblem(answer, 400, 'JUNCTION_BAD_REQUEST');
  });

  it('refuses a 100 MB control API body from its Content-Length, before the body is sent', async () => {
    // Only the first bytes of the announced 100 MB are ever sent: the answer must not wait for the rest.
    const answer: RawAnswer = await rawRequest(
      junction.port,
      `PUT ${BROKERS}/big HTTP/1.1\r\nHost: junction\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n`,
      ['{"spec":{"padding":"'],
    );
    expectProblem(answer, 413, 'JUNCTION_RESOURCE_TOO_LARGE');
    expect(answer.json.detail).toContain(`${CONTROL_LIMIT} bytes`);
    expect((await request(`${junction.url}${BROKERS}/big`)).statusCode).toBe(404);
  });

  it('refuses a chunked control API body once it passes control.maxBodyBytes, without waiting for its end', async () => {
    const chunk = 'x'.repeat(128 * 1024);
    const chunks = Array.from({ length: 8 }, (_, index) => `${chunk.length.toString(16)}\r\n${index === 0 ? `{"data":{"k":"${chunk.slice(14)}` : chunk}\r\n`);
    // The terminating chunk is never sent.
    const answer = await rawRequest(junction.port, `PUT /api/v1/namespaces/default/configmaps/big HTTP/1.1\r\nHost: junction\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`, chunks);
    expectProblem(answer, 413, 'JUNCTION_RESOURCE_TOO_LARGE');
  });

  it('still calls a body above ingress.maxBodyBytes an event too large (JUNCTION_EVENT_TOO_LARGE)', async () => {
    const answer = await rawRequest(
      junction.port,
      `POST /default/default HTTP/1.1\r\nHost: junction\r\nContent-Type: application/cloudevents+json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n`,
      ['{"specversion":"1.0"'],
    );
    expectProblem(answer, 413, 'JUNCTION_EVENT_TOO_LARGE');
  });

  it('answers a resource nested 50,000 levels deep with 400 JUNCTION_BAD_REQUEST, on PUT and on PATCH', async () => {
    const put = await junction.call('PUT', `${BROKERS}/deep`, `{"spec":{"delivery":${nested(50_000)}}}`, { 'content-type': 'application/json' });
    expectProblem(put, 400, 'JUNCTION_BAD_REQUEST');
    expect(put.json.detail).toMatch(/nests deeper than \d+ levels/);

    const broker = await junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'patched', namespace: 'default' }, spec: {} });
    const patch = await junction.call('PATCH', `${BROKERS}/patched`, `{"metadata":{"annotations":${nested(50_000)}}}`, { 'content-type': 'application/merge-patch+json' });
    expectProblem(patch, 400, 'JUNCTION_BAD_REQUEST');
    const stored = await junction.call('GET', `${BROKERS}/patched`);
    expect(stored.json.metadata.generation).toBe(1);
    expect(stored.json.metadata.annotations).toEqual(broker.metadata.annotations);
    // The server is still there and serves the next request.
    expect((await junction.call('GET', '/healthz')).status).toBe(200);
  });

  it('counts only real nesting: brackets and escaped quotes inside strings are data', async () => {
    const value = `${'{['.repeat(300)}\\"${'}]'.repeat(300)}`;
    const created = await junction.call('PUT', '/api/v1/namespaces/default/configmaps/brackets', JSON.stringify({ data: { value } }), { 'content-type': 'application/json' });
    expect(created.status).toBe(201);
    expect(created.json.data.value).toBe(value);
  });

  it('accepts a name of 253 characters (the Kubernetes maximum) in the URL', async () => {
    const name = `${'a'.repeat(250)}-cm`.slice(0, 253);
    const created = await junction.call('PUT', `/api/v1/namespaces/default/configmaps/${name}`, JSON.stringify({ data: { k: 'v' } }), { 'content-type': 'application/json' });
    expect(created.status).toBe(201);
    expect(created.json.metadata.name).toBe(name);
  });
});
