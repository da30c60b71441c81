import { describe } from 'vitest';
import { cases } from './table.js';

// Spec 2: keywords (operators, TRUE/FALSE, function names) are case-insensitive; attribute names
// are lowercase by the CloudEvents naming convention (see attributes.test.ts); String comparison
// and LIKE are case sensitive.
describe('2 keywords are case-insensitive', () => {
  cases([
    { expression: 'TRUE and FALSE', value: false },
    { expression: 'true Or false', value: true },
    { expression: 'true xor TRUE', value: false },
    { expression: 'not false', value: true },
    { expression: "'abc' like 'a%'", value: true },
    { expression: "'abc' not LIKE 'a%'", value: false },
    { expression: "'abc' Not Like 'a%'", value: false },
    { expression: "'a' in ('a')", value: true },
    { expression: "'a' not in ('a')", value: false },
    { expression: 'exists id', value: true },
    { expression: 'eXiStS id', value: true },
    { expression: 'abs(-1)', value: 1 },
    { expression: 'aBs(-1)', value: 1 },
    { expression: "concat_ws('-', 'a', 'b')", value: 'a-b' },
    { expression: "Substring('abc', 2)", value: 'bc' },
    { expression: "is_int('1')", value: true },
  ]);
});

describe('2 values stay case sensitive', () => {
  cases([
    { expression: "'abc' = 'ABC'", value: false },
    { expression: "'abc' LIKE 'A%'", value: false },
    { expression: "type = 'COM.EXAMPLE.ORDER.CREATED'", value: false },
    { expression: "LOWER(type) = 'com.example.order.created'", value: true },
  ]);
});
