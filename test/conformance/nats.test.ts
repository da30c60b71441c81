import { afterAll } from 'vitest';
import { NatsChannelFactory } from '../../channels/nats/index.js';
import { deleteStreams, uniqueStreamPrefix } from '../support/nats-streams.js';
import { NATS_URL } from '../support/services.js';
import { describeChannelConformance } from './channel.suite.js';

// The shared JetStream server (NATS_URL, default 127.0.0.1:4222; docs/testing.md); every stream of this run carries its own prefix.
// What only the NATS engine does is tested in test/integration/channel-nats-engine.test.ts.
const servers = NATS_URL;
const streamPrefix = uniqueStreamPrefix('conformance');
afterAll(() => deleteStreams(servers, streamPrefix));

describeChannelConformance('nats', () => Promise.resolve(new NatsChannelFactory({ servers, streamPrefix, subjectPrefix: streamPrefix.toLowerCase() })), { durable: true });
