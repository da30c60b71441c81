/**
 * A FIFO of waiting requests with O(1) push, shift, put-back and removal (a removed entry is skipped
 * when it reaches the head): at 10,000 buffered requests an Array's shift/splice would copy them all.
 */
export class WaitQueue<T extends { queued: boolean }> {
  private items: Array<T | undefined> = [];
  private head = 0;
  private live = 0;

  /** Entries waiting now. */
  get size(): number {
    return this.live;
  }

  push(item: T): void {
    item.queued = true;
    this.items.push(item);
    this.live++;
  }

  /** Puts `item` back at the head (a request that could not be sent keeps its place before later ones). */
  unshift(item: T): void {
    item.queued = true;
    if (this.head > 0) this.items[--this.head] = item;
    else this.items.unshift(item);
    this.live++;
  }

  /** The oldest waiting entry, left in place. */
  peek(): T | undefined {
    this.skipRemoved();
    return this.items[this.head];
  }

  shift(): T | undefined {
    this.skipRemoved();
    const item = this.items[this.head];
    if (item === undefined) return undefined;
    this.items[this.head++] = undefined;
    item.queued = false;
    this.live--;
    this.compact();
    return item;
  }

  /** Takes `item` out wherever it is (its caller went away); it is skipped later, so it must not be queued again. */
  remove(item: T): void {
    if (!item.queued) return;
    item.queued = false;
    this.live--;
  }

  /** Takes every waiting entry out, oldest first. */
  clear(): T[] {
    const all: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) all.push(item);
    return all;
  }

  private skipRemoved(): void {
    while (this.head < this.items.length) {
      const item = this.items[this.head];
      if (item !== undefined && item.queued) return;
      this.items[this.head++] = undefined;
    }
    this.compact();
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
