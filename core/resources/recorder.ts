/** One entry of a resource's recent history, as `kubectl describe` shows Events. */
export interface RecordedEvent {
  time: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  count: number;
}

const PER_RESOURCE = 20;

/** Keeps the last few notable happenings per resource (in memory) for `junction describe`. */
export class EventRecorder {
  private readonly entries = new Map<string, RecordedEvent[]>();

  static key(namespace: string, kind: string, name: string): string {
    return `${namespace}/${kind}/${name}`;
  }

  /** Records an event; a repeat of the last one (same type and reason and message) only bumps its count. */
  record(key: string, type: RecordedEvent['type'], reason: string, message: string): void {
    const list = this.entries.get(key) ?? [];
    const last = list[list.length - 1];
    if (last && last.type === type && last.reason === reason && last.message === message) {
      last.count++;
      last.time = new Date().toISOString();
    } else {
      list.push({ time: new Date().toISOString(), type, reason, message, count: 1 });
      if (list.length > PER_RESOURCE) list.shift();
    }
    this.entries.set(key, list);
  }

  list(key: string): RecordedEvent[] {
    return [...(this.entries.get(key) ?? [])];
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
