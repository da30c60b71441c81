import { parse, toSeconds } from 'iso8601-duration';

/** Parses an ISO-8601 duration (`PT0.5S`, `P7D`) to milliseconds; returns undefined when it is not one. */
export function parseDurationMs(text: string): number | undefined {
  if (typeof text !== 'string' || !/^P(?!$)/.test(text)) return undefined;
  try {
    const ms = toSeconds(parse(text)) * 1000;
    return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}
