import type { CloudEvent } from '../../core/cloudevent/types.js';
import type { TriggerFilterSpec } from '../../broker/filters/index.js';

/** A seeded generator (mulberry32), so every run routes the same workload. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const domains = ['orders', 'payments', 'users', 'inventory', 'shipping', 'billing', 'search', 'reviews', 'carts', 'catalog',
  'auth', 'email', 'sms', 'push', 'audit', 'reports', 'pricing', 'tax', 'returns', 'loyalty'];
const entities = ['item', 'batch', 'account', 'session', 'record', 'ticket', 'invoice', 'profile', 'job', 'file'];
const verbs = ['created', 'updated', 'deleted', 'failed', 'completed'];
const regions = ['eu-west', 'eu-north', 'us-east', 'us-west', 'ap-south'];

/** The mix of trigger shapes, by share of the total. */
export const triggerMix = [
  { shape: 'exact type', share: 0.6 },
  { shape: 'prefix', share: 0.25 },
  { shape: 'any-of', share: 0.1 },
  { shape: 'not', share: 0.05 },
] as const;

/** A workload of `triggers` mixed filters and `events` events over 1,000 event types. */
export function buildWorkload(triggers: number, events: number, seed = 42): { specs: TriggerFilterSpec[]; events: CloudEvent[] } {
  const next = seededRandom(seed);
  const pick = <V>(list: readonly V[]): V => list[Math.floor(next() * list.length)];
  const type = (): string => `com.example.${pick(domains)}.${pick(entities)}.${pick(verbs)}`;
  const source = (): string => `/services/${pick(domains)}/${Math.floor(next() * 20)}`;

  const spec = (roll: number): TriggerFilterSpec => {
    if (roll < 0.3) return { filter: { attributes: next() < 0.5 ? { type: type() } : { type: type(), region: pick(regions) } } };
    if (roll < 0.6) return { filters: next() < 0.5 ? [{ exact: { type: type() } }] : [{ exact: { type: type() } }, { prefix: { source: '/services/' } }] };
    if (roll < 0.85) {
      const prefix = next() < 0.5 ? `com.example.${pick(domains)}.` : `com.example.${pick(domains)}.${pick(entities)}.`;
      return { filters: next() < 0.5 ? [{ prefix: { type: prefix } }] : [{ prefix: { type: prefix } }, { suffix: { type: `.${pick(verbs)}` } }] };
    }
    if (roll < 0.95) return { filters: [{ any: Array.from({ length: 2 + Math.floor(next() * 3) }, () => ({ exact: { type: type() } })) }] };
    return { filters: [{ not: next() < 0.5 ? { exact: { region: pick(regions) } } : { prefix: { type: `com.example.${pick(domains)}.` } } }] };
  };

  const specs = Array.from({ length: triggers }, () => spec(next()));
  const eventList = Array.from({ length: events }, (_, index): CloudEvent => {
    const event: CloudEvent = { specversion: '1.0', id: String(index), source: source(), type: type() };
    if (next() < 0.7) event.region = pick(regions);
    if (next() < 0.3) event.priority = Math.floor(next() * 10);
    return event;
  });
  // Events reach the broker as JSON; parsing gives flat strings, as in production (not concatenation ropes).
  return { specs, events: JSON.parse(JSON.stringify(eventList)) as CloudEvent[] };
}
