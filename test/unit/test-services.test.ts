import { afterEach, describe, expect, it } from 'vitest';
import { ensureServices, serviceUrl, services } from '../support/services.js';

// The suite's own guard: a server it needs that cannot be had fails the run by name (docs/testing.md).
describe('test services check', () => {
  afterEach(() => {
    delete process.env.REDIS_URL;
  });

  it('fails naming a service pointed at an address where nothing listens, without trying to start it', async () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:1';
    expect(serviceUrl('Redis')).toBe('redis://127.0.0.1:1');
    await expect(ensureServices(services.filter((s) => s.name === 'Redis'), 1_000)).rejects.toThrow(
      'required test services are down and could not be started: Redis (127.0.0.1:1, set REDIS_URL to use another) — see docs/testing.md',
    );
  });

  it('passes when every default server is up', async () => {
    expect(serviceUrl('Redis')).toBe('redis://127.0.0.1:6379');
    await expect(ensureServices()).resolves.toBeUndefined();
  });
});
