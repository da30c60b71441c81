import { describe } from 'vitest';
import { cases, parseErrors } from './table.js';

// Spec 3.4.5: x [NOT] IN (y1, …): equality as by =, each element cast to the type of x.
describe('3.4.5 IN', () => {
  cases([
    { expression: '123 IN (1, 2, 3, 12, 13, 23, 123)', value: true },
    { expression: '123 NOT IN (1, 2, 3, 12, 13, 23, 123)', value: false },
    { expression: '4 IN (1, 2, 3)', value: false },
    { expression: '4 NOT IN (1, 2, 3)', value: true },
    { expression: "'abc' IN ('abc', \"bcd\")", value: true },
    { expression: "'aBc' IN ('abc', 'bcd')", value: false },
    { expression: 'TRUE IN (FALSE, TRUE)', value: true },
    { expression: 'FALSE IN (TRUE)', value: false },
    { expression: '1 IN (1)', value: true },
    // Elements take the type of x.
    { expression: "123 IN ('1', '123')", value: true },
    { expression: "'123' IN (1, 123)", value: true },
    { expression: "'0123' IN (123)", value: false },
    { expression: "TRUE IN ('true')", value: true },
    { expression: "'true' IN (TRUE)", value: true },
    { expression: 'TRUE IN (5)', value: true },
    { expression: "1 IN ('x', 1)", value: true, errors: ['cast'] },
    { expression: "0 IN ('x')", value: true, errors: ['cast'] },
    { expression: "TRUE IN ('yes', 'no')", value: false, errors: ['cast', 'cast'] },
    // Elements may be any expression, attributes included.
    { expression: 'type IN (myext, source)', value: true, event: { myext: 'com.example.order.created' } },
    { expression: 'seq IN (1 + 1, 2 * 2)', value: true, event: { seq: 4 } },
    { expression: 'seq IN (1 + 1, 2 * 2)', value: true, event: { seq: '4' } },
    { expression: 'priority IN (1, 2, 3)', value: true, event: { priority: '2' } },
    { expression: "source IN ('a', LOWER('HTTPS://EXAMPLE.COM/SOURCE'))", value: true },
    { expression: 'missing IN (1, 2, 3)', value: false, errors: ['missingAttribute'] },
    { expression: 'missing NOT IN (1, 2, 3)', value: false, errors: ['missingAttribute'] },
    { expression: "'a' IN ('a', missing)", value: false, errors: ['missingAttribute'] },
    { expression: '1 IN (1, 1 / 0)', value: false, errors: ['math'] },
  ]);
  parseErrors([
    { expression: 'x IN ()', position: 7, message: /at least one value/ },
    { expression: 'x IN 1, 2', position: 6, message: /IN needs a parenthesised list/ },
    { expression: 'x IN (1, 2', position: 11, message: /expected ',' or '\)'/ },
    { expression: 'x IN (1,)', position: 9 },
  ]);
});

// Spec 3.4.4: EXISTS identifier; always true for the REQUIRED attributes.
describe('3.4.4 EXISTS', () => {
  cases([
    { expression: 'EXISTS id', value: true },
    { expression: 'EXISTS specversion', value: true },
    { expression: 'EXISTS source', value: true },
    { expression: 'EXISTS type', value: true },
    { expression: 'EXISTS id', value: true, event: { id: undefined } },
    { expression: 'EXISTS time', value: true },
    { expression: 'EXISTS subject', value: false },
    { expression: 'EXISTS subject', value: true, event: { subject: 'Francesco Guardiani' } },
    { expression: 'EXISTS myext', value: true, event: { myext: '' } },
    { expression: 'EXISTS myext', value: true, event: { myext: false } },
    { expression: 'EXISTS myext', value: true, event: { myext: 0 } },
    { expression: 'EXISTS myext', value: false, event: { myext: null } },
    { expression: 'exists subject', value: false },
    { expression: 'EXISTS data', value: false },
    { expression: 'EXISTS constructor', value: false },
    { expression: 'EXISTS subject OR EXISTS myext', value: true, event: { myext: 'x' } },
  ]);
  parseErrors([
    { expression: 'EXISTS', position: 7, message: /EXISTS needs an attribute name/ },
    { expression: "EXISTS 'id'", position: 8 },
    { expression: 'EXISTS (id)', position: 8 },
    { expression: 'EXISTS AND', position: 8, message: /found keyword AND/ },
  ]);
});
