import type { ErrorObject } from 'ajv';
import type { FieldProblem } from '../errors.js';
import { formatMessages, validateCloudEventSchema } from './schema.js';

/** Message for a required attribute that is absent (or null, which the JSON format reads as unset). */
export const MISSING_MESSAGE = 'required attribute is missing';

const TYPE_WORDS: Record<string, string> = { string: 'a string', integer: 'an integer', boolean: 'a boolean' };
const INTEGER_RANGE_MESSAGE = 'must be an integer from -2147483648 to 2147483647 (32-bit signed)';

/**
 * Checks an event in the JSON-format shape against CloudEvents 1.0 and returns every violation,
 * each with the attribute name as path; [] when the event is valid.
 */
export function validateEvent(event: Record<string, unknown>): FieldProblem[] {
  if (validateCloudEventSchema(event)) return [];
  const problems: FieldProblem[] = [];
  for (const error of validateCloudEventSchema.errors ?? []) {
    // propertyNames reports the failing name twice (the inner format and the keyword itself).
    if ('propertyName' in error) continue;
    problems.push(toProblem(error, event));
  }
  return problems;
}

function toProblem(error: ErrorObject, event: Record<string, unknown>): FieldProblem {
  const path = error.instancePath.slice(1).replaceAll('~1', '/').replaceAll('~0', '~');
  switch (error.keyword) {
    case 'required':
      return { path: String(error.params.missingProperty), message: MISSING_MESSAGE };
    case 'propertyNames':
      return { path: String(error.params.propertyName), message: formatMessages['ce-attribute-name'] };
    case 'not':
      return { path: 'data_base64', message: 'must not be present together with data' };
    case 'const':
      return { path, message: `must be ${JSON.stringify(error.params.allowedValue)}` };
    case 'minLength':
      return { path, message: 'must be a non-empty string' };
    case 'minimum':
    case 'maximum':
      return { path, message: INTEGER_RANGE_MESSAGE };
    case 'format':
      return { path, message: formatMessages[String(error.params.format)] ?? error.message ?? 'is invalid' };
    case 'type':
      return { path, message: typeMessage(path, error.params.type, event) };
    default:
      return { path, message: error.message ?? 'is invalid' };
  }
}

function typeMessage(path: string, expected: unknown, event: Record<string, unknown>): string {
  if (path === '') return 'must be a JSON object';
  // The JSON format reads null as "unset", so a null required attribute is a missing one.
  if (event[path] === null) return MISSING_MESSAGE;
  const words = (Array.isArray(expected) ? expected : [expected]).filter((type) => type !== 'null').map((type) => TYPE_WORDS[type] ?? type);
  const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words[0];
  return `must be ${list}`;
}
