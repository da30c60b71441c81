import { createError } from '../../core/errors.js';
import type { SourceAdapter, SourceApi } from './adapter.js';

/** The group of Junction's own source kinds. */
export const JUNCTION_SOURCES_API: SourceApi = { group: 'sources.junction.dev', versions: ['v1'] };

/** A row of `junction source-types`. */
export interface SourceTypeInfo {
  apiVersion: string;
  kind: string;
  description: string;
  eventTypes: string[];
  push: boolean;
}

/** Every source kind Junction can run, by group and kind. Adapters register once at start. */
export class SourceRegistry {
  readonly #byKey = new Map<string, SourceAdapter>();
  readonly #adapters: SourceAdapter[] = [];

  register(adapter: SourceAdapter): void {
    for (const api of apisOf(adapter)) {
      const key = `${api.group}/${adapter.kind}`;
      if (this.#byKey.has(key)) throw createError('JUNCTION_INTERNAL', `source kind ${key} registered twice`);
      this.#byKey.set(key, adapter);
    }
    this.#adapters.push(adapter);
  }

  get(group: string, kind: string): SourceAdapter | undefined {
    return this.#byKey.get(`${group}/${kind}`);
  }

  adapters(): readonly SourceAdapter[] {
    return this.#adapters;
  }

  /** One row per served apiVersion (newest first) and kind, sorted by kind. */
  types(): SourceTypeInfo[] {
    const rows: SourceTypeInfo[] = [];
    for (const adapter of this.#adapters) {
      for (const api of apisOf(adapter)) {
        rows.push({ apiVersion: `${api.group}/${api.versions[0]}`, kind: adapter.kind, description: adapter.description, eventTypes: adapter.eventTypes, push: adapter.webhook !== undefined });
      }
    }
    return rows.sort((a, b) => a.kind.localeCompare(b.kind) || a.apiVersion.localeCompare(b.apiVersion));
  }
}

/** The groups a kind is served in. */
export function apisOf(adapter: SourceAdapter): SourceApi[] {
  return adapter.apis ?? [JUNCTION_SOURCES_API];
}
