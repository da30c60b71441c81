import { CesqlParseError } from './parse-error.js';

/** A lexical token; `offset` is the 0-based UTF-16 index, `position` the 1-based code point position. */
export interface Token {
  type: 'integer' | 'string' | 'word' | 'symbol' | 'end';
  /** The source text of the token (for strings: with quotes). */
  text: string;
  /** Strings: the value with escapes resolved. */
  value: string;
  offset: number;
  position: number;
}

const symbols = ['!=', '<>', '<=', '>=', '(', ')', ',', '+', '-', '*', '/', '%', '=', '<', '>'];
const whitespace = new Set([' ', '\t', '\r', '\n']);
const isWordChar = (char: string): boolean => /^[A-Za-z0-9_]$/.test(char);

/** Reads a quoted string starting at `start`; `\<quote>` is the quote itself, any other `\` is kept (spec 2.2). */
function readString(source: string, start: number): { value: string; end: number } {
  const quote = source[start];
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const char = source[i];
    if (char === quote) return { value, end: i + 1 };
    if (char === '\\' && source[i + 1] === quote) {
      value += quote;
      i += 2;
    } else {
      value += char;
      i += 1;
    }
  }
  throw new CesqlParseError(source, start, 'unterminated string literal (no closing ' + quote + ')');
}

/** Splits an expression into tokens; throws CesqlParseError on a character no token can start with. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let position = 1;
  const push = (type: Token['type'], end: number, value = ''): void => {
    const text = source.slice(i, end);
    tokens.push({ type, text, value, offset: i, position });
    position += Array.from(text).length;
    i = end;
  };
  while (i < source.length) {
    const char = source[i];
    if (whitespace.has(char)) {
      i += 1;
      position += 1;
    } else if (char === "'" || char === '"') {
      const { value, end } = readString(source, i);
      push('string', end, value);
    } else if (isWordChar(char)) {
      let end = i + 1;
      while (end < source.length && isWordChar(source[end])) end += 1;
      push(/^[0-9]+$/.test(source.slice(i, end)) ? 'integer' : 'word', end);
    } else {
      const symbol = symbols.find((candidate) => source.startsWith(candidate, i));
      if (!symbol) {
        const shown = String.fromCodePoint(source.codePointAt(i) ?? 0);
        const hint = shown === '!' ? " (did you mean '!='?)" : '';
        throw new CesqlParseError(source, i, `unexpected character ${JSON.stringify(shown)}${hint}`);
      }
      push('symbol', i + symbol.length);
    }
  }
  tokens.push({ type: 'end', text: '', value: '', offset: source.length, position });
  return tokens;
}
