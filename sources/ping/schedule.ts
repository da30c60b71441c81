import { Cron } from 'croner';

/** A parsed PingSource schedule: Knative's 5-field cron (or 6 with seconds), `@hourly`-style nicknames, a `CRON_TZ=`/`TZ=` prefix or `timezone`. */
export interface PingSchedule {
  /** The first tick strictly after `afterMs`. */
  next(afterMs: number): number | undefined;
}

/** Parses a schedule; throws an Error with a message naming what is wrong. */
export function parseSchedule(schedule: string, timezone?: string): PingSchedule {
  let pattern = schedule.trim();
  let zone = timezone;
  const prefix = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(pattern);
  if (prefix) {
    zone ??= prefix[1];
    pattern = prefix[2];
  }
  if (zone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      throw new Error(`unknown time zone "${zone}" (an IANA name such as Europe/Berlin)`);
    }
  }
  // Like robfig/cron (Knative's parser): day-of-month and day-of-week are OR-ed when both are set.
  const cron = new Cron(pattern, { paused: true, timezone: zone, domAndDow: false });
  return {
    next(afterMs) {
      return cron.nextRun(new Date(afterMs))?.getTime();
    },
  };
}
