import { describe, expect, it } from 'vitest';
import { compile, evaluate } from '../../../broker/filters/cesql/index.js';
import { cases } from './table.js';

// Spec 2: keywords (operators, TRUE/FALSE, function names) are case-insensitive, and so are
// attribute names: CloudEvents names are lower case, so `SOURCE` addresses `source` (the TCK's
// exists_expression.yaml has `EXISTS SOURCE`). String comparison and LIKE are case sensitive.
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

describe('2.2 attribute names are matched case-insensitively, as their lower-case form', () => {
  cases([
    { expression: 'EXISTS SOURCE', value: true },
    { expression: 'EXISTS specversion AND EXISTS ID AND EXISTS Type AND EXISTS SOURCE', value: true },
    { expression: "TYPE = 'com.example.order.created'", value: true },
    { expression: "Type = 'com.example.order.created'", value: true },
    { expression: "Subject LIKE 'a%'", value: true, event: { subject: 'abc' } },
    { expression: "SUBJECT NOT LIKE 'a%'", value: false, event: { subject: 'abc' } },
    { expression: 'MyExt', value: 'my extension', event: { myext: 'my extension' } },
    { expression: 'EXISTS MyExt', value: true, event: { myext: 'x' } },
    { expression: 'EXISTS MyExt', value: false },
    { expression: 'EXISTS DATA', value: false },
    { expression: 'Amount * 2 > 100', value: true, event: { amount: 60 } },
    { expression: "REGION IN ('eu', 'us')", value: true, event: { region: 'us' } },
    { expression: 'LENGTH(Id)', value: 4 },
    { expression: 'Subject', value: false, errors: ['missingAttribute'] },
    { expression: "DATA = 'x'", value: false, errors: ['missingAttribute'] },
  ]);

  it('names the missing attribute in lower case, the name an event would carry', () => {
    const { errors } = evaluate(compile("Region = 'eu'"), { specversion: '1.0', id: '1', source: '/s', type: 't' });
    expect(errors).toEqual([{ kind: 'missingAttribute', message: 'the event has no attribute "region"', position: 1 }]);
  });
});
