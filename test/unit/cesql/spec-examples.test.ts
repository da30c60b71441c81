import { describe } from 'vitest';
import { cases } from './table.js';

// Every example expression of the spec text, with events that make it true and false.
describe('2 the case-insensitivity example', () => {
  cases([
    { expression: 'int(hop) < int(ttl) and int(hop) < 1000', value: true, event: { hop: '5', ttl: '10' } },
    { expression: 'INT(hop) < INT(ttl) AND INT(hop) < 1000', value: true, event: { hop: '5', ttl: '10' } },
    { expression: 'INT(hop) < INT(ttl) AND INT(hop) < 1000', value: false, event: { hop: '1000', ttl: '2000' } },
    { expression: 'INT(hop) < INT(ttl) AND INT(hop) < 1000', value: false, event: { hop: '11', ttl: '10' } },
  ]);
});

describe('5 examples', () => {
  cases([
    { expression: 'EXISTS subject', value: true, event: { subject: 'Francesco Guardiani' } },
    { expression: 'EXISTS subject', value: false },
    { expression: "firstname = 'Francesco'", value: true, event: { firstname: 'Francesco' } },
    { expression: "firstname = 'Francesco'", value: false, event: { firstname: 'Doug' } },
    { expression: "firstname = 'Francesco' OR subject = 'Francesco'", value: true, event: { subject: 'Francesco', firstname: 'Doug' } },
    { expression: "firstname = 'Francesco' OR subject = 'Francesco'", value: true, event: { firstname: 'Francesco', subject: 'Doug' } },
    { expression: "firstname = 'Francesco' OR subject = 'Francesco'", value: false, event: { firstname: 'Doug', subject: 'Doug' } },
    {
      expression: "(firstname = 'Francesco' AND lastname = 'Guardiani') OR subject = 'Francesco Guardiani'",
      value: true,
      event: { subject: 'Doug', firstname: 'Francesco', lastname: 'Guardiani' },
    },
    {
      expression: "(firstname = 'Francesco' AND lastname = 'Guardiani') OR subject = 'Francesco Guardiani'",
      value: true,
      event: { subject: 'Francesco Guardiani', firstname: 'Doug', lastname: 'Davis' },
    },
    {
      expression: "(firstname = 'Francesco' AND lastname = 'Guardiani') OR subject = 'Francesco Guardiani'",
      value: false,
      event: { subject: 'Doug Davis', firstname: 'Doug', lastname: 'Davis' },
    },
    { expression: 'sequence = 10', value: true, event: { sequence: 10 } },
    { expression: 'sequence = 10', value: true, event: { sequence: '10' } },
    { expression: 'sequence = 10', value: false, event: { sequence: '6' } },
    { expression: 'hop < ttl', value: true, event: { hop: '5', ttl: '10' } },
    { expression: 'hop < ttl', value: true, event: { hop: 5, ttl: 10 } },
    { expression: 'hop < ttl', value: false, event: { hop: 10, ttl: '5' } },
  ]);
});

describe('3.2 and 3.7 inline examples', () => {
  cases([
    { expression: 'true AND (missingattribute = "")', value: false, errors: ['missingAttribute'] },
    { expression: 'missingattribute * 5', value: 0, errors: ['missingAttribute'] },
    { expression: '1 / missingattribute', value: 0, errors: ['missingAttribute'] },
    { expression: 'TRUE = "true" AND FALSE = "false"', value: true },
    { expression: 'TRUE = "TRUE" OR FALSE = "FALSE"', value: false },
    { expression: 'sequence = 10', value: true, event: { sequence: '10' } },
  ]);
});

// The spec's subscription use case (1.2): filters as the Subscriptions API expresses them.
describe('1.2 subscription filters written in CESQL', () => {
  cases([
    { expression: "source LIKE 'https://%'", value: true },
    { expression: "source LIKE 'https://%'", value: false, event: { source: 'http://example.com' } },
    { expression: "type LIKE '%.created'", value: true },
    { expression: "id = 'myId'", value: true },
    { expression: "id LIKE 'my%' AND source LIKE '%.ca'", value: false },
    { expression: "type LIKE 'com.%' AND myext LIKE 'custom%'", value: false, errors: ['missingAttribute'] },
    { expression: "id LIKE 'my%' OR myext LIKE '%ext'", value: true },
    { expression: "id LIKE 'not%' OR myext LIKE '%ext'", value: false, errors: ['missingAttribute'] },
    {
      expression: "(id = 'myId' OR type LIKE '%.success') AND (id = 'notmyId' OR source LIKE 'https://%' OR type LIKE '%.warning') AND (myext = 'customext')",
      value: false,
      errors: ['missingAttribute'],
    },
  ]);
});
