import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { Resource } from '../../core/resources/index.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';

// Issue #13, items 6 and 16: admission let a Trigger be re-pointed at another broker, stored
// unknown fields verbatim, admitted refs into other namespaces, and listed invalid namespaces.

const EVENTING = 'eventing.knative.dev/v1';
const MESSAGING = 'messaging.knative.dev/v1';
const pathOf = (apiVersion: string, namespace: string, plural: string, name?: string) =>
  `${apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`}/namespaces/${namespace}/${plural}${name ? `/${name}` : ''}`;

describe('admission hardening', () => {
  let junction: TestJunction;
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) => {
    const response = await request(`${junction.url}${path}`, {
      method,
      headers: { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    const warning = response.headers.warning;
    return { status: response.statusCode, json: text ? JSON.parse(text) : undefined, warnings: warning === undefined ? [] : [warning].flat() };
  };
  const put = (resource: Resource, query = '') => call('PUT', `${pathOf(resource.apiVersion, resource.metadata.namespace ?? 'default', `${resource.kind.toLowerCase()}s`, resource.metadata.name)}${query}`, resource);
  const broker = (name: string, annotations?: Record<string, string>, spec: Record<string, unknown> = {}): Resource => ({
    apiVersion: EVENTING,
    kind: 'Broker',
    metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec,
  });
  const trigger = (name: string, spec: Record<string, unknown>, namespace = 'default'): Resource => ({ apiVersion: EVENTING, kind: 'Trigger', metadata: { name, namespace }, spec });

  beforeAll(async () => {
    junction = await startTestJunction();
    for (const name of ['orders', 'payments']) await junction.apply(broker(name));
    await junction.apply({ apiVersion: MESSAGING, kind: 'InMemoryChannel', metadata: { name: 'first', namespace: 'default' } });
    await junction.apply({ apiVersion: MESSAGING, kind: 'InMemoryChannel', metadata: { name: 'second', namespace: 'default' } });
  });
  afterAll(async () => junction?.stop());

  describe('immutable fields (Knative CheckImmutableFields)', () => {
    it('refuses to re-point a Trigger at another broker by PUT or PATCH, with the field path, and keeps it on its broker', async () => {
      await junction.apply(trigger('audit', { broker: 'orders', subscriber: { uri: 'http://127.0.0.1:9/audit' } }));
      const path = pathOf(EVENTING, 'default', 'triggers', 'audit');
      for (const answer of [await put(trigger('audit', { broker: 'payments', subscriber: { uri: 'http://127.0.0.1:9/audit' } })), await call('PATCH', path, { spec: { broker: 'payments' } })]) {
        expect(answer.status).toBe(400);
        expect(answer.json.code).toBe('JUNCTION_FIELD_IMMUTABLE');
        expect(answer.json.errors).toEqual([expect.objectContaining({ path: 'spec.broker', message: expect.stringMatching(/immutable.*"orders".*"payments"/) })]);
      }
      expect((await call('GET', path)).json.spec.broker).toBe('orders');
      // What may change still does.
      const moved = await call('PATCH', path, { spec: { subscriber: { uri: 'http://127.0.0.1:9/elsewhere' }, filter: { attributes: { type: 'x' } } } });
      expect(moved.status).toBe(200);
      expect(moved.json.spec).toMatchObject({ broker: 'orders', subscriber: { uri: 'http://127.0.0.1:9/elsewhere' } });
    });

    // One row per field Knative (or Junction's engine choice) fixes at creation: created, then changed.
    it.each<[string, Resource, Record<string, unknown>, string]>([
      ['a Broker class annotation', broker('classy', { 'eventing.knative.dev/broker.class': 'MTChannelBasedBroker' }), { metadata: { annotations: { 'eventing.knative.dev/broker.class': 'Kafka' } } }, 'metadata.annotations.eventing.knative.dev/broker.class'],
      ['a Broker class defaulted at creation', broker('defaulted'), { metadata: { annotations: { 'eventing.knative.dev/broker.class': 'RabbitMQBroker' } } }, 'metadata.annotations.eventing.knative.dev/broker.class'],
      ['a Broker engine annotation', broker('engine', { 'junction.dev/channel': 'sqlite' }), { metadata: { annotations: { 'junction.dev/channel': 'memory' } } }, 'metadata.annotations.junction.dev/channel'],
      ['a Broker spec.config', broker('configured', undefined, { config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'a' } }), { spec: { config: { name: 'b' } } }, 'spec.config'],
      [
        'a Subscription channel',
        { apiVersion: MESSAGING, kind: 'Subscription', metadata: { name: 'sub', namespace: 'default' }, spec: { channel: { apiVersion: MESSAGING, kind: 'InMemoryChannel', name: 'first' }, subscriber: { uri: 'http://127.0.0.1:9/' } } },
        { spec: { channel: { name: 'second' } } },
        'spec.channel',
      ],
      [
        'a Channel channelTemplate',
        { apiVersion: MESSAGING, kind: 'Channel', metadata: { name: 'templated', namespace: 'default' }, spec: { channelTemplate: { apiVersion: MESSAGING, kind: 'InMemoryChannel' } } },
        { spec: { channelTemplate: { apiVersion: 'messaging.knative.dev/v1beta1', kind: 'KafkaChannel' } } },
        'spec.channelTemplate',
      ],
      ['a KafkaChannel numPartitions', { apiVersion: 'messaging.knative.dev/v1beta1', kind: 'KafkaChannel', metadata: { name: 'topic', namespace: 'default' }, spec: { numPartitions: 3 } }, { spec: { numPartitions: 6 } }, 'spec.numPartitions'],
      ['a KafkaChannel replicationFactor', { apiVersion: 'messaging.knative.dev/v1beta1', kind: 'KafkaChannel', metadata: { name: 'replicated', namespace: 'default' }, spec: {} }, { spec: { replicationFactor: 3 } }, 'spec.replicationFactor'],
      ['a Secret type', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' }, type: 'Opaque', data: {} }, { type: 'kubernetes.io/basic-auth' }, 'type'],
    ])('refuses a change of %s', async (_name, resource, patch, field) => {
      expect((await put(resource)).status).toBe(201);
      const plural = `${resource.kind.toLowerCase()}s`;
      const answer = await call('PATCH', pathOf(resource.apiVersion, 'default', plural, resource.metadata.name), patch);
      expect(answer.status).toBe(400);
      expect(answer.json.code).toBe('JUNCTION_FIELD_IMMUTABLE');
      expect(answer.json.errors.map((problem: { path: string }) => problem.path)).toEqual([field]);
    });

    it('a Sequence whose channelTemplate changes re-creates its channels (they cannot change in place) and is Ready again', async () => {
      const sequence = (templateSpec?: Record<string, unknown>): Resource => ({
        apiVersion: 'flows.knative.dev/v1',
        kind: 'Sequence',
        metadata: { name: 'steps', namespace: 'default' },
        spec: { channelTemplate: { apiVersion: MESSAGING, kind: 'InMemoryChannel', ...(templateSpec ? { spec: templateSpec } : {}) }, steps: [{ uri: 'http://127.0.0.1:9/step' }] },
      });
      await junction.apply(sequence());
      await junction.waitReady('sequences', 'default', 'steps', 'flows.knative.dev/v1');
      const before = (await call('GET', pathOf(MESSAGING, 'default', 'channels', 'steps-kn-sequence-0'))).json;
      expect(before.spec.channelTemplate.kind).toBe('InMemoryChannel');
      const changed = await put(sequence({ delivery: { retry: 1 } }));
      expect(changed.status).toBe(200);
      await expect
        .poll(async () => (await call('GET', pathOf(MESSAGING, 'default', 'channels', 'steps-kn-sequence-0'))).json?.metadata?.uid, { timeout: 10_000 })
        .not.toBe(before.metadata.uid);
      const after = (await call('GET', pathOf(MESSAGING, 'default', 'channels', 'steps-kn-sequence-0'))).json;
      expect(after.spec.channelTemplate).toEqual({ apiVersion: MESSAGING, kind: 'InMemoryChannel', spec: { delivery: { retry: 1 } } });
      await junction.waitReady('sequences', 'default', 'steps', 'flows.knative.dev/v1');
    });
  });

  describe('unknown fields (Kubernetes fieldValidation)', () => {
    const sloppy = (name: string): Resource => ({
      ...trigger(name, { broker: 'orders', subscriber: { uri: 'http://127.0.0.1:9/', port: 80 }, filtr: { attributes: { type: 'a' } }, filter: { attributes: { type: 'b' } } }),
      metadata: { name, namespace: 'default', labels: { team: 'a' }, finalizers: ['example.com/keep'], ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' }], colour: 'red' },
      extra: true,
    });
    const unknown = ['extra', 'metadata.colour', 'spec.filtr', 'spec.subscriber.port'];

    it('prunes them by default (Warn), with one Warning header each, and keeps every Kubernetes metadata field', async () => {
      const answer = await put(sloppy('sloppy'));
      expect(answer.status).toBe(201);
      expect([...answer.warnings].sort()).toEqual(unknown.map((path) => `299 - "unknown field \\"${path}\\""`).sort());
      const stored = (await call('GET', pathOf(EVENTING, 'default', 'triggers', 'sloppy'))).json;
      expect(stored).not.toHaveProperty('extra');
      expect(stored.metadata).not.toHaveProperty('colour');
      expect(stored.spec).toEqual({ broker: 'orders', subscriber: { uri: 'http://127.0.0.1:9/' }, filter: { attributes: { type: 'b' } } });
      expect(stored.metadata).toMatchObject({ labels: { team: 'a' }, finalizers: ['example.com/keep'], ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' }] });
    });

    it('still refuses unknown fields of a filter or delivery in every mode: pruned, they would silently change what is delivered', async () => {
      for (const [spec, path] of [
        [{ filter: { atributes: { type: 'a' } } }, 'spec.filter.atributes'],
        [{ delivery: { retries: 3 } }, 'spec.delivery.retries'],
      ] as const) {
        const answer = await put(trigger('typo', { broker: 'orders', subscriber: { uri: 'http://127.0.0.1:9/' }, ...spec }));
        expect(answer.status).toBe(400);
        expect(answer.json.errors).toEqual([expect.objectContaining({ path })]);
      }
    });

    it('refuses them with ?fieldValidation=Strict, listing every one, and stores nothing', async () => {
      const answer = await put(sloppy('strict'), '?fieldValidation=Strict');
      expect(answer.status).toBe(400);
      expect(answer.json.code).toBe('JUNCTION_RESOURCE_INVALID');
      expect(answer.json.errors.map((problem: { path: string }) => problem.path).sort()).toEqual([...unknown].sort());
      expect(answer.json.errors.every((problem: { message: string }) => problem.message === 'unknown field')).toBe(true);
      expect((await call('GET', pathOf(EVENTING, 'default', 'triggers', 'strict'))).status).toBe(404);
    });

    it('prunes them silently with ?fieldValidation=Ignore, warns on PATCH too, and refuses a bad mode', async () => {
      const ignored = await put(sloppy('quiet'), '?fieldValidation=Ignore');
      expect(ignored.status).toBe(201);
      expect(ignored.warnings).toEqual([]);
      expect(ignored.json).not.toHaveProperty('extra');
      const patched = await call('PATCH', pathOf(EVENTING, 'default', 'triggers', 'quiet'), { spec: { subscriber: { url: 'http://typo/' } } });
      expect(patched.status).toBe(200);
      expect(patched.warnings).toEqual(['299 - "unknown field \\"spec.subscriber.url\\""']);
      const bad = await put(sloppy('quiet'), '?fieldValidation=Loose');
      expect(bad.status).toBe(400);
      expect(bad.json.code).toBe('JUNCTION_BAD_REQUEST');
    });

    it('caps the warnings of a document full of unknown fields at 20 short ASCII headers, the last counting the rest', async () => {
      const junk = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`junk${index}`, index]));
      const answer = await put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'junk', namespace: 'default' }, data: {}, ['ü'.repeat(5000)]: 1, ...junk });
      expect(answer.status).toBe(201);
      expect(answer.warnings).toHaveLength(20);
      expect(answer.warnings[0]).toMatch(/^299 - "unknown field \\"(\\u00fc){200,}/);
      expect(answer.warnings[1]).toBe('299 - "unknown field \\"junk0\\""');
      expect(answer.warnings[19]).toBe('299 - "82 more unknown fields were pruned"');
      expect(answer.warnings.every((warning: string) => /^[\x20-\x7e]{1,1600}$/.test(warning))).toBe(true);
    });

    it('knows every field of the Knative kinds: a full Subscription, Parallel and Secret come back as written, without warnings', async () => {
      const documents: Resource[] = [
        {
          apiVersion: MESSAGING,
          kind: 'Subscription',
          metadata: { name: 'full', namespace: 'default', annotations: { note: 'x' } },
          spec: {
            channel: { apiVersion: MESSAGING, kind: 'InMemoryChannel', name: 'first' },
            subscriber: { ref: { apiVersion: EVENTING, kind: 'Broker', name: 'orders', namespace: 'default' }, uri: '/path', CACerts: 'pem', audience: 'aud' },
            reply: { uri: 'http://127.0.0.1:9/reply' },
            delivery: { retry: 2, backoffPolicy: 'linear', backoffDelay: 'PT1S', deadLetterSink: { uri: 'http://127.0.0.1:9/dls' } },
          },
        },
        {
          apiVersion: 'flows.knative.dev/v1',
          kind: 'Parallel',
          metadata: { name: 'fan', namespace: 'default' },
          spec: {
            channelTemplate: { apiVersion: MESSAGING, kind: 'InMemoryChannel', spec: { anything: 'kept' } },
            branches: [{ filter: { uri: 'http://127.0.0.1:9/f' }, subscriber: { uri: 'http://127.0.0.1:9/s' }, reply: { uri: 'http://127.0.0.1:9/r' }, delivery: { retry: 1 } }],
            reply: { uri: 'http://127.0.0.1:9/out' },
          },
        },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { a: '1' }, binaryData: { b: 'AA==' } },
      ];
      for (const document of documents) {
        const answer = await put(document);
        expect(answer.status, JSON.stringify(answer.json)).toBe(201);
        expect(answer.warnings, document.kind).toEqual([]);
        expect(answer.json.spec ?? answer.json.data).toEqual(document.spec ?? document.data);
      }
    });
  });

  describe('references into other namespaces', () => {
    it.each<[string, Resource, string]>([
      ['a Trigger subscriber', trigger('away', { broker: 'orders', subscriber: { ref: { apiVersion: EVENTING, kind: 'Broker', name: 'orders', namespace: 'other-team' } } }), 'spec.subscriber.ref.namespace'],
      [
        'a Trigger dead-letter sink',
        trigger('away-dls', { broker: 'orders', subscriber: { uri: 'http://127.0.0.1:9/' }, delivery: { deadLetterSink: { ref: { apiVersion: EVENTING, kind: 'Broker', name: 'dlq', namespace: 'other-team' } } } }),
        'spec.delivery.deadLetterSink.ref.namespace',
      ],
      [
        'a Subscription reply',
        { apiVersion: MESSAGING, kind: 'Subscription', metadata: { name: 'away', namespace: 'default' }, spec: { channel: { apiVersion: MESSAGING, kind: 'InMemoryChannel', name: 'first' }, reply: { ref: { apiVersion: MESSAGING, kind: 'InMemoryChannel', name: 'x', namespace: 'other-team' } } } },
        'spec.reply.ref.namespace',
      ],
      [
        'a Sequence step',
        { apiVersion: 'flows.knative.dev/v1', kind: 'Sequence', metadata: { name: 'away', namespace: 'default' }, spec: { steps: [{ ref: { apiVersion: EVENTING, kind: 'Broker', name: 'orders', namespace: 'other-team' } }] } },
        'spec.steps[0].ref.namespace',
      ],
    ])('refuses %s in another namespace (Knative: mismatched namespaces), storing nothing', async (_name, resource, field) => {
      const answer = await put(resource);
      expect(answer.status).toBe(400);
      expect(answer.json.code).toBe('JUNCTION_RESOURCE_INVALID');
      expect(answer.json.errors).toEqual([expect.objectContaining({ path: field, message: expect.stringMatching(/mismatched namespaces/) })]);
      expect((await call('GET', pathOf(resource.apiVersion, 'default', `${resource.kind.toLowerCase()}s`, resource.metadata.name))).status).toBe(404);
    });

    it('a Trigger stored with such a ref before this check (an older data dir) is not Ready, and says why', async () => {
      // The other namespace's broker exists and is Ready: only the namespace rule keeps the trigger from being Ready.
      await junction.apply({ ...broker('orders'), metadata: { name: 'orders', namespace: 'other-team' } });
      await junction.waitReady('brokers', 'other-team', 'orders');
      const stored = trigger('legacy', { broker: 'orders', subscriber: { ref: { apiVersion: EVENTING, kind: 'Broker', name: 'orders', namespace: 'other-team' } } });
      junction.resources.store.create(junction.resources.keyOf(junction.resources.kinds.forDocument(EVENTING, 'Trigger'), 'default', 'legacy'), stored);
      await expect
        .poll(async () => (await call('GET', pathOf(EVENTING, 'default', 'triggers', 'legacy'))).json?.status?.conditions?.find((condition: { type: string }) => condition.type === 'Ready'), {
          timeout: 10_000,
        })
        .toMatchObject({ status: 'False', reason: 'MismatchedNamespace', message: expect.stringContaining('spec.subscriber.ref.namespace') });
    });

    it('admits a ref that names its own namespace, and the trigger becomes Ready', async () => {
      const answer = await put(trigger('home', { broker: 'orders', subscriber: { ref: { apiVersion: EVENTING, kind: 'Broker', name: 'payments', namespace: 'default' } } }));
      expect(answer.status).toBe(201);
      await junction.waitReady('triggers', 'default', 'home');
    });
  });

  describe('namespaces in the URL', () => {
    it.each(['Bad_NS', 'UPPER', '-dash', 'a'.repeat(64)])('answers 400 for namespace %s on every verb, as a write with it is refused', async (namespace) => {
      const collection = pathOf(EVENTING, namespace, 'brokers');
      for (const [method, path] of [
        ['GET', collection],
        ['GET', `${collection}?watch=true`],
        ['GET', `${collection}/default`],
        ['DELETE', `${collection}/default`],
        ['PATCH', `${collection}/default`],
        ['GET', `/apis/junction.dev/v1/namespaces/${namespace}/events?kind=Broker&name=default`],
        ['GET', `/apis/junction.dev/v1/namespaces/${namespace}/tokens`],
        ['POST', `/apis/junction.dev/v1/namespaces/${namespace}/replays`],
      ] as const) {
        const answer = await call(method, path, method === 'PATCH' ? { spec: {} } : method === 'POST' ? { trigger: 'audit', from: 0 } : undefined);
        expect(answer.status, `${method} ${path}`).toBe(400);
        expect(answer.json.code).toBe('JUNCTION_BAD_REQUEST');
        expect(answer.json.errors).toEqual([expect.objectContaining({ path: 'metadata.namespace' })]);
      }
      const created = await call('POST', collection, broker('x'));
      expect(created.status).toBe(400);
    });

    it('still lists a valid namespace that has nothing, and every namespace', async () => {
      expect((await call('GET', pathOf(EVENTING, 'empty-team', 'brokers'))).json.items).toEqual([]);
      expect((await call('GET', '/apis/eventing.knative.dev/v1/brokers')).status).toBe(200);
    });
  });
});
