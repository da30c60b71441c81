import type { CloudEvent } from '../../core/cloudevent/index.js';

/** Knative's limit on the `knativeerrordata` extension: at most this many base64 characters. */
export const ERROR_DATA_MAX_LENGTH = 1024;

/** Why the last attempt at the subscriber failed, as the dead-letter extensions describe it. */
export interface LastFailure {
  /** HTTP status of the last answer; Knative reports 500 when there was no answer at all. */
  status: number;
  /** Body of the last answer, or Knative's `dispatch error: …` text for a transport failure. */
  body: Buffer;
}

/**
 * The original event with Knative's error extensions, as sent to a dead-letter sink:
 * `knativeerrordest` (the subscriber URL), `knativeerrorcode` (the status) and `knativeerrordata`
 * (the body in base64, cut to 1024 characters, i.e. its first 768 bytes; left out when empty).
 */
export function withErrorExtensions(event: CloudEvent, subscriber: string, failure: LastFailure): CloudEvent {
  const copy: CloudEvent = { ...event, knativeerrordest: subscriber, knativeerrorcode: failure.status };
  delete copy.knativeerrordata;
  const bytes = (ERROR_DATA_MAX_LENGTH / 4) * 3;
  const data = failure.body.subarray(0, bytes).toString('base64');
  if (data.length > 0) copy.knativeerrordata = data;
  return copy;
}
