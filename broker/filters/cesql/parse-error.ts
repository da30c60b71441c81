/**
 * A syntax error in a CESQL expression (a ParseError of spec 3.3), thrown by `compile`.
 * `position` is 1-based: the character (Unicode code point) where the problem is, counted from 1
 * at the start of the expression; `line` and `column` (both 1-based) say the same for multi-line
 * expressions. The message names the column, e.g. `unexpected ')' at column 8`.
 */
export class CesqlParseError extends Error {
  readonly kind = 'parse' as const;
  /** 1-based character position in the whole expression. */
  readonly position: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column on that line. */
  readonly column: number;

  /** `offset` is the 0-based UTF-16 index into `source`; `problem` the text before " at column N". */
  constructor(source: string, offset: number, problem: string) {
    const before = Array.from(source.slice(0, offset));
    const lineStart = before.lastIndexOf('\n') + 1;
    const line = before.filter((char) => char === '\n').length + 1;
    const column = before.length - lineStart + 1;
    super(line === 1 ? `${problem} at column ${column}` : `${problem} at line ${line}, column ${column}`);
    this.name = 'CesqlParseError';
    this.position = before.length + 1;
    this.line = line;
    this.column = column;
  }
}
