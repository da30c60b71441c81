import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) and the framing headers the next hop sets itself: never
 * forwarded. `expect` is answered by Node's server (undici refuses to send it); `host` becomes the
 * replica's and travels on in `x-forwarded-host`.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
]);

/** The header names a `Connection` header lists: hop-by-hop too (RFC 9110 §7.6.1). */
function connectionListed(raw: string[]): Set<string> | undefined {
  let listed: Set<string> | undefined;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    if (raw[index]!.toLowerCase() !== 'connection') continue;
    for (const name of raw[index + 1]!.split(',')) {
      const trimmed = name.trim().toLowerCase();
      if (trimmed) (listed ??= new Set()).add(trimmed);
    }
  }
  return listed;
}

/** `raw` ([name, value, …], as Node and undici hand them over) without hop-by-hop headers; repeats and order kept. */
export function endToEnd(raw: string[]): string[] {
  const listed = connectionListed(raw);
  const kept: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed?.has(lower)) continue;
    kept.push(name, raw[index + 1]!);
  }
  return kept;
}

/**
 * The headers to send a replica: the caller's end-to-end headers plus `x-forwarded-for` (the
 * caller's address appended), `x-forwarded-proto` and `x-forwarded-host` (kept when a proxy in front
 * already set them, else this hop's scheme and the caller's Host).
 */
export function upstreamHeaders(request: IncomingMessage): string[] {
  const headers: string[] = [];
  let forwardedFor: string | undefined;
  let forwardedProto: string | undefined;
  let forwardedHost: string | undefined;
  const kept = endToEnd(request.rawHeaders);
  for (let index = 0; index + 1 < kept.length; index += 2) {
    const lower = kept[index]!.toLowerCase();
    const value = kept[index + 1]!;
    if (lower === 'x-forwarded-for') forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
    else if (lower === 'x-forwarded-proto') forwardedProto ??= value;
    else if (lower === 'x-forwarded-host') forwardedHost ??= value;
    else headers.push(kept[index]!, value);
  }
  const address = request.socket.remoteAddress;
  if (address) forwardedFor = forwardedFor === undefined ? address : `${forwardedFor}, ${address}`;
  if (forwardedFor !== undefined) headers.push('x-forwarded-for', forwardedFor);
  headers.push('x-forwarded-proto', forwardedProto ?? ((request.socket as TLSSocket).encrypted ? 'https' : 'http'));
  const host = forwardedHost ?? request.headers.host;
  if (host !== undefined) headers.push('x-forwarded-host', host);
  return headers;
}

/** True when the caller sends a body (a length above 0 or chunked framing): GETs go out without a body stream. */
export function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return request.headers['transfer-encoding'] !== undefined;
}

/** undici's raw response headers (Buffers or strings) as strings, hop-by-hop ones removed. */
export function downstreamHeaders(raw: Buffer[] | string[] | null): string[] {
  if (!raw) return [];
  return endToEnd(raw.map((value) => (typeof value === 'string' ? value : value.toString('latin1'))));
}
