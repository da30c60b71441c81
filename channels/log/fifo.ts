/** A first-in first-out queue with O(1) push and shift (arrays shift in O(n)). */
export class Fifo<T> {
  private items: T[] = [];
  private first = 0;

  get size(): number {
    return this.items.length - this.first;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Removes and returns the oldest item, or undefined when empty. */
  shift(): T | undefined {
    if (this.first >= this.items.length) return undefined;
    const item = this.items[this.first];
    this.items[this.first] = undefined as T;
    this.first += 1;
    if (this.first >= 1024 && this.first * 2 >= this.items.length) {
      this.items = this.items.slice(this.first);
      this.first = 0;
    }
    return item;
  }

  /** The oldest item without removing it. */
  peek(): T | undefined {
    return this.first < this.items.length ? this.items[this.first] : undefined;
  }

  clear(): void {
    this.items = [];
    this.first = 0;
  }
}
