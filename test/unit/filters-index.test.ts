import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { compileTriggerFilter, TriggerIndex, type TriggerFilterSpec } from '../../broker/filters/index.js';
import { seededRandom } from '../../bench/filters/workload.js';

/** A small seeded generator (mulberry32, shared with the filters benchmark), so a failing case can be replayed. */
const random = seededRandom;

// Tiny alphabets, so that exact values, prefixes and suffixes collide often.
const attributes = ['type', 'source', 'subject', 'region', 'priority', 'beta'];
const values = ['a', 'ab', 'abc', 'b', 'ba', 'bab', 'c', '1', '12', 'true', 'false'];

function generators(next: () => number) {
  const pick = <V>(list: readonly V[]): V => list[Math.floor(next() * list.length)];
  const single = (): Record<string, string> => ({ [pick(attributes)]: pick(values) });

  const expression = (depth: number): Record<string, unknown> => {
    const roll = next();
    if (depth > 0 && roll < 0.12) return { all: Array.from({ length: 1 + Math.floor(next() * 3) }, () => expression(depth - 1)) };
    if (depth > 0 && roll < 0.27) return { any: Array.from({ length: 1 + Math.floor(next() * 3) }, () => expression(depth - 1)) };
    if (depth > 0 && roll < 0.35) return { not: expression(depth - 1) };
    if (roll < 0.65) return { exact: single() };
    if (roll < 0.85) return { prefix: single() };
    return { suffix: single() };
  };

  const trigger = (): TriggerFilterSpec => {
    const roll = next();
    if (roll < 0.05) return {};
    if (roll < 0.3) {
      const entries = Array.from({ length: 1 + Math.floor(next() * 3) }, () => [pick(attributes), next() < 0.25 ? '' : pick(values)]);
      return { filter: { attributes: Object.fromEntries(entries) } };
    }
    const filters = Array.from({ length: 1 + Math.floor(next() * 3) }, () => expression(3));
    return next() < 0.1 ? { filter: { attributes: { type: pick(values) } }, filters } : { filters };
  };

  const event = (index: number): CloudEvent => {
    const result: CloudEvent = { specversion: '1.0', id: String(index), source: pick(values), type: pick(values) };
    if (next() < 0.6) result.subject = pick(values);
    if (next() < 0.6) result.region = next() < 0.1 ? '' : pick(values);
    if (next() < 0.5) result.priority = pick([1, 12, 123]);
    if (next() < 0.5) result.beta = next() < 0.5;
    return result;
  };

  return { trigger, event };
}

/** What match() must return: every trigger whose predicate passes, by brute force. */
function bruteForce(predicates: Map<string, (event: CloudEvent) => boolean>, event: CloudEvent): string[] {
  return [...predicates].filter(([, predicate]) => predicate(event)).map(([id]) => id).sort();
}

describe('TriggerIndex', () => {
  it('returns exactly what evaluating every filter returns, over thousands of random triggers and events', () => {
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      const { trigger, event } = generators(next);
      const index = new TriggerIndex<string>();
      const predicates = new Map<string, (event: CloudEvent) => boolean>();
      for (let i = 0; i < 2000; i++) {
        const spec = trigger();
        index.add(`t${i}`, spec, `t${i}`);
        predicates.set(`t${i}`, compileTriggerFilter(spec));
      }
      let matches = 0;
      for (let i = 0; i < 1500; i++) {
        const input = event(i);
        const found = index.match(input);
        expect(found.sort(), `seed ${seed}, event ${JSON.stringify(input)}`).toEqual(bruteForce(predicates, input));
        matches += found.length;
      }
      expect(matches).toBeGreaterThan(1500);

      // Churn: remove a third, replace a third with new filters, and check again.
      const ids = [...predicates.keys()];
      for (const id of ids) {
        const roll = next();
        if (roll < 0.33) {
          expect(index.remove(id)).toBe(true);
          predicates.delete(id);
        } else if (roll < 0.66) {
          const spec = trigger();
          index.add(id, spec, id);
          predicates.set(id, compileTriggerFilter(spec));
        }
      }
      expect(index.size).toBe(predicates.size);
      for (let i = 0; i < 500; i++) {
        const input = event(i);
        expect(index.match(input).sort(), `seed ${seed} after churn`).toEqual(bruteForce(predicates, input));
      }
    }
  });

  it('routes by exact type, prefix, any-of and scan triggers together', () => {
    const index = new TriggerIndex<string>();
    index.add('exact', { filter: { attributes: { type: 'order.created', source: '/shop' } } }, 'exact');
    index.add('prefix', { filters: [{ prefix: { type: 'order.' } }] }, 'prefix');
    index.add('any', { filters: [{ any: [{ exact: { type: 'order.created' } }, { prefix: { type: 'order.cr' } }] }] }, 'any');
    index.add('not', { filters: [{ not: { exact: { type: 'order.deleted' } } }] }, 'not');
    index.add('all', {}, 'all');
    index.add('suffix', { filters: [{ suffix: { type: '.deleted' } }] }, 'suffix');
    const created = { specversion: '1.0', id: '1', source: '/shop', type: 'order.created' };
    expect(index.match(created).sort()).toEqual(['all', 'any', 'exact', 'not', 'prefix']);
    expect(index.match({ ...created, type: 'order.deleted' }).sort()).toEqual(['all', 'prefix', 'suffix']);
    expect(index.match({ ...created, type: 'invoice.paid' }).sort()).toEqual(['all', 'not']);
  });

  it('returns a trigger once even when several of its any-of branches match', () => {
    const index = new TriggerIndex<string>();
    index.add('t', { filters: [{ any: [{ exact: { type: 'a.b' } }, { prefix: { type: 'a.' } }, { exact: { source: 's' } }] }] }, 'only-once');
    expect(index.match({ specversion: '1.0', id: '1', source: 's', type: 'a.b' })).toEqual(['only-once']);
  });

  it('forgets removed triggers and replaces a trigger added again under the same id', () => {
    const index = new TriggerIndex<number>();
    const input = { specversion: '1.0', id: '1', source: '/s', type: 'x.y' };
    index.add('t', { filter: { attributes: { type: 'x.y' } } }, 1);
    expect(index.match(input)).toEqual([1]);
    index.add('t', { filters: [{ prefix: { type: 'z.' } }] }, 2);
    expect(index.size).toBe(1);
    expect(index.match(input)).toEqual([]);
    expect(index.match({ ...input, type: 'z.w' })).toEqual([2]);
    expect(index.remove('t')).toBe(true);
    expect(index.remove('t')).toBe(false);
    expect(index.match({ ...input, type: 'z.w' })).toEqual([]);
    expect(index.size).toBe(0);
  });

  it('rejects an invalid trigger and keeps the one it would have replaced', () => {
    const index = new TriggerIndex<string>();
    index.add('t', { filters: [{ exact: { type: 'x' } }] }, 'old');
    expect(() => index.add('t', { filters: [{ exact: { type: '' } }] }, 'new')).toThrow(expect.objectContaining({ code: 'JUNCTION_FILTER_INVALID' }));
    expect(() => index.add('t', { filters: [{ cesql: 'type =' }] }, 'new')).toThrow(expect.objectContaining({ code: 'JUNCTION_FILTER_CESQL_INVALID' }));
    expect(index.match({ specversion: '1.0', id: '1', source: '/s', type: 'x' })).toEqual(['old']);
  });
});
