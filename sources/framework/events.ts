import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { Sink } from '../../broker/index.js';
import type { WebhookEvent } from '../webhook/types.js';

/** `spec.ceOverrides.extensions` of a source, or none. */
export function overridesOf(spec: Record<string, unknown>): Record<string, string> {
  return (spec.ceOverrides as { extensions?: Record<string, string> } | undefined)?.extensions ?? {};
}

/** A CloudEvent from an adapter's event, with the source's overrides applied last (Knative's ceOverrides). */
export function toCloudEvent(event: WebhookEvent, overrides: Record<string, string>): CloudEvent {
  const cloudEvent: CloudEvent = { specversion: '1.0', id: event.id, source: event.source, type: event.type };
  if (event.subject !== undefined) cloudEvent.subject = event.subject;
  if (event.time !== undefined) cloudEvent.time = event.time;
  cloudEvent.datacontenttype = event.datacontenttype;
  if (event.dataschema !== undefined) cloudEvent.dataschema = event.dataschema;
  for (const [name, value] of Object.entries(event.extensions ?? {})) cloudEvent[name] = value;
  for (const [name, value] of Object.entries(overrides)) cloudEvent[name] = value;
  if (event.data_base64 !== undefined) cloudEvent.data_base64 = event.data_base64;
  else if (event.data !== undefined) cloudEvent.data = event.data;
  return cloudEvent;
}

/** A sink that applies overrides to everything sent through it (what running adapters are given). */
export function withOverrides(sink: Sink, overrides: Record<string, string>): Sink {
  if (Object.keys(overrides).length === 0) return sink;
  return {
    uri: sink.uri,
    inProcess: sink.inProcess,
    send: (events, options) => sink.send(events.map((event) => ({ ...event, ...overrides })), options),
  };
}
