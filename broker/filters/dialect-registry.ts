import type { FilterDialect } from './types.js';

/**
 * Filter dialects by name. A dialect can also be "planned": known to the API but not runnable in
 * this release, so admission rejects it with JUNCTION_FILTER_DIALECT_UNSUPPORTED instead of calling
 * it unknown. Registering a dialect with a planned name makes it runnable.
 */
export class DialectRegistry {
  private readonly dialects = new Map<string, FilterDialect>();
  private readonly planned = new Map<string, string>();

  /** Makes `name` usable as an expression key; replaces a dialect of the same name. */
  register(name: string, dialect: FilterDialect): void {
    this.dialects.set(name, dialect);
  }

  /** Removes a registered dialect (a planned entry of the same name applies again). */
  unregister(name: string): void {
    this.dialects.delete(name);
  }

  /** Declares a dialect that is known but not supported yet; `reason` is shown to the user. */
  plan(name: string, reason: string): void {
    this.planned.set(name, reason);
  }

  /** The dialect registered under `name`. */
  get(name: string): FilterDialect | undefined {
    return this.dialects.get(name);
  }

  /** Why `name` is known but not runnable, when it is a planned dialect without an implementation. */
  unsupportedReason(name: string): string | undefined {
    return this.dialects.has(name) ? undefined : this.planned.get(name);
  }

  /** Names of the runnable dialects, for messages. */
  names(): string[] {
    return [...this.dialects.keys()];
  }
}
