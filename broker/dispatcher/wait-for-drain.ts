/**
 * Resolves when the last delivery in flight finishes (whoever sees that calls every function in
 * `drainWaiters`) or after `graceMs`, whichever comes first: how a stopping worker gives its
 * deliveries a bounded chance to end before it aborts them.
 */
export function waitForDrain(drainWaiters: Array<() => void>, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, graceMs);
    drainWaiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
