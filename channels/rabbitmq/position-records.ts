/** A record of a channel's positions stream (JSON body); `g` is a group, `p` a log offset. */
export type PositionRecord =
  | { k: 'create' | 'commit' | 'seek'; g: string; p: number }
  | { k: 'delete'; g: string }
  | { k: 'snapshot'; s: Record<string, [number | null, number]> }
  | { k: 'barrier' }
  | { k: 'genesis' };

/** What a group's position is known to be: `position` undefined = deleted; `at` = the record's stream offset. */
export interface KnownPosition {
  position: number | undefined;
  at: number;
}

/** Parses a positions-stream body; undefined for anything that is not a record Junction wrote. */
export function parsePositionRecord(content: Buffer): PositionRecord | undefined {
  try {
    const record = JSON.parse(content.toString('utf8')) as PositionRecord;
    return typeof record === 'object' && record !== null && typeof record.k === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Applies one record (at stream offset `at`) to the known positions, last writer wins in stream
 * order: `create` only sets a group nobody has a position for, snapshot entries only replace
 * older knowledge. Returns true when the record moved the group's position.
 */
export function applyPositionRecord(known: Map<string, KnownPosition>, record: PositionRecord, at: number): boolean {
  switch (record.k) {
    case 'create': {
      if (known.get(record.g)?.position !== undefined) return false;
      known.set(record.g, { position: record.p, at });
      return true;
    }
    case 'commit':
    case 'seek':
      known.set(record.g, { position: record.p, at });
      return true;
    case 'delete':
      known.set(record.g, { position: undefined, at });
      return true;
    case 'snapshot':
      for (const [group, [position, setAt]] of Object.entries(record.s)) {
        const current = known.get(group);
        if (!current || setAt > current.at) known.set(group, { position: position ?? undefined, at: setAt });
      }
      return false;
    default:
      return false;
  }
}

/** A snapshot of everything known (deletions included), so retention can drop older records. */
export function snapshotOf(known: Map<string, KnownPosition>): PositionRecord {
  const s: Record<string, [number | null, number]> = {};
  for (const [group, { position, at }] of known) s[group] = [position ?? null, at];
  return { k: 'snapshot', s };
}
