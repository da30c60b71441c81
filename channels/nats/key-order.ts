/**
 * Client-side per-key ordering (NATS has none): of the held messages sharing a key, only the first
 * (the head) may be in flight; the others wait in stream order until the head is acked.
 */
export class KeyOrder<T extends { sequence: number }> {
  private readonly lists = new Map<string, T[]>();

  /** Adds `item` under `key`; true when it is the head of its key (may be handed out now). */
  add(key: string, item: T): boolean {
    const list = this.lists.get(key);
    if (!list) {
      this.lists.set(key, [item]);
      return true;
    }
    // Usually appended; an older message (redelivered late) goes before younger waiting ones.
    let position = list.length;
    while (position > 1 && (list[position - 1] as T).sequence > item.sequence) position -= 1;
    list.splice(position, 0, item);
    return false;
  }

  /** Removes `item` (the acked head of `key`); returns the new head, which may now be handed out. */
  release(key: string, item: T): T | undefined {
    const list = this.lists.get(key);
    if (!list) return undefined;
    const index = list.indexOf(item);
    if (index !== -1) list.splice(index, 1);
    if (list.length === 0) {
      this.lists.delete(key);
      return undefined;
    }
    return index === 0 ? list[0] : undefined;
  }

  clear(): void {
    this.lists.clear();
  }
}
