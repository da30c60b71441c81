/** What may cut a delivery short: `signal` any part of it, `backoffSignal` the waits between attempts. */
export type Aborts = { signal?: AbortSignal; backoffSignal?: AbortSignal };

/** Waits `ms`, rejecting with the reason of whichever of `aborts` aborts first, as soon as it does. */
export async function waitUnlessAborted(ms: number, aborts: Aborts): Promise<void> {
  const signals = [aborts.signal, aborts.backoffSignal].filter((signal): signal is AbortSignal => signal !== undefined);
  for (const signal of signals) signal.throwIfAborted();
  if (ms <= 0) return;
  return new Promise<void>((resolve, reject) => {
    const stop = (signal: AbortSignal) => () => settle(() => reject(signal.reason));
    const listeners = signals.map((signal) => [signal, stop(signal)] as const);
    const timer = setTimeout(() => settle(resolve), ms);
    function settle(finish: () => void): void {
      clearTimeout(timer);
      for (const [signal, listener] of listeners) signal.removeEventListener('abort', listener);
      finish();
    }
    for (const [signal, listener] of listeners) signal.addEventListener('abort', listener, { once: true });
  });
}
