import type { ChannelRecord } from '../channel.js';

/** The `onAppend` subscribers of one log; a throwing listener does not stop the others. */
export class AppendListeners {
  private readonly listeners = new Set<(records: ChannelRecord[]) => void>();

  /** Subscribes; returns the unsubscribe function. */
  add(listener: (records: ChannelRecord[]) => void): () => void {
    // Wrap so the same function can subscribe twice and unsubscribe each time independently.
    const entry = (records: ChannelRecord[]): void => listener(records);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Tells every listener about a durable batch. */
  emit(records: ChannelRecord[]): void {
    for (const listener of this.listeners) {
      try {
        listener(records);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'ChannelListenerError');
      }
    }
  }
}
