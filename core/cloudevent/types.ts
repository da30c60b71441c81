/**
 * A CloudEvent held the way the CloudEvents JSON format writes it: context attributes and
 * extensions by name, and the payload either as `data` (JSON value or text) or `data_base64`
 * (binary). Junction stores, filters and delivers events in this one shape.
 */
export interface CloudEvent {
  specversion: string;
  id: string;
  source: string;
  type: string;
  datacontenttype?: string;
  dataschema?: string;
  subject?: string;
  time?: string;
  data?: unknown;
  data_base64?: string;
  [attribute: string]: unknown;
}

/** Context attribute names that the spec defines (everything else is an extension). */
export const CORE_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'datacontenttype', 'dataschema', 'subject', 'time'] as const;
