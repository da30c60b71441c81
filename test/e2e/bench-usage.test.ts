import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The benchmarks are commands users run: --help answers with their usage, a bad figure with one line.
const ROOT = join(import.meta.dirname, '..', '..');
const bench = (name: string, args: string[], timeout = 20_000) => {
  const script = join(ROOT, 'dist', 'bench', name, 'run.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout });
};

describe('bench commands', () => {
  it.each(['broker', 'channels', 'durability', 'webhooks'])('bench/%s --help prints its usage and runs nothing', (name) => {
    const result = bench(name, ['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(new RegExp(`^usage: node dist/bench/${name}/run\\.js \\[--`));
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a load figure that is not a positive number with one line and exit 2', () => {
    const result = bench('broker', ['--events', 'many']);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('bench: --events must be a positive number, got "many"');
    expect(result.stdout).toBe('');
  });

  it('bench/webhooks runs its three setups against a real Junction and loses nothing', () => {
    const result = bench('webhooks', ['--seconds', '0.3', '--warmup-seconds', '0.2', '--concurrency', '8'], 90_000);
    expect(result.status, result.stderr).toBe(0);
    for (const setup of ['1. GitHubSource (verify + dedupe)', '2. WebhookSource auth none (dedupe only)', '3. broker ingress, binary CloudEvents (baseline)']) {
      // Every request of the run answered 2xx: nothing refused, nothing lost.
      expect(result.stdout).toMatch(new RegExp(`^\\| ${setup.replace(/[.()+]/g, '\\$&')} \\| [1-9]\\d* \\| [1-9]\\d* \\|.*\\| 0 \\| 0 \\|$`, 'm'));
    }
    expect(result.stdout).toContain('lost = 0');
    expect(result.stdout).toMatch(/^\| 1 ÷ 3 \| /m);
    expect(result.stdout).toMatch(/^\| 1 ÷ 2 \| /m);
  }, 120_000);
});
