import { afterAll, expect } from 'vitest';
import { RabbitMqChannelFactory } from '../../channels/rabbitmq/index.js';
import { deleteWithPrefix, exchangesWithPrefix, queuesWithPrefix, RABBITMQ_URL, uniquePrefix } from '../support/rabbitmq-server.js';
import { describeChannelConformance } from './channel.suite.js';

// What only the RabbitMQ engine does is tested in test/integration/channel-rabbitmq-engine.test.ts.
const prefix = uniquePrefix('conformance');

describeChannelConformance('rabbitmq', () => Promise.resolve(new RabbitMqChannelFactory({ url: RABBITMQ_URL, prefix })), { durable: true });

// After the suite: it dropped every channel it opened, so nothing of this run is left on the shared server.
afterAll(async () => {
  const leftovers = [...queuesWithPrefix(prefix), ...exchangesWithPrefix(prefix)];
  await deleteWithPrefix(prefix);
  expect(leftovers).toEqual([]);
});
