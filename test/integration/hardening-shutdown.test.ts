import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startTestJunction } from '../support/junction.js';

// Issue #13: a request that reaches Junction on a keep-alive connection after the shutdown began is
// refused with a problem document (503 JUNCTION_SHUTTING_DOWN, connection closed after it), not
// fastify's own JSON, while the request already running on that connection still completes.

/** Reads HTTP answers (Content-Length framed) off `socket` as they complete. */
function answers(socket: Socket): { continued: boolean; all: Array<{ status: number; headers: Record<string, string>; json: any }> } {
  const state = { continued: false, all: [] as Array<{ status: number; headers: Record<string, string>; json: any }> };
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) headers[line.slice(0, line.indexOf(':')).trim().toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
      if (statusLine!.startsWith('HTTP/1.1 1')) {
        state.continued = true; // an interim answer (100 Continue): no body
        buffer = buffer.subarray(end + 4);
        continue;
      }
      const length = Number(headers['content-length'] ?? 0);
      if (buffer.length < end + 4 + length) return;
      const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      buffer = buffer.subarray(end + 4 + length);
      state.all.push({ status: Number(statusLine!.split(' ')[1]), headers, json: body ? JSON.parse(body) : undefined });
    }
  });
  return state;
}

describe('requests during shutdown', () => {
  it('answers a request arriving after the shutdown began with 503 JUNCTION_SHUTTING_DOWN and finishes the one running', async () => {
    const junction = await startTestJunction();
    {
      await junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', namespace: 'default' }, spec: {} });
      await junction.waitReady('brokers', 'default', 'default');

      const event = JSON.stringify({ specversion: '1.0', id: 'running-1', source: '/shutdown', type: 'dev.example.t', data: { n: 1 } });
      const socket = connect(junction.port, '127.0.0.1');
      const received = answers(socket);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      // The first request is under way when the shutdown begins: Junction has taken its headers (its
      // 100 Continue says so) and waits for its body.
      socket.write(`POST /default/default HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-type: application/cloudevents+json\r\ncontent-length: ${Buffer.byteLength(event)}\r\n\r\n`);
      await eventually(() => expect(received.continued).toBe(true));
      const stopped = junction.stop();
      // Then its body ends and a second request follows on the same keep-alive connection.
      socket.write(event);
      socket.write('GET /apis/eventing.knative.dev/v1/namespaces/default/brokers HTTP/1.1\r\nhost: x\r\n\r\n');
      await eventually(() => expect(received.all, JSON.stringify(received.all)).toHaveLength(2));
      socket.destroy();
      await stopped;

      const [running, late] = received.all;
      expect(running!.status).toBe(202);
      expect(late!.status).toBe(503);
      expect(late!.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(late!.headers.connection).toBe('close');
      expect(late!.json).toMatchObject({ status: 503, code: 'JUNCTION_SHUTTING_DOWN' });
    }
  });
});
