/** How long ago `timestamp` was, the way kubectl prints ages (`45s`, `5m30s`, `3h20m`, `4d`); `<unknown>` without a time. */
export function age(timestamp: string | undefined, now = Date.now()): string {
  const then = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
  if (Number.isNaN(then)) return '<unknown>';
  return humanDuration(Math.max(0, Math.floor((now - then) / 1000)));
}

/** A duration in seconds in kubectl's short human form. */
export function humanDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(seconds / 3600);
  const days = Math.floor(seconds / 86_400);
  const join = (big: number, bigUnit: string, small: number, smallUnit: string) => (small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit}${small}${smallUnit}`);
  if (seconds < 120) return `${seconds}s`;
  if (minutes < 10) return join(minutes, 'm', seconds % 60, 's');
  if (hours < 3) return `${minutes}m`;
  if (hours < 8) return join(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  if (days < 8) return join(days, 'd', hours % 24, 'h');
  if (days < 365 * 2) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}
