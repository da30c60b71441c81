import type { CloudEvent } from './types.js';

/**
 * The JSON text a binary-mode event's data arrived as, kept beside the value parsed from it, so that
 * storage and delivery forward the received text instead of serialising the value again. Keyed by
 * the event object (never shared between requests, so nothing can leak between tenants), and valid
 * only while `event.data` is still that value: a replaced value is serialised as usual.
 */
const received = new WeakMap<object, { data: unknown; json: string }>();

/** Remembers that `event.data` was parsed from the JSON text `json` (valid JSON, already parsed). */
export function keepDataJson(event: Record<string, unknown>, json: string): void {
  received.set(event, { data: event.data, json });
}

/** The event's data as JSON text: as received when it is still the parsed value, else serialised. */
export function dataJson(event: CloudEvent): string {
  const kept = received.get(event);
  return kept !== undefined && kept.data === event.data ? kept.json : JSON.stringify(event.data);
}

/** The event in the CloudEvents JSON format, its data as received when kept (same value, same attributes). */
export function eventJson(event: CloudEvent): string {
  const kept = received.get(event);
  if (kept === undefined || kept.data !== event.data) return JSON.stringify(event);
  // JSON.stringify leaves out a member whose value is undefined: the attributes without the data,
  // with no copy of the event; the received text goes in as the last member.
  const data = event.data;
  let head: string;
  event.data = undefined;
  try {
    head = JSON.stringify(event);
  } finally {
    event.data = data;
  }
  return head.length === 2 ? `{"data":${kept.json}}` : `${head.slice(0, -1)},"data":${kept.json}}`;
}
