import type { ServerResponse } from 'node:http';
import { createError, toProblem, type ErrorCode } from '../../core/errors.js';

/**
 * Answers with an RFC 9457 problem (`application/problem+json`) unless the answer already began, in
 * which case the connection is closed: a half-sent answer cannot turn into an error any more.
 */
export function answerProblem(response: ServerResponse, code: ErrorCode, detail: string): void {
  if (response.destroyed || response.writableEnded) return;
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const problem = toProblem(createError(code, detail));
  const body = JSON.stringify(problem);
  response.writeHead(problem.status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
