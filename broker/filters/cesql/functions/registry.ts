import type { FunctionDefinition } from './definition.js';
import { stringFunctions } from './string-functions.js';
import { valueFunctions } from './value-functions.js';

const byName = new Map<string, FunctionDefinition[]>();
for (const definition of [...stringFunctions, ...valueFunctions]) {
  byName.set(definition.name, [...(byName.get(definition.name) ?? []), definition]);
}

/**
 * The built-in overload of `name` (upper case) that takes `arity` arguments: an exact fixed arity
 * first, else a variadic one whose fixed part fits (spec 3.5). Undefined: a MissingFunctionError.
 */
export function findFunction(name: string, arity: number): FunctionDefinition | undefined {
  const overloads = byName.get(name) ?? [];
  return (
    overloads.find((definition) => !definition.variadic && definition.parameters.length === arity) ??
    overloads.find((definition) => definition.variadic !== undefined && arity >= definition.parameters.length)
  );
}

/** The arities `name` accepts, for messages (`2 or 3`, `1 or more`); undefined when no such function. */
export function aritiesOf(name: string): string | undefined {
  const overloads = byName.get(name);
  if (!overloads) return undefined;
  return overloads.map((definition) => (definition.variadic ? `${definition.parameters.length} or more` : String(definition.parameters.length))).join(' or ');
}
