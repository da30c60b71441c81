import { childPath } from './attribute-value.js';
import type { DialectRegistry } from './dialect-registry.js';
import type { ExpressionCompiler, FilterDialect, FilterProblem, IndexCover, Predicate } from './types.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The compiler of Subscriptions API filter expressions: each expression is an object with exactly
 * one dialect key, and the dialect comes from the registry (looked up at call time, so dialects
 * registered later work without changes here).
 */
export function createExpressionCompiler(registry: DialectRegistry): ExpressionCompiler {
  const dialectOf = (expression: unknown): [FilterDialect, unknown] => {
    const [name, value] = Object.entries(expression as Record<string, unknown>)[0];
    const dialect = registry.get(name);
    if (!dialect) throw new Error(`filter dialect ${name} is not registered (validate before compiling)`);
    return [dialect, value];
  };

  const compiler: ExpressionCompiler = {
    validate(expression, path) {
      const dialects = (): string => registry.names().join(', ');
      if (!isPlainObject(expression)) return [{ path, message: `must be an object with exactly one filter dialect (${dialects()})` }];
      const names = Object.keys(expression);
      const problems: FilterProblem[] = [];
      if (names.length !== 1) {
        const found = names.length === 0 ? 'none' : names.join(', ');
        problems.push({ path, message: `must set exactly one filter dialect (${dialects()}), found ${found}` });
      }
      for (const name of names) {
        const at = childPath(path, name);
        const dialect = registry.get(name);
        const unsupported = registry.unsupportedReason(name);
        if (dialect) problems.push(...dialect.validate(expression[name], at, compiler));
        else if (unsupported) problems.push({ path: at, message: unsupported, code: 'JUNCTION_FILTER_DIALECT_UNSUPPORTED' });
        else problems.push({ path: at, message: `unknown filter dialect; use one of ${dialects()}` });
      }
      return problems;
    },
    compile(expression): Predicate {
      const [dialect, value] = dialectOf(expression);
      return dialect.compile(value, compiler);
    },
    cover(expression): IndexCover {
      const [dialect, value] = dialectOf(expression);
      return dialect.cover?.(value, compiler) ?? {};
    },
  };
  return compiler;
}
