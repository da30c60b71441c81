import { afterEach } from 'vitest';
import { Deliverer } from '../../broker/delivery/index.js';
import { startHttpSubscriber, type HttpSubscriber } from './http-subscriber.js';

/**
 * Subscribers and deliverers for a delivery test file, closed after each test. Call once at the
 * top of a test file (it registers the afterEach).
 */
export function useDeliveryFixtures(): {
  subscriber(...args: Parameters<typeof startHttpSubscriber>): Promise<HttpSubscriber>;
  deliverer(options?: ConstructorParameters<typeof Deliverer>[0]): Deliverer;
} {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((item) => item.close()));
  });
  return {
    async subscriber(...args) {
      const started = await startHttpSubscriber(...args);
      open.push(started);
      return started;
    },
    deliverer(options = {}) {
      const created = new Deliverer(options);
      open.push(created);
      return created;
    },
  };
}
