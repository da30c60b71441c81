import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sink } from '../../broker/index.js';
import { parseHttpEvents, type HttpHeaders } from '../../core/cloudevent/index.js';
import { createError, isJunctionError, toProblem, type JunctionError } from '../../core/errors.js';

/** Largest request a process may send to its K_SINK. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The K_SINK of a process: a loopback HTTP endpoint accepting CloudEvents for one source. */
export interface SinkRelay {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts a CloudEvents HTTP endpoint (binary, structured or batch) on 127.0.0.1 that hands what a
 * source's process posts to the source's sink and answers 202 only once the sink accepted it (503
 * when it did not, so the process retries; 400 for an invalid event). The process needs no token
 * and never learns where the sink is: the sink may be a broker in-process or any URL.
 */
export async function startSinkRelay(sink: Sink): Promise<SinkRelay> {
  const server: Server = createServer((request, response) => void handle(sink, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(sink: Sink, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    if (request.method !== 'POST') throw createError('JUNCTION_METHOD_NOT_ALLOWED', `${request.method} is not allowed: POST CloudEvents here`);
    const body = await readBody(request);
    const { events } = parseHttpEvents(request.headers as HttpHeaders, body);
    await sink.send(events);
    response.writeHead(202).end();
  } catch (error) {
    const known: JunctionError = isJunctionError(error) ? error : createError('JUNCTION_SINK_UNAVAILABLE', `the sink did not accept the events: ${(error as Error).message}`);
    response.writeHead(known.status, { 'content-type': 'application/problem+json' });
    response.end(JSON.stringify(toProblem(known)));
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(createError('JUNCTION_EVENT_TOO_LARGE', `the request body is larger than ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}
