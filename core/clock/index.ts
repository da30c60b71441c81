/** Where time comes from: injected so time-driven logic (the autoscaler) runs on a simulated clock in tests. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };
