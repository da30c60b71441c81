import { connect, type Socket } from 'node:net';

/** An HTTP answer read off a raw socket: status, lower-cased headers, body text, parsed JSON body if any. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: any;
}

/**
 * Sends `head` (and then `body` chunks, one per write) over a plain TCP connection to 127.0.0.1:`port`
 * and resolves with the first HTTP answer, as soon as it is complete; the request need not be. For
 * what an HTTP client would refuse to send: malformed framing, oversized headers, bodies never finished.
 */
export function rawRequest(port: number, head: string, body: Array<string | Buffer> = []): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      const answer = parseAnswer(received);
      if (!answer && !error) return;
      settled = true;
      socket.destroy();
      if (answer) resolve(answer);
      else reject(new Error(`no HTTP answer (${error?.message}); got ${JSON.stringify(received.toString('latin1').slice(0, 200))}`));
    };
    socket.on('connect', () => {
      socket.write(head);
      for (const chunk of body) if (!socket.destroyed) socket.write(chunk);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finish();
    });
    // The server may reset a connection whose request it did not read to the end: what came before counts.
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(new Error('connection closed')));
  });
}

/** The answer in `bytes` once its head and Content-Length bytes of body are there, else undefined. */
function parseAnswer(bytes: Buffer): RawAnswer | undefined {
  return splitAnswer(bytes)?.answer;
}

/** The first answer in `bytes` and how many bytes it took, once it is complete; else undefined. */
function splitAnswer(bytes: Buffer): { answer: RawAnswer; length: number } | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine?.split(' ')[1]);
  // An interim answer (100 Continue) has no body.
  const length = status >= 100 && status < 200 ? 0 : Number(headers['content-length'] ?? 0);
  if (bytes.length < end + 4 + length) return undefined;
  const body = bytes.subarray(end + 4, end + 4 + length).toString('utf8');
  let json: any;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  return { answer: { status, headers, body, json }, length: end + 4 + length };
}

/**
 * Collects every answer that arrives on `socket` (pipelined requests, interim 1xx answers
 * included, in order) into `answers`, for tests that write the requests themselves.
 */
export function collectAnswers(socket: Socket): { answers: RawAnswer[] } {
  const collected = { answers: [] as RawAnswer[] };
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (let next = splitAnswer(buffer); next; next = splitAnswer(buffer)) {
      collected.answers.push(next.answer);
      buffer = buffer.subarray(next.length);
    }
  });
  return collected;
}
