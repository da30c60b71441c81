import { describe, expect, it } from 'vitest';
import { compile, evaluate } from '../../../broker/filters/cesql/index.js';
import { cases, parseErrors } from './table.js';

// Spec 2.2 (value identifiers) and 3.2 (context identifiers and their types).
describe('3.2 attribute values and their types', () => {
  cases([
    { expression: 'id', value: 'myId' },
    { expression: 'source', value: 'https://example.com/source' },
    { expression: 'time', value: '2018-04-26T14:48:09+02:00' },
    { expression: 'subject', value: 'mySubject', event: { subject: 'mySubject' } },
    { expression: 'myext', value: 'my extension', event: { myext: 'my extension' } },
    { expression: 'mybool', value: true, event: { mybool: true } },
    { expression: 'myint', value: 10, event: { myint: 10 } },
    { expression: 'myint', value: -2147483648, event: { myint: -2147483648 } },
    // Values outside the CESQL types are represented as Strings.
    { expression: 'big', value: '2147483648', event: { big: 2147483648 } },
    { expression: 'ratio', value: '1.5', event: { ratio: 1.5 } },
    { expression: 'obj', value: '{"a":1}', event: { obj: { a: 1 } } },
    { expression: 'ratio = "1.5"', value: true, event: { ratio: 1.5 } },
    { expression: 'list', value: '[1,"a"]', event: { list: [1, 'a'] } },
    { expression: 'when', value: '2018-04-26T12:48:09.000Z', event: { when: new Date('2018-04-26T14:48:09+02:00') } },
    { expression: 'link', value: 'https://example.com/x', event: { link: new URL('https://example.com/x') } },
    { expression: 'x1', value: 'digits', event: { x1: 'digits' } },
    { expression: '1x', value: 'leading digit', event: { '1x': 'leading digit' } },
  ]);
});

describe('3.2 missing attributes: the zero value of the sub-expression type, and a MissingAttributeError', () => {
  cases([
    { expression: 'subject', value: false, errors: ['missingAttribute'] },
    { expression: '(subject)', value: false, errors: ['missingAttribute'] },
    { expression: 'true AND (missingattribute = "")', value: false, errors: ['missingAttribute'] },
    { expression: 'missingattribute * 5', value: 0, errors: ['missingAttribute'] },
    { expression: '1 / missingattribute', value: 0, errors: ['missingAttribute'] },
    { expression: "CONCAT('a', missing)", value: '', errors: ['missingAttribute'] },
    { expression: 'LENGTH(missing)', value: 0, errors: ['missingAttribute'] },
    { expression: 'nullext', value: false, errors: ['missingAttribute'], event: { nullext: null } },
    // data is the payload, not an attribute; names on Object.prototype are not attributes either.
    { expression: 'data', value: false, errors: ['missingAttribute'] },
    { expression: 'constructor', value: false, errors: ['missingAttribute'] },
    { expression: 'tostring', value: false, errors: ['missingAttribute'] },
  ]);
});

describe('2.2 value identifiers follow the CloudEvents naming convention', () => {
  parseErrors([
    { expression: 'my_ext', position: 1, message: /"my_ext" is not an attribute name \(CloudEvents names are letters and digits\)/ },
    { expression: "source = 'x' AND My_Ext = 'y'", position: 18, message: /"My_Ext" is not an attribute name/ },
    { expression: 'EXISTS sub_ject', position: 8, message: /"sub_ject" is not an attribute name/ },
  ]);

  it('reads an attribute whose name is longer than 20 characters (the limit is a SHOULD for producers)', () => {
    const name = 'averyveryverylongextensionname';
    expect(evaluate(compile(name), { [name]: 'ok' })).toEqual({ value: 'ok', errors: [] });
  });

  it('never reads data or data_base64, and never changes the event', () => {
    const event = Object.freeze({ specversion: '1.0', id: '1', source: '/s', type: 't', data: 'x', data_base64: 'eA==' });
    expect(evaluate(compile("data = 'x'"), event)).toEqual({ value: false, errors: [expect.objectContaining({ kind: 'missingAttribute' })] });
    expect(evaluate(compile('EXISTS data'), event).value).toBe(false);
  });
});
