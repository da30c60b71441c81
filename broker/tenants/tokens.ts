import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { basename } from 'node:path';
import { createError } from '../../core/errors.js';
import { guardedWrite, useDatabase, type DatabaseSource, type SqliteDatabase, type StorageHealth } from '../../core/storage/index.js';

/**
 * What a token may do in its namespace: send events, read resources, or everything; `metrics`
 * (cluster-wide tokens only) may do nothing but scrape `/metrics`.
 */
export type Role = 'ingest' | 'read' | 'admin' | 'metrics';
export const ROLES: readonly Role[] = ['ingest', 'read', 'admin', 'metrics'];
/** Roles that only exist cluster-wide (namespace `*`). */
export const CLUSTER_ONLY_ROLES: readonly Role[] = ['metrics'];
/** The namespace of cluster-wide admin tokens. */
export const ALL_NAMESPACES = '*';

/** A token as listed: never the secret. */
export interface TokenInfo {
  id: string;
  namespace: string;
  role: Role;
  description: string;
  createdAt: string;
}

interface StoredToken extends TokenInfo {
  hash: Buffer;
}

const TOKEN_PATTERN = /^jct_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * Bearer tokens per namespace, stored hashed (SHA-256 of 256 random bits: no salt needed) and
 * checked in constant time. The plain token is shown once, at creation.
 */
export class TokenStore {
  private readonly db: SqliteDatabase;
  private readonly ownsDb: boolean;
  private readonly cache = new Map<string, StoredToken>();
  private readonly revokeListeners = new Set<(id: string) => void>();

  /**
   * Keeps tokens in `source`: a path (opened, creating it owner-only, and closed with the store) or a
   * shared handle (see openDatabase; left open by close). Write failures are reported to `health`.
   */
  constructor(
    source: DatabaseSource,
    private readonly health?: StorageHealth,
  ) {
    ({ db: this.db, owned: this.ownsDb } = useDatabase(source));
    this.db.exec(`CREATE TABLE IF NOT EXISTS tokens (
      id TEXT PRIMARY KEY, namespace TEXT NOT NULL, role TEXT NOT NULL, hash BLOB NOT NULL,
      description TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL)`);
    for (const row of this.db.prepare('SELECT * FROM tokens').all() as Array<Record<string, unknown>>) {
      this.cache.set(String(row.id), {
        id: String(row.id),
        namespace: String(row.namespace),
        role: row.role as Role,
        hash: row.hash as Buffer,
        description: String(row.description),
        createdAt: String(row.created_at),
      });
    }
  }

  /** Creates a token; returns it in plain text (the only time it exists unhashed). */
  create(namespace: string, role: Role, description = ''): { token: string; info: TokenInfo } {
    if (!ROLES.includes(role)) throw createError('JUNCTION_BAD_REQUEST', `role must be one of ${ROLES.join(', ')}`);
    const id = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12).padEnd(12, '0');
    const secret = randomBytes(32).toString('base64url');
    const stored: StoredToken = { id, namespace, role, description, createdAt: new Date().toISOString(), hash: digest(secret) };
    this.write('the token could not be stored', () =>
      this.db.prepare('INSERT INTO tokens (id, namespace, role, hash, description, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, namespace, role, stored.hash, description, stored.createdAt),
    );
    this.cache.set(id, stored);
    return { token: `jct_${id}_${secret}`, info: publicInfo(stored) };
  }

  /** The token's identity when `token` is valid, else undefined (constant-time on the secret). */
  verify(token: string): TokenInfo | undefined {
    const match = TOKEN_PATTERN.exec(token);
    if (!match) return undefined;
    const stored = this.cache.get(match[1]);
    const candidate = digest(match[2]);
    if (!stored) {
      timingSafeEqual(candidate, candidate);
      return undefined;
    }
    return timingSafeEqual(candidate, stored.hash) ? publicInfo(stored) : undefined;
  }

  list(namespace?: string): TokenInfo[] {
    return [...this.cache.values()].filter((t) => namespace === undefined || t.namespace === namespace).map(publicInfo);
  }

  /** Revokes a token of a namespace; JUNCTION_RESOURCE_NOT_FOUND when it is not there. */
  revoke(namespace: string, id: string): void {
    const stored = this.cache.get(id);
    if (!stored || stored.namespace !== namespace) throw createError('JUNCTION_RESOURCE_NOT_FOUND', `token ${id} not found in namespace ${namespace}`);
    this.write('the token could not be revoked', () => this.db.prepare('DELETE FROM tokens WHERE id = ?').run(id));
    this.cache.delete(id);
    for (const listener of [...this.revokeListeners]) listener(id);
  }

  /** Calls `listener` with the id of every token revoked from now on (open watches close on it); returns the unsubscribe. */
  onRevoke(listener: (id: string) => void): () => void {
    this.revokeListeners.add(listener);
    return () => this.revokeListeners.delete(listener);
  }

  private write(refused: string, work: () => unknown): void {
    guardedWrite(basename(this.db.name), this.health, refused, work);
  }

  /** Closes the database when this store opened it. */
  close(): void {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

function publicInfo(stored: StoredToken): TokenInfo {
  return { id: stored.id, namespace: stored.namespace, role: stored.role, description: stored.description, createdAt: stored.createdAt };
}
