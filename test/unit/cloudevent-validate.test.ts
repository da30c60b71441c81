import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../core/cloudevent/index.js';

const base = { specversion: '1.0', id: 'A234-1234-1234', source: '/mycontext', type: 'com.example.someevent' };

/** The spec's own example events (spec.md "Example", json-format.md §3.2 and §4.3), with real base64. */
const specExamples: Record<string, Record<string, unknown>> = {
  'spec.md example (XML data)': {
    specversion: '1.0',
    type: 'com.github.pull_request.opened',
    source: 'https://github.com/cloudevents/spec/pull',
    subject: '123',
    id: 'A234-1234-1234',
    time: '2018-04-05T17:31:00Z',
    comexampleextension1: 'value',
    comexampleothervalue: 5,
    datacontenttype: 'text/xml',
    data: '<much wow="xml"/>',
  },
  'json-format binary data': {
    ...base,
    time: '2018-04-05T17:31:00Z',
    comexampleextension1: 'value',
    comexampleothervalue: 5,
    datacontenttype: 'application/vnd.apache.thrift.binary',
    data_base64: 'AAECAwQ=',
  },
  'json-format XML string with an unset extension': {
    ...base,
    id: 'B234-1234-1234',
    unsetextension: null,
    datacontenttype: 'application/xml',
    data: '<much wow="xml"/>',
  },
  'json-format JSON object data with null subject': {
    ...base,
    id: 'C234-1234-1234',
    subject: null,
    datacontenttype: 'application/json',
    data: { appinfoA: 'abc', appinfoB: 123, appinfoC: true },
  },
  'json-format number data': { ...base, datacontenttype: 'application/json', data: 1.5 },
  'json-format string data without datacontenttype': { ...base, id: 'D234-1234-1234', data: "I'm just a string" },
  'json-format data_base64 without datacontenttype': { ...base, id: 'D234-1234-1234', data_base64: 'eyAieHl6IjogMTIzIH0=' },
};

const validCases: [string, Record<string, unknown>][] = [
  ['minimal event', base],
  ...Object.entries(specExamples),
  ...[
    'https://github.com/cloudevents',
    'mailto:cncf-wg-serverless@lists.cncf.io',
    'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
    '/cloudevents/spec/pull/123',
    '/sensors/tn-1234567/alerts',
    '1-555-123-4567',
    'http://[::1]:8080/x?y=1#frag',
    '/path%20with%20escapes',
  ].map((source): [string, Record<string, unknown>] => [`source ${source}`, { ...base, source }]),
  ...[
    '2018-04-05T17:31:00Z',
    '2018-04-05t17:31:00z',
    '2018-04-05T17:31:00.123456789+05:30',
    '2024-02-29T00:00:00-00:00',
    '2000-02-29T23:59:59Z',
    '2016-12-31T23:59:60Z',
  ].map((time): [string, Record<string, unknown>] => [`time ${time}`, { ...base, time }]),
  ['dataschema with fragment', { ...base, dataschema: 'https://example.com/schemas/order.json#/defs/v1' }],
  ['dataschema URN', { ...base, dataschema: 'urn:example:schema:1' }],
  ['datacontenttype with parameters', { ...base, datacontenttype: 'text/plain; charset=utf-8' }],
  ['datacontenttype in mixed case with quoted parameter', { ...base, datacontenttype: 'TEXT/Plain; CharSet="utf-8"' }],
  ['datacontenttype without data', { ...base, datacontenttype: 'application/json' }],
  ['integer extensions at the 32-bit bounds', { ...base, low: -2147483648, high: 2147483647 }],
  ['boolean and empty-string extensions', { ...base, flag: false, note: '' }],
  ['attribute name longer than 20 characters (a SHOULD, not a MUST)', { ...base, averyveryverylongextensionname: 'x' }],
  ['attribute name of digits', { ...base, '123': 'x' }],
  ['explicit null data', { ...base, data: null }],
  ['optional attributes set to null (unset)', { ...base, subject: null, time: null, dataschema: null, datacontenttype: null }],
  ['strings with surrogate pairs and non-ASCII', { ...base, id: 'Euro € 😀', subject: 'tëst\u{1F600}', ext: '日本' }],
];

describe('validateEvent accepts valid events', () => {
  it.each(validCases)('%s', (_name, event) => {
    expect(validateEvent(event)).toEqual([]);
  });
});

