import type { ChannelRecord } from '../../channels/index.js';

/**
 * The records one trigger still has to deliver, handing them out under an in-flight bound. In
 * ordered mode at most one record per key (the `partitionkey` extension, or none) is in flight,
 * and records of a key go out in offset order; unordered mode hands out in arrival order.
 */
export class DeliveryQueue {
  private readonly keyQueues = new Map<string, ChannelRecord[]>();
  private readonly readyKeys: string[] = [];
  private readyHead = 0;
  private readonly busyKeys = new Set<string>();
  private readonly fifo: ChannelRecord[] = [];
  private fifoHead = 0;
  private waiting = 0;

  constructor(private readonly ordered: boolean) {}

  /** Records queued and not yet handed out. */
  get size(): number {
    return this.waiting;
  }

  push(record: ChannelRecord): void {
    this.waiting++;
    if (!this.ordered) {
      this.fifo.push(record);
      return;
    }
    const key = record.key ?? '';
    let queue = this.keyQueues.get(key);
    if (!queue) {
      queue = [];
      this.keyQueues.set(key, queue);
      if (!this.busyKeys.has(key)) this.readyKeys.push(key);
    }
    queue.push(record);
  }

  /** The next record that may go out now, or undefined. */
  take(): ChannelRecord | undefined {
    if (!this.ordered) {
      if (this.fifoHead >= this.fifo.length) return undefined;
      const record = this.fifo[this.fifoHead++];
      if (this.fifoHead > 1024 && this.fifoHead * 2 > this.fifo.length) {
        this.fifo.splice(0, this.fifoHead);
        this.fifoHead = 0;
      }
      this.waiting--;
      return record;
    }
    while (this.readyHead < this.readyKeys.length) {
      const key = this.readyKeys[this.readyHead++];
      if (this.readyHead > 1024 && this.readyHead * 2 > this.readyKeys.length) {
        this.readyKeys.splice(0, this.readyHead);
        this.readyHead = 0;
      }
      const queue = this.keyQueues.get(key);
      if (!queue || queue.length === 0 || this.busyKeys.has(key)) continue;
      const record = queue.shift()!;
      if (queue.length === 0) this.keyQueues.delete(key);
      this.busyKeys.add(key);
      this.waiting--;
      return record;
    }
    return undefined;
  }

  /** Marks a handed-out record finished, letting the next one of its key go. */
  done(record: ChannelRecord): void {
    if (!this.ordered) return;
    const key = record.key ?? '';
    this.busyKeys.delete(key);
    if (this.keyQueues.has(key)) this.readyKeys.push(key);
  }
}
