import type { Node } from './ast.js';
import { attribute, exists } from './attributes.js';
import { constant, type Compiled } from './compiled.js';
import { raise, type EvaluationContext } from './errors.js';
import { aritiesOf, findFunction } from './functions/registry.js';
import { andOperator, notOperator, orOperator, xorOperator } from './logic-operators.js';
import { inOperator, likeOperator } from './set-operators.js';
import { arithmeticOperator, comparisonOperator, equalityOperator, negateOperator } from './value-operators.js';
import { castTo, zeroOf, type Value, type ValueType } from './values.js';

/** A call no built-in function answers: it evaluates to false with a MissingFunctionError (spec 3.5). */
export interface MissingFunctionCall {
  name: string;
  arity: number;
  /** 1-based position of the function name. */
  position: number;
  message: string;
}

/** Turns a syntax tree into nested closures, folding sub-expressions that do not read the event. */
export class Compiler {
  readonly missingFunctions: MissingFunctionCall[] = [];

  compile(node: Node): Compiled {
    const compiled = this.compileNode(node);
    return compiled.reads || compiled.constant ? compiled : fold(compiled);
  }

  private compileNode(node: Node): Compiled {
    switch (node.kind) {
      case 'literal':
        return constant(node.value);
      case 'attribute':
        return attribute(node.name, node.position);
      case 'exists':
        return exists(node.name);
      case 'unary': {
        const operand = this.compile(node.operand);
        if (node.operator === 'NOT') return derived(notOperator(operand, node.position), 'boolean', [operand]);
        return derived(negateOperator(operand, node.position), 'integer', [operand]);
      }
      case 'like': {
        const operand = this.compile(node.operand);
        return derived(likeOperator(operand, node.pattern, node.negated), 'boolean', [operand]);
      }
      case 'in': {
        const [operand, set] = [this.compile(node.operand), node.set.map((element) => this.compile(element))];
        return derived(inOperator(operand, set, node.negated, node.position), 'boolean', [operand, ...set]);
      }
      case 'binary':
        return this.binary(node.operator, this.compile(node.left), this.compile(node.right), node.position);
      case 'call':
        return this.call(node.name, node.args, node.position);
    }
  }

  private binary(operator: string, left: Compiled, right: Compiled, position: number): Compiled {
    const parts = [left, right];
    switch (operator) {
      case 'AND':
        return derived(andOperator(left, right, position), 'boolean', parts);
      case 'OR':
        return derived(orOperator(left, right, position), 'boolean', parts);
      case 'XOR':
        return derived(xorOperator(left, right, position), 'boolean', parts);
      case '=':
      case '!=':
      case '<>':
        return derived(equalityOperator(operator !== '=', left, right, position), 'boolean', parts);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return derived(comparisonOperator(operator, left, right, position), 'boolean', parts);
      default:
        return derived(arithmeticOperator(operator, left, right, position), 'integer', parts);
    }
  }

  private call(name: string, args: Node[], position: number): Compiled {
    const definition = findFunction(name, args.length);
    if (!definition) {
      const arities = aritiesOf(name);
      const message = arities
        ? `${name} takes ${arities} argument(s), not ${args.length}`
        : `no function ${name} (built-ins: ABS, BOOL, CONCAT, CONCAT_WS, INT, IS_BOOL, IS_INT, LEFT, LENGTH, LOWER, RIGHT, STRING, SUBSTRING, TRIM, UPPER)`;
      this.missingFunctions.push({ name, arity: args.length, position, message });
      // Arguments are never evaluated, but compiling them reports missing functions nested inside.
      for (const arg of args) this.compile(arg);
      const evaluate = (context: EvaluationContext): Value => {
        raise(context, 'missingFunction', message, position);
        return false;
      };
      return { evaluate, type: 'boolean', reads: false };
    }
    const compiledArgs = args.map((arg) => this.compile(arg));
    const evaluators = compiledArgs.map((arg) => arg.evaluate);
    const types: ValueType[] = compiledArgs.map((_, i) => definition.parameters[i] ?? definition.variadic ?? 'any');
    const casts = types.map((type, i) => type !== 'any' && type !== compiledArgs[i].type);
    const zero = zeroOf(definition.returns);
    const evaluate = (context: EvaluationContext): Value => {
      const values: Value[] = new Array(evaluators.length);
      for (let i = 0; i < evaluators.length; i++) {
        values[i] = evaluators[i](context);
        if (context.errors !== null) return zero;
      }
      for (let i = 0; i < values.length; i++) if (casts[i]) values[i] = castTo(types[i], values[i], context, position);
      return definition.invoke(values, context, position);
    };
    return derived(evaluate, definition.returns, compiledArgs);
  }
}

function derived(evaluate: Compiled['evaluate'], type: ValueType, parts: Compiled[]): Compiled {
  return { evaluate, type, reads: parts.some((part) => part.reads) };
}

/** Evaluates a sub-expression that does not read the event once; keeps it as is when it raises errors. */
function fold(compiled: Compiled): Compiled {
  const context: EvaluationContext = { event: {}, errors: null };
  const value = compiled.evaluate(context);
  return context.errors === null ? constant(value) : compiled;
}
