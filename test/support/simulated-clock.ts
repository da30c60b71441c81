import type { Clock } from '../../core/clock/index.js';

/** A clock that moves only when the test says so. */
export class SimulatedClock implements Clock {
  constructor(private time = Date.parse('2026-12-06T12:00:00Z')) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): number {
    this.time += ms;
    return this.time;
  }
}
