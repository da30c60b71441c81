import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { CloudEvent } from '../../../core/cloudevent/types.js';
import { compileTriggerFilter, validateTriggerFilter } from '../../../broker/filters/index.js';

const doc = readFileSync(new URL('../../../docs/filters.md', import.meta.url), 'utf8');
const base: CloudEvent = { specversion: '1.0', id: 'e-1', source: '/shop/web', type: 'com.shop.order.created' };

/** The rows of the table under "### Examples": expression, extra attributes, expected match. */
function exampleRows(): Array<{ expression: string; extra: Record<string, unknown>; matches: boolean }> {
  const section = doc.slice(doc.indexOf('### Examples'), doc.indexOf('### Performance'));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [expression, extra, matches] = line.slice(1, -1).split('|').map((cell) => cell.trim());
      return { expression: expression.slice(1, -1), extra: extra ? JSON.parse(extra.slice(1, -1)) : {}, matches: matches.startsWith('yes') };
    });
}

describe('docs/filters.md examples run as documented', () => {
  it('accepts the Trigger YAML, whose filter matches a big EU order and nothing else', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)![1];
    const trigger = parseYaml(yaml) as { kind: string; spec: Record<string, unknown> };
    expect(trigger.kind).toBe('Trigger');
    expect(validateTriggerFilter(trigger.spec)).toEqual([]);
    const predicate = compileTriggerFilter(trigger.spec);
    expect(predicate({ ...base, amount: 150, region: 'EU' })).toBe(true);
    expect(predicate({ ...base, amount: '150', region: 'uk' })).toBe(true);
    expect(predicate({ ...base, amount: 150, region: 'us' })).toBe(false);
    expect(predicate({ ...base, amount: 50, region: 'eu' })).toBe(false);
    expect(predicate({ ...base, type: 'com.shop.refund', amount: 150, region: 'eu' })).toBe(false);
  });

  const rows = exampleRows();
  it('has the example table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rows)('$expression with $extra matches: $matches', ({ expression, extra, matches }) => {
    expect(compileTriggerFilter({ filters: [{ cesql: expression }] })({ ...base, ...extra })).toBe(matches);
  });

  it('shows the admission error exactly as Junction words it', () => {
    const [problem] = validateTriggerFilter({ filters: [{ cesql: "type LIKE 'com.%' AND amount >" }] });
    expect(doc).toContain(`"message": "${problem.message}"`);
  });
});
