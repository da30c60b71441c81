import { createHash } from 'node:crypto';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { FieldProblem } from '../../core/errors.js';
import type { RunningSource, SourceAdapter, SourceContext } from '../framework/adapter.js';
import { parseSchedule } from './schedule.js';

/** The CloudEvent type of every tick (Knative's). */
export const PING_EVENT_TYPE = 'dev.knative.sources.ping';
/** A tick missed while Junction was down fires once after restart when it is at most this old. */
export const PING_CATCH_UP_MS = 60_000;
const LAST_TICK_KEY = 'lastTick';
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 10_000;
const MAX_SLEEP_MS = 3_600_000;

/** `spec` of sources.knative.dev/v1 PingSource. */
interface PingSpec {
  schedule: string;
  timezone?: string;
  contentType?: string;
  data?: string;
  dataBase64?: string;
}

/** The event of one tick: its id is derived from the source and the tick, so a tick sent twice (a crash before it was recorded) is recognisably the same event. */
export function pingEvent(context: { namespace: string; name: string; uid: string }, spec: PingSpec, tickMs: number): CloudEvent {
  const digest = createHash('sha256').update(`${context.uid}\n${tickMs}`).digest('hex');
  const id = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`;
  const event: CloudEvent = { specversion: '1.0', id, source: `/apis/v1/namespaces/${context.namespace}/pingsources/${context.name}`, type: PING_EVENT_TYPE, time: new Date(tickMs).toISOString() };
  if (spec.contentType !== undefined) event.datacontenttype = spec.contentType;
  if (spec.dataBase64 !== undefined) event.data_base64 = spec.dataBase64;
  else if (spec.data !== undefined) event.data = isJson(spec.contentType) ? JSON.parse(spec.data) : spec.data;
  return event;
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType);
}

function validatePing(spec: Record<string, unknown>): FieldProblem[] {
  const ping = spec as unknown as PingSpec;
  const problems: FieldProblem[] = [];
  try {
    parseSchedule(ping.schedule, ping.timezone);
  } catch (error) {
    problems.push({ path: ping.timezone !== undefined && /time zone/.test((error as Error).message) ? 'spec.timezone' : 'spec.schedule', message: (error as Error).message });
  }
  if (ping.data !== undefined && ping.dataBase64 !== undefined) problems.push({ path: 'spec.dataBase64', message: 'expected exactly one, got both: data, dataBase64' });
  if (ping.dataBase64 !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(ping.dataBase64)) problems.push({ path: 'spec.dataBase64', message: 'must be base64' });
  if (ping.data !== undefined && isJson(ping.contentType)) {
    try {
      JSON.parse(ping.data);
    } catch {
      problems.push({ path: 'spec.data', message: `is not valid JSON, but contentType is ${ping.contentType}` });
    }
  }
  return problems;
}

/** Fires on the schedule until stopped: each tick is sent (retried with backoff while the sink refuses) and then recorded, so a restart neither repeats nor silently skips it. */
function startPing(context: SourceContext): RunningSource {
  const spec = context.spec as unknown as PingSpec;
  const schedule = parseSchedule(spec.schedule, spec.timezone);
  const identity = { namespace: context.namespace, name: context.name, uid: context.resource.metadata.uid ?? `${context.namespace}/${context.name}` };
  const created = Date.parse(context.resource.metadata.creationTimestamp ?? '') || 0;
  const stopped = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });

  const lastFired = () => Number(context.state.get(LAST_TICK_KEY) ?? Number.NaN);
  const fire = async (tick: number): Promise<void> => {
    for (let attempt = 0; !stopped.signal.aborted; attempt++) {
      try {
        await context.sink.send([pingEvent(identity, spec, tick)], { signal: stopped.signal });
        context.state.set(LAST_TICK_KEY, String(tick));
        if (attempt > 0) context.report({ type: 'Delivered', status: 'True' });
        return;
      } catch (error) {
        if (stopped.signal.aborted) return;
        context.logger.warn({ err: (error as Error).message, tick: new Date(tick).toISOString(), attempt }, 'the sink did not accept the tick; retrying');
        if (attempt === 0) context.report({ type: 'Delivered', status: 'False', reason: 'SinkRefused', message: (error as Error).message });
        await sleep(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt));
      }
    }
  };

  const loop = (async () => {
   try {
    // A tick missed while Junction was down (not yet sent, not older than the catch-up window, not before the source existed) fires once now.
    const now = context.now();
    const last = lastFired();
    let missed: number | undefined;
    let skipped = 0;
    for (let t = schedule.next(Math.max(now - PING_CATCH_UP_MS, created, Number.isNaN(last) ? 0 : last) - 1); t !== undefined && t <= now; t = schedule.next(t)) {
      if (t > (Number.isNaN(last) ? -1 : last) && t >= created) {
        if (missed !== undefined) skipped++;
        missed = t;
      }
    }
    if (missed !== undefined) {
      if (skipped > 0) context.logger.warn({ skipped }, 'ticks missed while Junction was down are skipped: only the latest fires');
      context.logger.info({ tick: new Date(missed).toISOString() }, 'firing a tick missed while Junction was down');
      await fire(missed);
    }
    while (!stopped.signal.aborted) {
      const after = Math.max(context.now(), lastFired() || 0);
      const next = schedule.next(after);
      if (next === undefined) return;
      // Long waits are taken in steps (timers cannot wait past ~24 days; clocks move).
      while (!stopped.signal.aborted && context.now() < next) await sleep(Math.min(next - context.now(), MAX_SLEEP_MS));
      if (stopped.signal.aborted) return;
      await fire(next);
    }
   } catch (error) {
    context.logger.error({ err: (error as Error).message }, 'the schedule stopped');
    context.report({ type: 'Deployed', status: 'False', reason: 'ScheduleStopped', message: (error as Error).message });
   }
  })();

  return {
    async stop() {
      stopped.abort();
      clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}

/** Knative's PingSource: a CloudEvent on a cron schedule. */
export const pingSourceAdapter: SourceAdapter = {
  kind: 'PingSource',
  apis: [{ group: 'sources.knative.dev', versions: ['v1', 'v1beta2'] }],
  shortNames: ['ping'],
  description: 'Emits an event on a cron schedule (Knative PingSource)',
  eventTypes: [PING_EVENT_TYPE],
  declaredEventTypes: (_spec, { namespace, name }) => [{ type: PING_EVENT_TYPE, source: `/apis/v1/namespaces/${namespace}/pingsources/${name}` }],
  specProperties: {
    schedule: { type: 'string', minLength: 1 },
    timezone: { type: 'string', minLength: 1 },
    contentType: { type: 'string', minLength: 1 },
    data: { type: 'string' },
    dataBase64: { type: 'string' },
  },
  requiredSpec: ['schedule'],
  validate: validatePing,
  start: startPing,
};
