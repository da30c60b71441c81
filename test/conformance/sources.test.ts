import { join } from 'node:path';
import type { TestJunction } from '../support/junction.js';
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
  (() => {
    // Its events' source is Junction's URL, known once the suite's Junction runs (provoke sees it first).
    let junctionUrl = '';
    let changes = 0;
    return {
      kind: 'ApiServerSource',
      apiVersion: 'sources.knative.dev/v1',
      plural: 'apiserversources',
      spec: { resources: [{ apiVersion: 'v1', kind: 'ConfigMap', selector: { matchLabels: { suite: 'apiserver' } } }] },
      async provoke(junction: TestJunction, name: string) {
        junctionUrl = junction.url;
        await junction.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-${changes++}`, namespace: 'source-suite', labels: { suite: 'apiserver' } }, data: { n: String(changes) } });
      },
      expected: () => ({
        type: 'dev.knative.apiserver.ref.add',
        get source() {
          return junctionUrl;
        },
      }),
    };
  })(),
];

sourceConformance(adapters, webhookFixtures);