const invalidCases: [string, Record<string, unknown>, { path: string; message: string }[]][] = [
  [
    'empty object',
    {},
    ['specversion', 'id', 'source', 'type'].map((path) => ({ path, message: 'required attribute is missing' })),
  ],
  ['specversion 0.3', { ...base, specversion: '0.3' }, [{ path: 'specversion', message: 'must be "1.0"' }]],
  ['specversion as a number', { ...base, specversion: 1.0 }, [{ path: 'specversion', message: 'must be "1.0"' }]],
  ['empty id', { ...base, id: '' }, [{ path: 'id', message: 'must be a non-empty string' }]],
  ['numeric id', { ...base, id: 5 }, [{ path: 'id', message: 'must be a string' }]],
  ['null id (unset)', { ...base, id: null }, [{ path: 'id', message: 'required attribute is missing' }]],
  ['empty type', { ...base, type: '' }, [{ path: 'type', message: 'must be a non-empty string' }]],
  ['empty source', { ...base, source: '' }, [{ path: 'source', message: 'must be a non-empty string' }]],
  ['empty subject', { ...base, subject: '' }, [{ path: 'subject', message: 'must be a non-empty string' }]],
  ['id with a newline', { ...base, id: 'a\nb' }, [{ path: 'id', message: expect.stringMatching(/control characters/) }]],
  ['non-numeric time', { ...base, time: 12345 }, [{ path: 'time', message: 'must be a string' }]],
  ['data and data_base64 together', { ...base, data: 'x', data_base64: 'eA==' }, [{ path: 'data_base64', message: 'must not be present together with data' }]],
];

const sourceProblem = { path: 'source', message: expect.stringMatching(/^must be a URI-reference/) };
for (const source of ['has space', 'http://x/\u00fc', '://x', 'a\nb', 'http://x/[y]', 'x#a#b', 'http://x/%zz', '1-555:123']) {
  invalidCases.push([`source ${JSON.stringify(source)}`, { ...base, source }, [sourceProblem]]);
}
const dataschemaProblem = { path: 'dataschema', message: expect.stringMatching(/^must be an absolute URI/) };
for (const dataschema of ['/schema.json', 'not a uri', '']) {
  invalidCases.push([`dataschema ${JSON.stringify(dataschema)}`, { ...base, dataschema }, [dataschemaProblem]]);
}
const timeProblem = { path: 'time', message: 'must be an RFC 3339 timestamp, e.g. 2018-04-05T17:31:00Z' };
for (const time of [
  '2018-04-05',
  '2018-04-05 17:31:00Z',
  '2018-04-05T17:31:00',
  '2018-02-30T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2018-13-01T00:00:00Z',
  '2018-04-05T24:00:00Z',
  '2018-04-05T17:60:00Z',
  '2016-12-31T23:59:61Z',
  '2018-04-05T17:31:00+25:00',
  '2018-04-05T17:31:00.Z',
  '',
]) {
  invalidCases.push([`time ${JSON.stringify(time)}`, { ...base, time }, [timeProblem]]);
}
const mediaTypeProblem = { path: 'datacontenttype', message: 'must be a media type (RFC 2046), e.g. application/json' };
for (const datacontenttype of ['json', 'application/', 'text/plain; charset', 'text /plain', '']) {
  invalidCases.push([`datacontenttype ${JSON.stringify(datacontenttype)}`, { ...base, datacontenttype }, [mediaTypeProblem]]);
}
const nameProblem = 'attribute names must consist of lower-case letters a-z and digits 0-9';
for (const name of ['Upper', 'with-dash', 'under_score', '', 'dätä']) {
  invalidCases.push([`attribute name ${JSON.stringify(name)}`, { ...base, [name]: 'x' }, [{ path: name, message: nameProblem }]]);
}
const extensionTypeProblem = { path: 'ext', message: 'must be a string, an integer or a boolean' };
for (const value of [1.5, { a: 1 }, [1]]) {
  invalidCases.push([`extension value ${JSON.stringify(value)}`, { ...base, ext: value }, [extensionTypeProblem]]);
}
for (const value of [2147483648, -2147483649]) {
  invalidCases.push([`extension value ${value}`, { ...base, ext: value }, [{ path: 'ext', message: expect.stringMatching(/32-bit/) }]]);
}
for (const [label, value] of [['NUL', 'bad\u0000'], ['DEL', '\u007f'], ['C1 control', '\u0085'], ['lone surrogate', '\uDEAD'], ['noncharacter', '\uFFFE'], ['plane-16 noncharacter', '\u{10FFFF}']]) {
  invalidCases.push([`extension string with ${label}`, { ...base, ext: value }, [{ path: 'ext', message: expect.stringMatching(/control characters/) }]]);
}
for (const value of ['not base64!', 'abc', 'eA=', 'eA==eA==']) {
  invalidCases.push([`data_base64 ${JSON.stringify(value)}`, { ...base, data_base64: value }, [{ path: 'data_base64', message: expect.stringMatching(/^must be base64/) }]]);
}

describe('validateEvent reports each violation with its attribute', () => {
  it.each(invalidCases)('%s', (_name, event, problems) => {
    expect(validateEvent(event)).toEqual(problems);
  });

  it('reports every problem of one event, not just the first', () => {
    const problems = validateEvent({ specversion: '2.0', id: '', source: 'a b', time: 'yesterday', Bad: 1.5 });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'type', message: 'required attribute is missing' },
        { path: 'specversion', message: 'must be "1.0"' },
        { path: 'id', message: 'must be a non-empty string' },
        sourceProblem,
        timeProblem,
        { path: 'Bad', message: nameProblem },
        { path: 'Bad', message: 'must be a string, an integer or a boolean' },
      ]),
    );
    expect(problems).toHaveLength(7);
  });
});
