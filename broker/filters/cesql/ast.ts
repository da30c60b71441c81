/**
 * The syntax tree of a CESQL expression. Every node carries `position`: the 1-based character
 * offset of its operator, function name, attribute or literal in the source text.
 */
export type Node =
  | { kind: 'literal'; value: boolean | number | string; position: number }
  | { kind: 'attribute'; name: string; position: number }
  | { kind: 'exists'; name: string; position: number }
  | { kind: 'unary'; operator: 'NOT' | '-'; operand: Node; position: number }
  | { kind: 'binary'; operator: BinaryOperator; left: Node; right: Node; position: number }
  | { kind: 'like'; negated: boolean; operand: Node; pattern: string; position: number }
  | { kind: 'in'; negated: boolean; operand: Node; set: Node[]; position: number }
  | { kind: 'call'; name: string; args: Node[]; position: number };

/** Binary operators of spec 2.3 (`<>` is kept apart from `!=` only for messages). */
export type BinaryOperator = 'AND' | 'OR' | 'XOR' | '=' | '!=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';
