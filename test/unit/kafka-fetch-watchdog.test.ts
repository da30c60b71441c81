import { afterEach, describe, expect, it, vi } from 'vitest';
import { FetchWatchdog, type WatchedGroup } from '../../channels/kafka/fetch-watchdog.js';

/** A group whose partition 0 has `high` records and whose consumer stands at `next`. */
function group(state: { next: number; high: number; fetching?: boolean }, stalled: number[][]): WatchedGroup {
  return {
    fetching: () => state.fetching ?? true,
    partitions: () => [0],
    next: () => state.next,
    watermarks: async () => new Map([[0, { low: 0, high: state.high }]]),
    stalled: (partitions) => void stalled.push(partitions),
  };
}

describe('kafka fetch watchdog', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for a rejoin when records wait and nothing came for the window, not when the partition is idle or paused', async () => {
    vi.useFakeTimers();
    const stalled: number[][] = [];
    const state = { next: 5, high: 5, fetching: true };
    const watchdog = new FetchWatchdog(1000, group(state, stalled));
    watchdog.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(stalled).toEqual([]); // idle: nothing waits
    state.high = 9;
    state.fetching = false;
    await vi.advanceTimersByTimeAsync(3000);
    expect(stalled).toEqual([]); // paused on purpose
    state.fetching = true;
    await vi.advanceTimersByTimeAsync(1500);
    expect(stalled).toEqual([[0]]);
    watchdog.stop();
  });

  it('backs off, and leaves a partition stuck at one offset after two rejoins until it moves', async () => {
    vi.useFakeTimers();
    const stalled: number[][] = [];
    const state = { next: 5, high: 6 }; // e.g. a transaction marker the consumer never hands out
    const watchdog = new FetchWatchdog(1000, group(state, stalled));
    watchdog.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stalled).toHaveLength(2);
    // Records flow again (the partition moved): a later stall counts afresh.
    watchdog.fed(0);
    state.next = 6;
    state.high = 8;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stalled).toHaveLength(4);
    watchdog.stop();
  });
});
