import type { CloudEvent } from '../../core/cloudevent/index.js';

/** The ordering key of an event: its `partitionkey` extension in string form, when present. */
export function recordKey(event: CloudEvent): string | undefined {
  const value = event.partitionkey;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
