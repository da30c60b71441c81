import AjvModule, { type ErrorObject } from 'ajv';
import { parseDurationMs } from '../../core/duration/index.js';
import type { FieldProblem } from '../../core/errors.js';

const Ajv = AjvModule.default ?? AjvModule;

const isHttpUrl = (text: string): boolean => {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
};

const duration = { type: 'string', format: 'duration' };
const positiveDuration = { type: 'string', format: 'positive-duration' };

/** Knative's DeliverySpec (duck v1) as JSON Schema, plus Destination for `deadLetterSink`. */
const deliverySpecSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    retry: { type: 'integer', minimum: 0, maximum: 2147483647 },
    backoffPolicy: { enum: ['exponential', 'linear'] },
    backoffDelay: duration,
    timeout: positiveDuration,
    retryAfterMax: duration,
    backoffMax: positiveDuration,
    format: { enum: ['json', 'binary'] },
    deadLetterSink: {
      type: 'object',
      additionalProperties: false,
      anyOf: [{ required: ['uri'] }, { required: ['ref'] }],
      // With a ref, uri may be relative: it is resolved against the ref's address (Knative's Destination).
      if: { required: ['ref'] },
      then: { properties: { uri: { type: 'string', minLength: 1 } } },
      else: { properties: { uri: { type: 'string', format: 'http-url' } } },
      properties: {
        uri: { type: 'string' },
        ref: {
          type: 'object',
          required: ['apiVersion', 'kind', 'name'],
          properties: {
            apiVersion: { type: 'string', minLength: 1 },
            kind: { type: 'string', minLength: 1 },
            name: { type: 'string', minLength: 1 },
            namespace: { type: 'string' },
          },
        },
        CACerts: { type: 'string' },
        audience: { type: 'string' },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
ajv.addFormat('duration', { type: 'string', validate: (text: string) => parseDurationMs(text) !== undefined });
ajv.addFormat('positive-duration', { type: 'string', validate: (text: string) => (parseDurationMs(text) ?? 0) > 0 });
ajv.addFormat('http-url', { type: 'string', validate: isHttpUrl });
const validateSchema = ajv.compile(deliverySpecSchema);

const join = (base: string, rest: string): string => (base && rest ? `${base}.${rest}` : base || rest);

const formatMessages: Record<string, string> = {
  duration: 'must be an ISO-8601 duration such as PT0.5S',
  'positive-duration': 'must be an ISO-8601 duration greater than zero, such as PT30S',
  'http-url': 'must be an absolute http or https URL',
};

/** Turns one ajv error into a Knative-style field problem under `base`. */
function toProblem(error: ErrorObject, base: string): FieldProblem {
  const at = join(base, error.instancePath.slice(1).replaceAll('/', '.'));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: join(at, String(params.additionalProperty)), message: 'unknown field' };
    case 'required':
      return { path: join(at, String(params.missingProperty)), message: 'required field is missing' };
    case 'anyOf':
      return { path: at, message: 'expected a uri (or a ref that resolves to one)' };
    case 'enum':
      return { path: at, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'format':
      return { path: at, message: formatMessages[String(params.format)] ?? 'has an invalid format' };
    case 'minLength':
      return { path: at, message: 'must be a non-empty string' };
    case 'minimum':
      return { path: at, message: 'must not be negative' };
    case 'maximum':
      return { path: at, message: `must be at most ${String(params.limit)}` };
    default:
      return { path: at || '(root)', message: error.message ?? 'is invalid' };
  }
}

/**
 * Checks a `delivery` section as Knative's webhook does and returns every problem with its path
 * (prefixed by `path`, e.g. `spec.delivery`); an empty list means valid. `undefined` is valid.
 */
export function validateDeliverySpec(spec: unknown, path: string): FieldProblem[] {
  if (spec === undefined || spec === null) return [];
  if (validateSchema(spec)) return [];
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const error of validateSchema.errors ?? []) {
    // anyOf branches report their own `required` misses; the anyOf summary says it once.
    if (error.schemaPath.includes('/anyOf/')) continue;
    // A failed then/else reports its own problem; the `if` summary adds nothing.
    if (error.keyword === 'if') continue;
    const problem = toProblem(error, path);
    const key = `${problem.path}\n${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}
