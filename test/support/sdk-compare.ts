import { expect } from 'vitest';
import type { CloudEvent as SdkEvent } from 'cloudevents';

/** Extensions the broker itself stamps on every event at ingress (not something the producer sent). */
const BROKER_EXTENSIONS = new Set(['knativearrivaltime', 'knativebrokerttl']);

/** How the event travelled, which decides what "the same attribute value" means. */
export interface Comparison {
  /**
   * True when the event went in and came out in structured mode, so Integer and Boolean keep their
   * JSON types; otherwise a binary-mode hop carried each value as its canonical string (spec.md "Type System").
   */
  typed: boolean;
  /** True when the subscriber got it in binary mode: header values are percent-decoded first (HTTP binding §3.1.3.2). */
  binaryDelivery: boolean;
  /** Attributes the receiver must see in addition to the sent ones (e.g. the dead-letter error extensions). */
  extra?: Record<string, unknown>;
}

/**
 * Asserts that the SDK's reading of a delivered event has exactly the sent event's context
 * attributes and extensions (plus `extra`), and the same data.
 */
export function expectSameEvent(received: SdkEvent<unknown>, sent: SdkEvent<unknown>, comparison: Comparison): void {
  const actual = attributesOf(received, (name) => !BROKER_EXTENSIONS.has(name));
  if (comparison.binaryDelivery) {
    // The SDK does not percent-decode ce- header values although HTTP binding §3.1.3.2 says a
    // receiver MUST: it would read `hello%20world`. The spec decides, so decode before comparing.
    for (const name in actual) if (typeof actual[name] === 'string') actual[name] = decodeURIComponent(actual[name] as string);
  }
  const expected = attributesOf(sent, () => true);
  if (!comparison.typed) for (const name in expected) expected[name] = String(expected[name]);
  expect(actual).toEqual({ ...expected, ...comparison.extra });
  expectSameData(received, sent);
}

/** Asserts the payload survived: the same bytes for binary data, the same JSON value or text otherwise. */
export function expectSameData(received: SdkEvent<unknown>, sent: SdkEvent<unknown>): void {
  if (sent.data_base64 !== undefined) {
    expect(received.data_base64).toBe(sent.data_base64);
    // The SDK holds structured-mode binary data as a Uint32Array of byte values; Buffer.from reads either.
    expect(Buffer.from(received.data as Uint8Array).toString('base64')).toBe(sent.data_base64);
  } else {
    expect(received.data).toEqual(sent.data);
  }
}

function attributesOf(event: SdkEvent<unknown>, keep: (name: string) => boolean): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(event)) {
    if (name === 'data' || name === 'data_base64' || value === undefined || !keep(name)) continue;
    attributes[name] = value;
  }
  return attributes;
}
