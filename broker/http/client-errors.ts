import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { createError, toProblem, type JunctionError } from '../../core/errors.js';

/**
 * Answers requests that Node's HTTP parser refused before any route saw them (fastify's
 * `clientErrorHandler`): headers too large (431 JUNCTION_HEADERS_TOO_LARGE), headers that came too
 * slowly (408 JUNCTION_REQUEST_TIMEOUT), anything malformed, such as Content-Length together with
 * chunked transfer encoding (400 JUNCTION_BAD_REQUEST), as problem documents; then closes the connection.
 */
export function answerClientError(error: Error & { code?: string; reason?: unknown }, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem = toProblem(classify(error));
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  } else socket.destroy();
}

function classify(error: Error & { code?: string; reason?: unknown }): JunctionError {
  if (error.code === 'HPE_HEADER_OVERFLOW') return createError('JUNCTION_HEADERS_TOO_LARGE', 'the request line and headers are larger than the server accepts');
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return createError('JUNCTION_REQUEST_TIMEOUT', 'the request did not arrive in time');
  // llhttp's reason says what was wrong (e.g. "Content-Length can't be present with Transfer-Encoding").
  const reason = typeof error.reason === 'string' && error.reason !== '' ? error.reason : 'the request could not be parsed';
  return createError('JUNCTION_BAD_REQUEST', `malformed HTTP request: ${reason}`);
}

