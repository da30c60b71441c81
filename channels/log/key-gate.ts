import { Fifo } from './fifo.js';

/**
 * Per-key ordering for a consumer group: of the unacked messages sharing a key, only the oldest
 * may be handed out; the others wait here until it is acked.
 */
export class KeyGate<T> {
  private readonly queues = new Map<string, Fifo<T>>();

  /** Queues `item` under `key`; true when it is the oldest of its key (may be handed out now). */
  enqueue(key: string, item: T): boolean {
    const queue = this.queues.get(key);
    if (queue) {
      queue.push(item);
      return false;
    }
    const fresh = new Fifo<T>();
    fresh.push(item);
    this.queues.set(key, fresh);
    return true;
  }

  /** Removes the (acked) oldest item of `key`; returns the next one, which may now be handed out. */
  release(key: string): T | undefined {
    const queue = this.queues.get(key);
    if (!queue) return undefined;
    queue.shift();
    const next = queue.peek();
    if (next === undefined) this.queues.delete(key);
    return next;
  }

  clear(): void {
    this.queues.clear();
  }
}
