import { join } from 'node:path';
import { sourceConformance, type AdapterFixture } from './source.suite.js';
import { webhookFixtures } from './webhooks/all.js';

const EMITTER = join(import.meta.dirname, '..', 'fixtures', 'container-source', 'emitter.mjs');

/** The long-running kinds: they emit by themselves. */
const adapters: AdapterFixture[] = [
  {
    kind: 'PingSource',
    apiVersion: 'sources.knative.dev/v1',
    plural: 'pingsources',
    spec: { schedule: '* * * * * *', data: 'tick' },
    expected: (name) => ({ type: 'dev.knative.sources.ping', source: `/apis/v1/namespaces/source-suite/pingsources/${name}` }),
  },
  {
    kind: 'ContainerSource',
    apiVersion: 'sources.knative.dev/v1',
    plural: 'containersources',
    // The emitter sends 1000 events 100 ms apart, each again until the sink takes it.
    spec: { template: { spec: { containers: [{ name: 'emitter', command: [process.execPath, EMITTER], env: [{ name: 'EVENTS', value: '1000' }] }] } } },
    expected: () => ({ type: 'dev.junction.test.heartbeat', source: '/heartbeat' }),
  },
];

sourceConformance(adapters, webhookFixtures);
