import type { BinaryOperator, Node } from './ast.js';
import { tokenize, type Token } from './lexer.js';
import { CesqlParseError } from './parse-error.js';
import { INT32_MAX, INT32_MIN } from './values.js';

const keywords = new Set(['AND', 'OR', 'XOR', 'NOT', 'LIKE', 'IN', 'EXISTS', 'TRUE', 'FALSE']);
const comparisonOperators = new Set(['=', '!=', '<>', '<', '<=', '>', '>=']);
/** Attribute names are matched case-insensitively, like keywords: `SOURCE` is `source` (CloudEvents names are lower case). */
const valueIdentifier = /^[A-Za-z0-9]+$/;
const functionIdentifier = /^[A-Za-z][A-Za-z_]*$/;
/** Deeper trees are refused: no real filter needs them, and they would exhaust the stack. */
const maxDepth = 256;

/**
 * Recursive-descent parser of CESQL v1 (spec section 2), with the precedence of section 3.6, from
 * tightest to loosest: function calls and literals; unary NOT and -; LIKE; EXISTS; IN; * / %; + -;
 * comparisons; AND, OR, XOR (one level). Equal precedence associates left to right.
 */
class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private readonly depths = new WeakMap<Node, number>();
  private nesting = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parse(): Node {
    if (this.peek().type === 'end') throw this.error(this.peek(), 'the expression is empty');
    const node = this.expression();
    if (this.peek().type !== 'end') throw this.error(this.peek(), `unexpected ${describe(this.peek())}`);
    return node;
  }

  private expression(): Node {
    this.enter();
    let left = this.comparison();
    for (let op = this.keyword(); op === 'AND' || op === 'OR' || op === 'XOR'; op = this.keyword()) {
      const token = this.next();
      left = this.binary(op, left, this.comparison(), token);
    }
    this.nesting -= 1;
    return left;
  }

  private comparison(): Node {
    let left = this.additive();
    while (this.peek().type === 'symbol' && comparisonOperators.has(this.peek().text)) {
      const token = this.next();
      left = this.binary(token.text as BinaryOperator, left, this.additive(), token);
    }
    return left;
  }

  private additive(): Node {
    let left = this.multiplicative();
    while (this.isSymbol('+') || this.isSymbol('-')) {
      const token = this.next();
      left = this.binary(token.text as BinaryOperator, left, this.multiplicative(), token);
    }
    return left;
  }

  private multiplicative(): Node {
    let left = this.postfix();
    while (this.isSymbol('*') || this.isSymbol('/') || this.isSymbol('%')) {
      const token = this.next();
      left = this.binary(token.text as BinaryOperator, left, this.postfix(), token);
    }
    return left;
  }

  /** `x [NOT] LIKE 'pattern'` and `x [NOT] IN (a, b, …)`. */
  private postfix(): Node {
    let operand = this.unary();
    for (;;) {
      const start = this.peek();
      let negated = false;
      if (this.keyword() === 'NOT') {
        const after = this.tokens[this.index + 1];
        const next = after.type === 'word' ? after.text.toUpperCase() : '';
        if (next !== 'LIKE' && next !== 'IN') throw this.error(after, `expected LIKE or IN after NOT, found ${describe(after)}`);
        this.next();
        negated = true;
      }
      const op = this.keyword();
      if (op === 'LIKE') {
        this.next();
        const pattern = this.next();
        if (pattern.type !== 'string') throw this.error(pattern, `LIKE needs a string literal pattern, found ${describe(pattern)}`);
        operand = this.make({ kind: 'like', negated, operand, pattern: pattern.value, position: start.position }, [operand]);
      } else if (op === 'IN') {
        this.next();
        const open = this.next();
        if (open.text !== '(' || open.type !== 'symbol') throw this.error(open, `IN needs a parenthesised list of values, found ${describe(open)}`);
        if (this.isSymbol(')')) throw this.error(this.peek(), 'the IN list needs at least one value');
        const set = this.list();
        operand = this.make({ kind: 'in', negated, operand, set, position: start.position }, [operand, ...set]);
      } else {
        return operand;
      }
    }
  }

  private unary(): Node {
    const token = this.peek();
    if (this.keyword() === 'NOT') {
      this.next();
      this.enter();
      const operand = this.unary();
      this.nesting -= 1;
      return this.make({ kind: 'unary', operator: 'NOT', operand, position: token.position }, [operand]);
    }
    if (this.isSymbol('-') || this.isSymbol('+')) {
      this.next();
      const digits = this.peek();
      // A sign written right before digits is part of the integer literal (spec 2.2), so -2147483648 is valid.
      if (digits.type === 'integer' && digits.offset === token.offset + 1) {
        this.next();
        return this.integer(token.text + digits.text, token);
      }
      if (token.text === '+') throw this.error(token, "'+' is not a unary operator; write the number without it or right before the digits");
      this.enter();
      const operand = this.unary();
      this.nesting -= 1;
      return this.make({ kind: 'unary', operator: '-', operand, position: token.position }, [operand]);
    }
    return this.primary();
  }

  private primary(): Node {
    const token = this.next();
    if (token.type === 'integer') return this.integer(token.text, token);
    if (token.type === 'string') return { kind: 'literal', value: token.value, position: token.position };
    if (token.type === 'symbol' && token.text === '(') {
      const inner = this.expression();
      this.expect(')', `missing ')' to close the '(' at column ${token.position}`);
      return inner;
    }
    if (token.type !== 'word') throw this.error(token, token.type === 'end' ? 'the expression ends where a value was expected' : `unexpected ${describe(token)}`);
    const upper = token.text.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'literal', value: upper === 'TRUE', position: token.position };
    if (upper === 'EXISTS') {
      const name = this.next();
      if (name.type !== 'word' || keywords.has(name.text.toUpperCase())) throw this.error(name, `EXISTS needs an attribute name, found ${describe(name)}`);
      return { kind: 'exists', name: this.attributeName(name), position: token.position };
    }
    if (keywords.has(upper)) throw this.error(token, `unexpected keyword ${upper} where a value was expected`);
    if (this.isSymbol('(')) return this.call(token);
    return { kind: 'attribute', name: this.attributeName(token), position: token.position };
  }

  private call(name: Token): Node {
    if (!functionIdentifier.test(name.text)) throw this.error(name, `${JSON.stringify(name.text)} is not a function name (letters and '_' only)`);
    this.next();
    let args: Node[] = [];
    if (this.isSymbol(')')) this.next();
    else args = this.list();
    return this.make({ kind: 'call', name: name.text.toUpperCase(), args, position: name.position }, args);
  }

  /** `expression (, expression)* )` after an opening parenthesis. */
  private list(): Node[] {
    const items = [this.expression()];
    while (this.isSymbol(',')) {
      this.next();
      items.push(this.expression());
    }
    this.expect(')', `expected ',' or ')' in the list, found ${describe(this.peek())}`);
    return items;
  }

  /** The attribute a name addresses: in lower case, the only case CloudEvents attribute names have. */
  private attributeName(token: Token): string {
    if (valueIdentifier.test(token.text)) return token.text.toLowerCase();
    throw this.error(token, `${JSON.stringify(token.text)} is not an attribute name (CloudEvents names are letters and digits)`);
  }

  private integer(text: string, token: Token): Node {
    const value = Number(text);
    if (value > INT32_MAX || value < INT32_MIN) throw this.error(token, `integer literal ${text} is outside the 32-bit range`);
    return { kind: 'literal', value: value === 0 ? 0 : value, position: token.position };
  }

  private binary(operator: BinaryOperator, left: Node, right: Node, token: Token): Node {
    return this.make({ kind: 'binary', operator, left, right, position: token.position }, [left, right]);
  }

  /** Counts one level of parser recursion (parentheses, lists, unary operators) and refuses too many. */
  private enter(): void {
    this.nesting += 1;
    if (this.nesting > maxDepth) throw this.error(this.peek(), `the expression nests more than ${maxDepth} levels deep`);
  }

  /** Records a node's depth and refuses trees deeper than maxDepth. */
  private make(node: Node, children: Node[]): Node {
    const depth = 1 + Math.max(0, ...children.map((child) => this.depths.get(child) ?? 1));
    if (depth > maxDepth) throw new CesqlParseError(this.source, this.tokens[this.index - 1]?.offset ?? 0, `the expression nests more than ${maxDepth} levels deep`);
    this.depths.set(node, depth);
    return node;
  }

  private keyword(): string | undefined {
    const token = this.peek();
    return token.type === 'word' ? token.text.toUpperCase() : undefined;
  }

  private isSymbol(text: string): boolean {
    const token = this.peek();
    return token.type === 'symbol' && token.text === text;
  }

  private expect(text: string, problem: string): void {
    if (!this.isSymbol(text)) throw this.error(this.peek(), problem);
    this.next();
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.type !== 'end') this.index += 1;
    return token;
  }

  private error(token: Token, problem: string): CesqlParseError {
    return new CesqlParseError(this.source, token.offset, problem);
  }
}

function describe(token: Token): string {
  if (token.type === 'end') return 'the end of the expression';
  if (token.type === 'word' && keywords.has(token.text.toUpperCase())) return `keyword ${token.text.toUpperCase()}`;
  if (token.type === 'string') return `string ${token.text}`;
  return `'${token.text}'`;
}

/** Parses a CESQL expression into its syntax tree; throws CesqlParseError with the position of the problem. */
export function parse(source: string): Node {
  return new Parser(source).parse();
}
