import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { droppingLogDestination } from '../../cli/start/log-stream.js';

// A real pipe: the write end is ours, the read end belongs to `sleep`, which never reads it.
function pipeToSleeper() {
  const sleeper = spawn('sleep', ['60'], { stdio: ['pipe', 'ignore', 'ignore'] });
  return { sleeper, pipe: sleeper.stdin! };
}

const sleepers: ReturnType<typeof pipeToSleeper>['sleeper'][] = [];
afterEach(() => {
  for (const sleeper of sleepers.splice(0)) sleeper.kill('SIGKILL');
});

const line = `${JSON.stringify({ level: 30, msg: 'x'.repeat(1000) })}\n`;

describe('droppingLogDestination', () => {
  it('stops queueing log lines for a reader that does not read once 1 MiB waits, instead of growing without bound', () => {
    const { sleeper, pipe } = pipeToSleeper();
    sleepers.push(sleeper);
    const destination = droppingLogDestination(pipe);
    for (let i = 0; i < 4096; i++) destination.write(line); // 4 MiB, far past the 64 KiB a pipe holds
    expect(pipe.writableLength).toBeGreaterThan(512 * 1024);
    expect(pipe.writableLength).toBeLessThanOrEqual(1024 * 1024 + line.length);
  });

  it('drops lines quietly once the reader is gone: no throw, no error escaping as an uncaught exception', async () => {
    const { sleeper, pipe } = pipeToSleeper();
    const destination = droppingLogDestination(pipe);
    sleeper.kill('SIGKILL');
    await once(sleeper, 'exit');
    for (let i = 0; i < 10; i++) destination.write(line);
    await once(pipe, 'close');
    expect(pipe.destroyed).toBe(true);
    expect(() => destination.write(line)).not.toThrow();
  });
});
