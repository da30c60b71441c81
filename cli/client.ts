import { request } from 'undici';
import { createError, errorCatalog, type ErrorCode, type FieldProblem, type JunctionError } from '../core/errors.js';

/** One call to the control API. */
export interface CallOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
  /** Called with the text of each `Warning` header of the answer (unknown fields the server pruned). */
  onWarning?: (text: string) => void;
}

/** A raw HTTP answer (for broker ingress, whose 202 has no body). */
export interface RawAnswer {
  status: number;
  text: string;
  /** The texts of the answer's RFC 7234 `Warning` headers. */
  warnings?: string[];
}

const statusCodes: Record<number, ErrorCode> = {
  400: 'JUNCTION_BAD_REQUEST',
  401: 'JUNCTION_UNAUTHENTICATED',
  403: 'JUNCTION_FORBIDDEN',
  404: 'JUNCTION_NOT_FOUND',
  405: 'JUNCTION_METHOD_NOT_ALLOWED',
  409: 'JUNCTION_RESOURCE_CONFLICT',
};

/**
 * Talks to a Junction server over HTTP: adds the bearer token, turns problem documents into the
 * same catalog errors the server raised, and connection failures into JUNCTION_SERVER_UNREACHABLE.
 */
export class JunctionClient {
  readonly server: string;

  constructor(server: string, private readonly token?: string) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw createError('JUNCTION_CONFIG_INVALID', `--server "${server}" is not a URL (e.g. http://127.0.0.1:8080)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw createError('JUNCTION_CONFIG_INVALID', `--server "${server}" must be an http(s) URL`);
    this.server = server.replace(/\/+$/, '');
  }

  /** Calls `path` on the server and returns the parsed JSON answer; non-2xx answers throw catalog errors. */
  async call<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: CallOptions = {}): Promise<T> {
    const answer = await this.send(method, this.urlOf(path, options.query), options);
    for (const warning of answer.warnings ?? []) options.onWarning?.(warning);
    if (answer.status >= 300) throw problemError(answer, `${method} ${path}`);
    return (answer.text ? JSON.parse(answer.text) : undefined) as T;
  }

  /** Posts raw bytes to an absolute URL (broker ingress); non-2xx answers throw catalog errors. */
  async post(url: string, headers: Record<string, string>, body: Buffer | undefined): Promise<RawAnswer> {
    const answer = await this.send('POST', url, { body, headers });
    if (answer.status >= 300) throw problemError(answer, `POST ${url}`);
    return answer;
  }

  /**
   * Follows a watch (`?watch=true`, NDJSON) and calls `onLine` with each parsed line until the server
   * ends it; an `ERROR` line (e.g. the token was revoked) throws its catalog error.
   */
  async watch(path: string, query: Record<string, string | undefined>, onLine: (value: unknown) => void): Promise<void> {
    const url = this.urlOf(path, { ...query, watch: 'true' });
    const response = await this.reach(url, () => request(url, { method: 'GET', headers: this.headers(), bodyTimeout: 0 }));
    if (response.statusCode >= 300) throw problemError({ status: response.statusCode, text: await response.body.text() }, `GET ${path}`);
    let buffered = '';
    for await (const chunk of response.body) {
      buffered += (chunk as Buffer).toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        const value = JSON.parse(line) as { type?: unknown; object?: { status?: unknown } };
        if (value.type === 'ERROR') throw problemError({ status: Number(value.object?.status) || 500, text: JSON.stringify(value.object) }, `GET ${path}`);
        onLine(value);
      }
    }
  }

  /** GETs a text stream (e.g. followed logs) and hands each chunk to `onText` until the server ends it. */
  async stream(path: string, query: Record<string, string | undefined>, onText: (text: string) => void): Promise<void> {
    const url = this.urlOf(path, query);
    const response = await this.reach(url, () => request(url, { method: 'GET', headers: { ...this.headers(), accept: 'text/plain' }, bodyTimeout: 0 }));
    if (response.statusCode >= 300) throw problemError({ status: response.statusCode, text: await response.body.text() }, `GET ${path}`);
    for await (const chunk of response.body) onText((chunk as Buffer).toString('utf8'));
  }

  /** True when GET `path` answers at all (any status), false when the server cannot be reached. */
  async reachable(path: string): Promise<boolean> {
    try {
      await this.send('GET', this.urlOf(path), {});
      return true;
    } catch {
      return false;
    }
  }

  private async send(method: string, url: string, options: CallOptions & { headers?: Record<string, string> }): Promise<RawAnswer> {
    const headers = { ...this.headers(), ...(options.headers ?? {}) };
    let body: string | Buffer | undefined;
    if (Buffer.isBuffer(options.body)) body = options.body;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    return this.reach(url, async () => {
      const response = await request(url, { method: method as 'GET', headers, body });
      return { status: response.statusCode, text: await response.body.text(), warnings: warningTexts(response.headers.warning) };
    });
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    return headers;
  }

  private urlOf(path: string, query: Record<string, string | undefined> = {}): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, value);
    const text = search.toString();
    return `${this.server}${path}${text ? `?${text}` : ''}`;
  }

  private async reach<T>(url: string, attempt: () => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (error) {
      const cause = error as Error & { code?: string; cause?: { code?: string } };
      const code = cause.code ?? cause.cause?.code;
      throw createError('JUNCTION_SERVER_UNREACHABLE', `cannot reach Junction at ${new URL(url).origin}: ${code ?? cause.message}`, { cause: error });
    }
  }
}

/** The texts of `Warning: 299 - "text"` headers (RFC 7234 §5.5, as the Kubernetes API server sends them). */
export function warningTexts(header: string | string[] | undefined): string[] {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return values.map((value) => {
    const quoted = /^\d{3} \S+ ("(?:[^"\\]|\\.)*")/.exec(value)?.[1];
    if (!quoted) return value;
    try {
      return JSON.parse(quoted) as string;
    } catch {
      return quoted.slice(1, -1);
    }
  });
}

/** The catalog error a non-2xx answer stands for: the problem document's code, detail and field problems when there is one. */
export function problemError(answer: RawAnswer, what: string): JunctionError {
  let problem: { code?: unknown; detail?: unknown; title?: unknown; errors?: unknown } | undefined;
  try {
    problem = JSON.parse(answer.text) as typeof problem;
  } catch {
    problem = undefined;
  }
  const code = typeof problem?.code === 'string' && problem.code in errorCatalog ? (problem.code as ErrorCode) : fallbackCode(answer.status);
  const detail = typeof problem?.detail === 'string' ? problem.detail : typeof problem?.title === 'string' ? problem.title : `${what} answered HTTP ${answer.status}`;
  const problems = Array.isArray(problem?.errors)
    ? (problem.errors as FieldProblem[]).filter((p) => p && typeof p.path === 'string').map((p) => ({ path: p.path, message: String(p.message) }))
    : [];
  return createError(code, detail, { problems });
}

function fallbackCode(status: number): ErrorCode {
  return statusCodes[status] ?? (status >= 500 ? 'JUNCTION_INTERNAL' : 'JUNCTION_BAD_REQUEST');
}
