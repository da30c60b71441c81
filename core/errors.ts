/**
 * The catalog of every error a Junction user can see. Each entry has a stable code, an HTTP status
 * and a one-line title; HTTP answers render them as RFC 9457 `application/problem+json`, the CLI as
 * one line. docs/errors.md documents every code (a test checks that it does).
 */
export const errorCatalog = {
  JUNCTION_BAD_REQUEST: { status: 400, title: 'The request is malformed' },
  JUNCTION_EVENT_INVALID: { status: 400, title: 'The CloudEvent is invalid' },
  JUNCTION_EVENT_TOO_LARGE: { status: 413, title: 'The request body is larger than the configured limit' },
  JUNCTION_RESOURCE_TOO_LARGE: { status: 413, title: 'The request body is larger than the control API accepts' },
  JUNCTION_HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are larger than the server accepts' },
  JUNCTION_REQUEST_TIMEOUT: { status: 408, title: 'The request did not arrive in time' },
  JUNCTION_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The event format is not supported' },
  JUNCTION_CONTENT_ENCODING_UNSUPPORTED: { status: 415, title: 'The request body content coding is not supported' },
  JUNCTION_METHOD_NOT_ALLOWED: { status: 405, title: 'The HTTP method is not allowed here' },
  JUNCTION_NOT_FOUND: { status: 404, title: 'No such route' },
  JUNCTION_BROKER_NOT_FOUND: { status: 404, title: 'The broker does not exist' },
  JUNCTION_BROKER_NOT_READY: { status: 503, title: 'The broker is not ready' },
  JUNCTION_CHANNEL_NOT_FOUND: { status: 404, title: 'The channel does not exist' },
  JUNCTION_CHANNEL_NOT_READY: { status: 503, title: 'The channel is not ready' },
  JUNCTION_STORAGE_UNAVAILABLE: { status: 503, title: 'Event storage is unavailable' },
  JUNCTION_WEBHOOK_SIGNATURE_MISSING: { status: 401, title: 'The webhook request carries no signature' },
  JUNCTION_WEBHOOK_SIGNATURE_INVALID: { status: 401, title: 'The webhook signature does not match' },
  JUNCTION_WEBHOOK_TIMESTAMP_STALE: { status: 401, title: 'The webhook timestamp is outside the replay window' },
  JUNCTION_WEBHOOK_PAYLOAD_INVALID: { status: 400, title: 'The webhook body cannot be read as the provider sends it' },
  JUNCTION_SOURCE_NOT_FOUND: { status: 404, title: 'The source does not exist' },
  JUNCTION_SOURCE_NOT_READY: { status: 503, title: 'The source or its sink is not ready' },
  JUNCTION_SINK_UNAVAILABLE: { status: 503, title: 'The sink did not accept the event' },
  JUNCTION_SHUTTING_DOWN: { status: 503, title: 'Junction is shutting down' },
  JUNCTION_SERVICE_OVERLOADED: { status: 503, title: 'Too many requests are waiting for the service' },
  JUNCTION_SERVICE_UNAVAILABLE: { status: 503, title: 'The service has no replica that can answer' },
  JUNCTION_SERVICE_TIMEOUT: { status: 504, title: 'The service did not answer in time' },
  JUNCTION_SERVICE_FAILED: { status: 502, title: 'The service replica failed while answering' },
  JUNCTION_UNAUTHENTICATED: { status: 401, title: 'A valid bearer token is required' },
  JUNCTION_FORBIDDEN: { status: 403, title: 'The token does not allow this' },
  JUNCTION_QUOTA_RATE: { status: 429, title: 'The namespace ingest rate quota is exhausted' },
  JUNCTION_QUOTA_BATCH_SIZE: { status: 413, title: 'The batch holds more events than the namespace ingest burst allows' },
  JUNCTION_QUOTA_EVENT_SIZE: { status: 413, title: 'The event is larger than the namespace quota allows' },
  JUNCTION_QUOTA_RESOURCES: { status: 429, title: 'The namespace resource count quota is exhausted' },
  JUNCTION_RESOURCE_INVALID: { status: 400, title: 'The resource is invalid' },
  JUNCTION_RESOURCE_NOT_FOUND: { status: 404, title: 'The resource does not exist' },
  JUNCTION_RESOURCE_EXISTS: { status: 409, title: 'The resource already exists' },
  JUNCTION_RESOURCE_CONFLICT: { status: 409, title: 'The resource was changed by someone else (resourceVersion conflict)' },
  JUNCTION_FIELD_IMMUTABLE: { status: 400, title: 'A field that cannot change after creation was changed' },
  JUNCTION_KIND_UNKNOWN: { status: 404, title: 'The resource kind is not known' },
  JUNCTION_FILTER_INVALID: { status: 400, title: 'The trigger filter is invalid' },
  JUNCTION_FILTER_DIALECT_UNSUPPORTED: { status: 400, title: 'The trigger filter dialect is not supported yet' },
  JUNCTION_FILTER_CESQL_INVALID: { status: 400, title: 'The CESQL filter expression is invalid' },
  JUNCTION_REPLAY_INVALID: { status: 400, title: 'The replay request is invalid' },
  JUNCTION_CONFIG_INVALID: { status: 400, title: 'The configuration is invalid' },
  JUNCTION_DELIVERY_FAILED: { status: 502, title: 'The subscriber did not accept the event' },
  JUNCTION_REPLY_INVALID: { status: 502, title: 'The subscriber replied with an invalid CloudEvent' },
  JUNCTION_SERVER_UNREACHABLE: { status: 503, title: 'The Junction server cannot be reached' },
  JUNCTION_CLI_USAGE: { status: 400, title: 'The command line is invalid' },
  JUNCTION_PLUGIN_FAILED: { status: 500, title: 'The CLI plugin could not be started' },
  JUNCTION_INTERNAL: { status: 500, title: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof errorCatalog;

/** One problem with a field of the input, as Knative's apis.FieldError: a path and a message. */
export interface FieldProblem {
  path: string;
  message: string;
  /** A more specific catalog code for this problem (e.g. an unsupported filter dialect). */
  code?: ErrorCode;
}

/** An error a user can see: a catalog code, a human message and, for input errors, every problem found. */
export class JunctionError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly problems: FieldProblem[];
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message?: string,
    options: { problems?: FieldProblem[]; headers?: Record<string, string>; extra?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message ?? errorCatalog[code].title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JunctionError';
    this.code = code;
    this.status = errorCatalog[code].status;
    this.problems = options.problems ?? [];
    this.headers = options.headers ?? {};
    this.extra = options.extra ?? {};
  }
}

/** Creates a catalog error; `message` defaults to the catalog title. */
export function createError(
  code: ErrorCode,
  message?: string,
  options?: ConstructorParameters<typeof JunctionError>[2],
): JunctionError {
  return new JunctionError(code, message, options);
}

/** An RFC 9457 problem document. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

/** Renders an error as an RFC 9457 problem document; unknown errors become JUNCTION_INTERNAL without leaking internals. */
export function toProblem(error: unknown, instance?: string): ProblemDocument {
  const junctionError = error instanceof JunctionError ? error : createError('JUNCTION_INTERNAL');
  const problem: ProblemDocument = {
    type: `https://junction.dev/errors#${junctionError.code}`,
    title: errorCatalog[junctionError.code].title,
    status: junctionError.status,
    code: junctionError.code,
    detail: junctionError.message,
    ...junctionError.extra,
  };
  if (instance) problem.instance = instance;
  if (junctionError.problems.length > 0) problem.errors = junctionError.problems;
  return problem;
}

/** True when `value` is a JunctionError with the given code. */
export function isJunctionError(value: unknown, code?: ErrorCode): value is JunctionError {
  return value instanceof JunctionError && (code === undefined || value.code === code);
}
