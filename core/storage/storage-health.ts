import { statfsSync } from 'node:fs';

/** A store of the data dir that failed to write, as /readyz reports it (no paths, no driver messages). */
export interface StorageFailure {
  /** The file that could not be written, e.g. `resources.db`. */
  store: string;
  /** The driver's code, e.g. `SQLITE_FULL`. */
  reason: string;
  /** When the first failure of this run of failures happened (ISO 8601). */
  since: string;
}

/** Free space below which a full disk still counts as full (SQLite needs room for its WAL and pages). */
const DEFAULT_MIN_FREE_BYTES = 1024 * 1024;

/**
 * The health of the embedded stores in the data dir, for /readyz. A store is failing from a failed
 * write until a later write of it succeeds; a store that failed because the disk was full also
 * recovers as soon as the data dir's filesystem has room again, so a node that nobody writes to
 * (taken out of rotation by its readiness) comes back by itself.
 */
export class StorageHealth {
  private readonly failures = new Map<string, StorageFailure & { full: boolean }>();

  constructor(
    private readonly dataDir: string,
    private readonly onChange: (store: string, failure: StorageFailure | undefined, error?: unknown) => void = () => undefined,
    private readonly minFreeBytes = DEFAULT_MIN_FREE_BYTES,
  ) {}

  /** Records a failed write of `store`. */
  failed(store: string, error: unknown): void {
    const reason = failureReason(error);
    const known = this.failures.get(store);
    // A failure without a code (a write refused because an earlier one failed) adds nothing to a known one.
    if (known && (known.reason === reason || reason === 'unknown')) return;
    const failure = { store, reason, since: known?.since ?? new Date().toISOString(), full: isDiskFull(error) };
    this.failures.set(store, failure);
    this.onChange(store, publicFailure(failure), error);
  }

  /** Records a successful write of `store`. */
  succeeded(store: string): void {
    if (this.failures.delete(store)) this.onChange(store, undefined);
  }

  /** The stores failing now (after giving full-disk failures the chance to recover). */
  current(): StorageFailure[] {
    if ([...this.failures.values()].some((failure) => failure.full) && this.hasRoom()) {
      for (const failure of [...this.failures.values()]) if (failure.full) this.succeeded(failure.store);
    }
    return [...this.failures.values()].map(publicFailure);
  }

  private hasRoom(): boolean {
    try {
      const stats = statfsSync(this.dataDir);
      return stats.bavail * stats.bsize >= this.minFreeBytes;
    } catch {
      return false;
    }
  }
}

function publicFailure({ store, reason, since }: StorageFailure): StorageFailure {
  return { store, reason, since };
}

/** The driver's code of a storage error (SQLite's `SQLITE_FULL`, Node's `ENOSPC`…), or `unknown`. */
function failureReason(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'unknown';
}

/** True when the error says the disk (or the filesystem's quota) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = failureReason(error);
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}
