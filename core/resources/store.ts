import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { createError } from '../errors.js';
import { guardedWrite, useDatabase, type DatabaseSource, type SqliteDatabase, type StorageHealth } from '../storage/index.js';
import type { Resource, ResourceKey, WatchEvent } from './types.js';

type Listener = (event: WatchEvent, resourceVersion: number) => void;

/**
 * Durable resource storage on SQLite (WAL). Every write bumps one global resourceVersion; updates
 * that carry a resourceVersion are optimistic (409 on conflict); watchers get every change in order,
 * and only once it is committed. A write the disk refuses is JUNCTION_STORAGE_UNAVAILABLE (503).
 */
export class ResourceStore {
  private readonly db: SqliteDatabase;
  private readonly ownsDb: boolean;
  private readonly storeName: string;
  private readonly listeners = new Set<Listener>();
  private readonly history: Array<{ rv: number; event: WatchEvent }> = [];
  private readonly statements;
  private version: number;
  /** Changes of the transaction under way, announced once it commits. */
  private uncommitted: Array<{ rv: number; event: WatchEvent }> = [];

  /**
   * Stores resources in `source`: a path (opened, creating it owner-only, and closed with the store) or
   * a shared handle (see openDatabase; left open by close). Write failures are reported to `health`.
   */
  constructor(
    source: DatabaseSource,
    private readonly health?: StorageHealth,
  ) {
    ({ db: this.db, owned: this.ownsDb } = useDatabase(source));
    this.storeName = basename(this.db.name);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS resources (
        grp TEXT NOT NULL, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
        rv INTEGER NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (grp, kind, namespace, name)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    `);
    this.statements = {
      get: this.db.prepare('SELECT body FROM resources WHERE grp = ? AND kind = ? AND namespace = ? AND name = ?'),
      listNamespace: this.db.prepare('SELECT body FROM resources WHERE grp = ? AND kind = ? AND namespace = ? ORDER BY name'),
      listAll: this.db.prepare('SELECT body FROM resources WHERE grp = ? AND kind = ? ORDER BY namespace, name'),
      countNamespace: this.db.prepare('SELECT COUNT(*) AS n FROM resources WHERE namespace = ?'),
      countKind: this.db.prepare('SELECT COUNT(*) AS n FROM resources WHERE namespace = ? AND grp = ? AND kind = ?'),
      upsert: this.db.prepare('INSERT OR REPLACE INTO resources (grp, kind, namespace, name, rv, body) VALUES (?, ?, ?, ?, ?, ?)'),
      delete: this.db.prepare('DELETE FROM resources WHERE grp = ? AND kind = ? AND namespace = ? AND name = ?'),
      setVersion: this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('resourceVersion', ?)"),
      getVersion: this.db.prepare("SELECT value FROM meta WHERE key = 'resourceVersion'"),
    };
    this.version = (this.statements.getVersion.get() as { value: number } | undefined)?.value ?? 0;
  }

  get(key: ResourceKey): Resource | undefined {
    const row = this.statements.get.get(key.group, key.kind, key.namespace, key.name) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as Resource) : undefined;
  }

  /** Resources of a kind, in one namespace or (namespace undefined) all of them. */
  list(group: string, kind: string, namespace?: string): Resource[] {
    const rows = (namespace === undefined
      ? this.statements.listAll.all(group, kind)
      : this.statements.listNamespace.all(group, kind, namespace)) as Array<{ body: string }>;
    return rows.map((row) => JSON.parse(row.body) as Resource);
  }

  /** How many resources a namespace holds, of every kind or of one (for quotas). */
  count(namespace: string, kind?: { group: string; kind: string }): number {
    const row = kind ? this.statements.countKind.get(namespace, kind.group, kind.kind) : this.statements.countNamespace.get(namespace);
    return (row as { n: number }).n;
  }

  /** Stores a new resource; fails with JUNCTION_RESOURCE_EXISTS when the name is taken. */
  create(key: ResourceKey, resource: Resource): Resource {
    return this.commit(() => {
      if (this.get(key)) throw createError('JUNCTION_RESOURCE_EXISTS', `${key.kind} ${key.namespace}/${key.name} already exists`);
      const stored = structuredClone(resource);
      stored.metadata.uid = randomUUID();
      stored.metadata.creationTimestamp = new Date().toISOString();
      stored.metadata.generation = 1;
      return this.write(key, stored, 'ADDED');
    });
  }

  /**
   * Replaces a stored resource. When `resource.metadata.resourceVersion` is set it must match (else 409).
   * `specChanged` bumps generation; status-only writes keep it.
   */
  update(key: ResourceKey, resource: Resource, specChanged: boolean): Resource {
    return this.commit(() => {
      const current = this.get(key);
      if (!current) throw createError('JUNCTION_RESOURCE_NOT_FOUND', `${key.kind} ${key.namespace}/${key.name} not found`);
      const expected = resource.metadata.resourceVersion;
      if (expected !== undefined && expected !== current.metadata.resourceVersion) {
        throw createError('JUNCTION_RESOURCE_CONFLICT', `${key.kind} ${key.namespace}/${key.name} was modified (resourceVersion ${current.metadata.resourceVersion}, you sent ${expected})`);
      }
      const stored = structuredClone(resource);
      stored.metadata.uid = current.metadata.uid;
      stored.metadata.creationTimestamp = current.metadata.creationTimestamp;
      stored.metadata.generation = (current.metadata.generation ?? 1) + (specChanged ? 1 : 0);
      return this.write(key, stored, 'MODIFIED');
    });
  }

  /** Deletes a resource and returns what it was; JUNCTION_RESOURCE_NOT_FOUND when absent. */
  delete(key: ResourceKey): Resource {
    return this.commit(() => {
      const current = this.get(key);
      if (!current) throw createError('JUNCTION_RESOURCE_NOT_FOUND', `${key.kind} ${key.namespace}/${key.name} not found`);
      this.statements.delete.run(key.group, key.kind, key.namespace, key.name);
      const rv = this.bump();
      current.metadata.resourceVersion = String(rv);
      this.uncommitted.push({ rv, event: { type: 'DELETED', object: current } });
      return current;
    });
  }

  /** Calls `listener` for every later change; with `sinceVersion`, first replays retained changes after it. */
  watch(listener: Listener, sinceVersion?: number): () => void {
    if (sinceVersion !== undefined) {
      for (const entry of this.history) if (entry.rv > sinceVersion) listener(entry.event, entry.rv);
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get resourceVersion(): number {
    return this.version;
  }

  close(): void {
    this.listeners.clear();
    if (this.ownsDb && this.db.open) this.db.close();
  }

  /**
   * Runs `work` in one transaction; its changes reach watchers only once it has committed. When the
   * database refuses the write (disk full, I/O error), nothing changed: JUNCTION_STORAGE_UNAVAILABLE.
   */
  private commit<T>(work: () => T): T {
    const version = this.version;
    this.uncommitted = [];
    try {
      const result = guardedWrite(this.storeName, this.health, 'the resource could not be stored; nothing was changed', () => this.db.transaction(work)());
      for (const { rv, event } of this.uncommitted) this.emit(event, rv);
      return result;
    } catch (error) {
      this.version = version;
      throw error;
    } finally {
      this.uncommitted = [];
    }
  }

  private write(key: ResourceKey, resource: Resource, type: WatchEvent['type']): Resource {
    const rv = this.bump();
    resource.metadata.resourceVersion = String(rv);
    this.statements.upsert.run(key.group, key.kind, key.namespace, key.name, rv, JSON.stringify(resource));
    this.uncommitted.push({ rv, event: { type, object: resource } });
    return structuredClone(resource);
  }

  private bump(): number {
    this.version += 1;
    this.statements.setVersion.run(this.version);
    return this.version;
  }

  private emit(event: WatchEvent, rv: number): void {
    this.history.push({ rv, event });
    if (this.history.length > 1000) this.history.shift();
    // Listeners run after the transaction commits, so they never observe an uncommitted write.
    queueMicrotask(() => {
      for (const listener of this.listeners) listener(structuredClone(event), rv);
    });
  }
}
