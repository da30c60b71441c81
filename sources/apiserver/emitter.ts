import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { Resource } from '../../core/resources/index.js';
import type { SourceContext } from '../framework/adapter.js';
import { changeEvent, kindKey, type ChangeType } from './mapping.js';
import type { ApiServerSpec } from './spec.js';

/** How many objects' last resourceVersions survive a restart (the most recently changed ones; see the docs). */
export const MAX_PERSISTED_OBJECTS = 10_000;
const KNOWN_KEY = 'known';
const POSITION_KEY = 'position';
const BATCH = 100;
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 10_000;

/** What is remembered of an object that was announced: enough to announce its deletion. */
interface KnownObject {
  resourceVersion: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

/** A watched kind as the emitter needs it: its identity (`kindKey`) and plural (for `subject`). */
export interface KindInfo {
  key: string;
  plural: string;
}

interface Pending {
  event?: CloudEvent;
  uid: string;
  known?: KnownObject;
  position?: string;
}

/**
 * Turns observed object states into add/update/delete events, in order, and sends them (retrying with
 * backoff while the sink refuses). What was sent — each object's last resourceVersion and the
 * watch position — is written to `context.state` only after the sink accepted it, so a restart
 * resends rather than loses.
 */
export class ChangeEmitter {
  /** What the events decided so far describe (ahead of `sent` while events wait). */
  private readonly decided: Map<string, KnownObject>;
  /** What the sink has accepted. */
  private readonly sent: Map<string, KnownObject>;
  private readonly queue: Pending[] = [];
  private readonly stopped = new AbortController();
  private pumping?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly context: SourceContext,
    private readonly spec: ApiServerSpec,
    private readonly source: string,
    private readonly filter: (event: CloudEvent) => boolean,
  ) {
    this.sent = readKnown(context.state.get(KNOWN_KEY));
    this.decided = new Map(this.sent);
  }

  /** The position last sent (opaque to the emitter: Junction's store resourceVersion). */
  get position(): string | undefined {
    return this.context.state.get(POSITION_KEY);
  }

  /** The object as it is now: add (unknown) or update (newer) when it is watched, delete when it no longer is (a label changed). */
  observe(kind: KindInfo, object: Resource, watched: boolean, position?: string): void {
    const uid = uidOf(object);
    const known = this.decided.get(uid);
    if (!watched) {
      if (known) this.announce('delete', kind, object, uid, known.resourceVersion, undefined, position);
      return;
    }
    const resourceVersion = object.metadata.resourceVersion ?? '';
    if (known?.resourceVersion === resourceVersion) return;
    this.announce(known ? 'update' : 'add', kind, object, uid, resourceVersion, describe(object), position);
  }

  /** The object is gone; announced when it was known. */
  removed(kind: KindInfo, object: Resource, position?: string): void {
    const uid = uidOf(object);
    const known = this.decided.get(uid);
    if (known) this.announce('delete', kind, object, uid, known.resourceVersion, undefined, position);
  }

  /** A full listing of one kind: each object is observed, and known ones missing from it are deleted (with their identity as data). */
  resync(kind: KindInfo, objects: Resource[], watched: (object: Resource) => boolean, position?: string): void {
    const present = new Set<string>();
    for (const object of objects) {
      present.add(uidOf(object));
      this.observe(kind, object, watched(object));
    }
    for (const [uid, known] of [...this.decided]) {
      if (present.has(uid) || kindKey(known.apiVersion, known.kind) !== kind.key) continue;
      const stub: Resource = { apiVersion: known.apiVersion, kind: known.kind, metadata: { name: known.name, namespace: known.namespace, uid, resourceVersion: known.resourceVersion } };
      this.announce('delete', kind, stub, uid, known.resourceVersion, undefined);
    }
    if (position !== undefined) this.enqueue({ uid: '', position });
  }

  /** Stops sending; resolves once nothing more will be sent (unsent events are sent again after the next start). */
  async stop(): Promise<void> {
    this.stopped.abort();
    this.wake?.();
    await this.pumping;
  }

  private announce(type: ChangeType, kind: KindInfo, object: Resource, uid: string, resourceVersion: string, known: KnownObject | undefined, position?: string): void {
    if (known) this.decided.set(uid, known);
    else this.decided.delete(uid);
    const event = changeEvent({ type, object, resourceVersion, plural: kind.plural }, this.spec.mode, this.source, this.context.now());
    this.enqueue({ event: this.filter(event) ? event : undefined, uid, known, position });
  }

  private enqueue(pending: Pending): void {
    this.queue.push(pending);
    this.kick();
  }

  private kick(): void {
    if (this.pumping || this.stopped.signal.aborted) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped.signal.aborted) {
      const batch = this.queue.slice(0, BATCH);
      const events = batch.flatMap((pending) => (pending.event ? [pending.event] : []));
      if (events.length > 0 && !(await this.send(events))) return;
      this.queue.splice(0, batch.length);
      let position: string | undefined;
      for (const pending of batch) {
        if (pending.uid !== '') {
          this.sent.delete(pending.uid);
          if (pending.known) this.sent.set(pending.uid, pending.known);
        }
        position = pending.position ?? position;
      }
      try {
        this.context.state.set(KNOWN_KEY, writeKnown(this.sent));
        if (position !== undefined) this.context.state.set(POSITION_KEY, position);
      } catch (error) {
        // The events are in the sink; without the record they are sent again (same ids) after a restart.
        this.context.logger.warn({ err: (error as Error).message }, 'could not record what was sent');
      }
    }
  }

  /** Sends until the sink accepts (true) or the source stops (false). */
  private async send(events: CloudEvent[]): Promise<boolean> {
    for (let attempt = 0; !this.stopped.signal.aborted; attempt++) {
      try {
        await this.context.sink.send(events, { signal: this.stopped.signal });
        if (attempt > 0) this.context.report({ type: 'Delivered', status: 'True' });
        return true;
      } catch (error) {
        if (this.stopped.signal.aborted) return false;
        this.context.logger.warn({ err: (error as Error).message, events: events.length, attempt }, 'the sink did not accept the events; retrying');
        if (attempt === 0) this.context.report({ type: 'Delivered', status: 'False', reason: 'SinkRefused', message: (error as Error).message });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt));
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
    return false;
  }
}

function uidOf(object: Resource): string {
  return object.metadata.uid ?? `${object.metadata.namespace ?? ''}/${object.kind}/${object.metadata.name}`;
}

function describe(object: Resource): KnownObject {
  return { resourceVersion: object.metadata.resourceVersion ?? '', apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace ?? '' };
}

/** The persisted form: `[uid, resourceVersion, apiVersion, kind, name, namespace]` rows, the most recently changed last. */
function writeKnown(known: Map<string, KnownObject>): string {
  const rows = [...known].slice(-MAX_PERSISTED_OBJECTS).map(([uid, k]) => [uid, k.resourceVersion, k.apiVersion, k.kind, k.name, k.namespace]);
  return JSON.stringify(rows);
}

function readKnown(text: string | undefined): Map<string, KnownObject> {
  const known = new Map<string, KnownObject>();
  if (!text) return known;
  try {
    for (const [uid, resourceVersion, apiVersion, kind, name, namespace] of JSON.parse(text) as string[][]) known.set(uid, { resourceVersion, apiVersion, kind, name, namespace });
  } catch {
    // An unreadable record (never written by this version) is treated as none: every object is announced again.
  }
  return known;
}
