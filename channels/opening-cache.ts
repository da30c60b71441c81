/**
 * The channels a factory has open or is opening, one promise per name: opening a name again
 * returns the same promise, and a name is forgotten once its opening fails or its channel closes,
 * so the next `open` starts afresh.
 */
export class OpeningCache<T> {
  private readonly openings = new Map<string, Promise<T>>();

  /**
   * The promise cached for `name`, else the one `start` returns (now cached). `start` gets
   * `forget`, for the channel to call when it closes.
   */
  open(name: string, start: (forget: () => void) => Promise<T>): Promise<T> {
    const existing = this.openings.get(name);
    if (existing) return existing;
    const forget = (): void => {
      if (this.openings.get(name) === opening) this.openings.delete(name);
    };
    const opening = start(forget);
    this.openings.set(name, opening);
    opening.catch(forget);
    return opening;
  }

  /** The promise cached for `name`, if any. */
  get(name: string): Promise<T> | undefined {
    return this.openings.get(name);
  }

  /** Every cached promise (to close them all). */
  values(): IterableIterator<Promise<T>> {
    return this.openings.values();
  }
}
