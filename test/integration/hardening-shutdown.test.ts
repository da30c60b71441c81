import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startTestJunction } from '../support/junction.js';
import { collectAnswers } from '../support/raw-http.js';

// Issue #13: a request that reaches Junction on a keep-alive connection after the shutdown began is
// refused with a problem document (503 JUNCTION_SHUTTING_DOWN, connection closed after it), not
// fastify's own JSON, while the request already running on that connection still completes.

describe('requests during shutdown', () => {
  it('answers a request arriving after the shutdown began with 503 JUNCTION_SHUTTING_DOWN and finishes the one running', async () => {
    const junction = await startTestJunction();
    await junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', namespace: 'default' }, spec: {} });
    await junction.waitReady('brokers', 'default', 'default');

    const event = JSON.stringify({ specversion: '1.0', id: 'running-1', source: '/shutdown', type: 'dev.example.t', data: { n: 1 } });
    const socket = connect(junction.port, '127.0.0.1');
    const received = collectAnswers(socket);
    const final = () => received.answers.filter((answer) => answer.status >= 200);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // The first request is under way when the shutdown begins: Junction has taken its headers (its
    // 100 Continue says so) and waits for its body.
    socket.write(`POST /default/default HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-type: application/cloudevents+json\r\ncontent-length: ${Buffer.byteLength(event)}\r\n\r\n`);
    await eventually(() => expect(received.answers.map((answer) => answer.status)).toContain(100));
    const stopped = junction.stop();
    // Then its body ends and a second request follows on the same keep-alive connection.
    socket.write(event);
    socket.write('GET /apis/eventing.knative.dev/v1/namespaces/default/brokers HTTP/1.1\r\nhost: x\r\n\r\n');
    await eventually(() => expect(final(), JSON.stringify(received.answers)).toHaveLength(2));
    socket.destroy();
    await stopped;

    const [running, late] = final();
    expect(running!.status).toBe(202);
    expect(late!.status).toBe(503);
    expect(late!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(late!.headers.connection).toBe('close');
    expect(late!.json).toMatchObject({ status: 503, code: 'JUNCTION_SHUTTING_DOWN' });
  });
});
