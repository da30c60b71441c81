import { HTTP, type CloudEvent as SdkEvent } from 'cloudevents';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resources/index.js';
import { eventually, sleep } from '../support/eventually.js';
import { startFakeKubeApiServer, type FakeKubeApiServer } from '../support/fake-kube-apiserver.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, type TestJunction } from '../support/junction.js';

const NS = 'watch';
const sink = { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } };

function apiServerSource(name: string, spec: Record<string, unknown>): Resource {
  return { apiVersion: 'sources.knative.dev/v1', kind: 'ApiServerSource', metadata: { name, namespace: NS }, spec: { sink, ceOverrides: { extensions: { watcher: name } }, ...spec } };
}

function configMap(name: string, namespace: string, labels: Record<string, string> = {}, data: Record<string, string> = { a: '1' }, extra: Record<string, unknown> = {}): Resource {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels, ...extra }, data };
}

describe('ApiServerSource with a real Junction', () => {
  let junction: TestJunction;
  let subscriber: HttpSubscriber;
  let cluster: FakeKubeApiServer | undefined;
  beforeAll(async () => {
    subscriber = await startHttpSubscriber();
  });
  afterAll(() => subscriber?.close());
  afterEach(async () => {
    await junction?.stop();
    await cluster?.close();
    cluster = undefined;
    subscriber.requests.length = 0;
  });

  /** The valid CloudEvents (read by the SDK) a watcher's events reached the subscriber as. */
  const eventsOf = (watcher: string): SdkEvent<any>[] =>
    subscriber.requests
      .map((request) => HTTP.toEvent({ headers: request.headers as Record<string, string>, body: request.body.toString('utf8') }) as SdkEvent<any>)
      .filter((event) => event.watcher === watcher);
  const summary = (watcher: string) => eventsOf(watcher).map((event) => `${event.type.split('.').pop()} ${event.name}`);

  const config = { 'log.level': process.env.APISERVER_DEBUG ? 'info' : 'silent' };
  const setUp = async (dataDir?: string) => {
    junction = await startTestJunction(config, dataDir);
    for (const resource of brokerWithTrigger({ namespace: NS, trigger: 'all', subscriberUrl: subscriber.url })) await junction.apply(resource);
    await junction.waitReady('triggers', NS, 'all');
  };

  it("emits ref add, update and delete of selected ConfigMaps of its namespace only, as valid Knative events", async () => {
    await setUp();
    await junction.apply(apiServerSource('refs', { resources: [{ apiVersion: 'v1', kind: 'ConfigMap', selector: { matchLabels: { app: 'demo' } } }] }));
    const ready = await junction.waitReady('apiserversources', NS, 'refs', 'sources.knative.dev/v1');
    expect(ready.status?.conditions?.map((c) => `${c.type}=${c.status}`).sort()).toEqual(['Deployed=True', 'Ready=True', 'SinkProvided=True']);

    await junction.apply(configMap('other-ns', 'elsewhere', { app: 'demo' }));
    await junction.apply(configMap('unlabelled', NS));
    await junction.apply(configMap('settings', NS, { app: 'demo' }));
    await eventually(() => expect(summary('refs')).toEqual(['add settings']));
    await junction.apply(configMap('settings', NS, { app: 'demo' }, { a: '2' }));
    await eventually(() => expect(summary('refs')).toEqual(['add settings', 'update settings']));
    expect((await junction.call('DELETE', `/api/v1/namespaces/${NS}/configmaps/settings`)).status).toBe(200);
    await eventually(() => expect(summary('refs')).toEqual(['add settings', 'update settings', 'delete settings']));

    const [added] = eventsOf('refs');
    expect(added).toMatchObject({
      type: 'dev.knative.apiserver.ref.add',
      source: junction.url,
      subject: `/api/v1/namespaces/${NS}/configmaps/settings`,
      kind: 'ConfigMap',
      apiversion: 'v1',
      name: 'settings',
      namespace: NS,
    });
    expect(added.data).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace: NS });
    expect(new Set(eventsOf('refs').map((e) => e.id)).size).toBe(3);

    // A label change out of the selector is a delete; the other namespace's object never shows.
    await junction.apply(configMap('relabelled', NS, { app: 'demo' }));
    await eventually(() => expect(summary('refs')).toContain('add relabelled'));
    await junction.apply(configMap('relabelled', NS, { app: 'gone' }));
    await eventually(() => expect(summary('refs')).toContain('delete relabelled'));
    expect(eventsOf('refs').some((e) => e.namespace !== NS || e.name === 'other-ns' || e.name === 'unlabelled')).toBe(false);
  });

  it('in mode Resource sends the object, only objects of the owner kind, and Secrets without their values', async () => {
    await setUp();
    await junction.apply(apiServerSource('owned', { mode: 'Resource', owner: { apiVersion: 'apps/v1', kind: 'Deployment' }, resources: [{ apiVersion: 'v1', kind: 'ConfigMap' }] }));
    await junction.apply(apiServerSource('secrets', { mode: 'Resource', resources: [{ apiVersion: 'v1', kind: 'Secret' }], filters: [{ suffix: { type: '.add' } }] }));
    await junction.waitReady('apiserversources', NS, 'owned', 'sources.knative.dev/v1');
    await junction.waitReady('apiserversources', NS, 'secrets', 'sources.knative.dev/v1');

    await junction.apply(configMap('loose', NS));
    await junction.apply(configMap('child', NS, {}, { a: '1' }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u-1' }] }));
    await junction.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: NS }, data: { password: Buffer.from('hunter2').toString('base64') } });
    await eventually(() => expect(summary('owned')).toEqual(['add child']));
    await eventually(() => expect(summary('secrets')).toEqual(['add creds']));

    const [child] = eventsOf('owned');
    expect(child.type).toBe('dev.knative.apiserver.resource.add');
    expect(child.data).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'child', namespace: NS }, data: { a: '1' } });
    const [secret] = eventsOf('secrets');
    expect(secret.data.data).toEqual({ password: '' });
    expect(JSON.stringify(secret.data)).not.toContain(Buffer.from('hunter2').toString('base64'));

    // The filter lets only adds through: an update of the Secret is not sent.
    await junction.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: NS }, data: { password: Buffer.from('other').toString('base64') } });
    await sleep(500);
    expect(summary('secrets')).toEqual(['add creds']);
  });

  it('after a restart of Junction sends nothing twice and catches up with changes', async () => {
    await setUp();
    await junction.apply(configMap('before', NS));
    await junction.apply(apiServerSource('resume', { resources: [{ apiVersion: 'v1', kind: 'ConfigMap' }] }));
    await eventually(() => expect(summary('resume')).toEqual(['add before']));
    const dataDir = junction.dataDir;
    await junction.stop(true);

    junction = await startTestJunction(config, dataDir);
    await junction.waitReady('apiserversources', NS, 'resume', 'sources.knative.dev/v1');
    await junction.apply(configMap('after', NS));
    await eventually(() => expect(summary('resume')).toEqual(['add before', 'add after']));
    await sleep(300);
    expect(summary('resume')).toEqual(['add before', 'add after']);
  });

  describe('with a kubeconfig (a cluster)', () => {
    const kubeSource = (name: string, extra: Record<string, unknown> = {}) =>
      apiServerSource(name, { resources: [{ apiVersion: 'v1', kind: 'ConfigMap', selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['demo'] }] } }], kubeconfig: { secretKeyRef: { name: 'cluster', key: 'config' } }, ...extra });
    const applyKubeconfig = (fake: FakeKubeApiServer) =>
      junction.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cluster', namespace: NS }, data: { config: Buffer.from(fake.kubeconfig()).toString('base64') } });

    it('lists and watches the cluster, and after a cut watch re-lists: an update and a delete made meanwhile are still emitted', async () => {
      cluster = await startFakeKubeApiServer();
      const fake = cluster;
      fake.create(configMap('existing', NS, { app: 'demo' }));
      fake.create(configMap('other-ns', 'elsewhere', { app: 'demo' }));
      await setUp();
      await applyKubeconfig(fake);
      await junction.apply(kubeSource('kube', { mode: 'Resource' }));
      await junction.waitReady('apiserversources', NS, 'kube', 'sources.knative.dev/v1');
      await eventually(() => expect(summary('kube')).toEqual(['add existing']));
      const [existing] = eventsOf('kube');
      expect(existing).toMatchObject({ source: fake.url, subject: `/api/v1/namespaces/${NS}/configmaps/existing`, type: 'dev.knative.apiserver.resource.add' });
      expect(existing.data).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'existing' } });

      await eventually(() => expect(fake.openWatches()).toBe(1));
      const live = fake.create(configMap('live', NS, { app: 'demo' }));
      await eventually(() => expect(summary('kube')).toEqual(['add existing', 'add live']));

      // Cut the watch and change objects before the adapter can watch again: only a re-list can see these.
      const lists = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/configmaps') && !r.query.watch).length;
      expect(fake.cutWatches()).toBe(1);
      fake.update({ ...live, data: { a: 'changed' } });
      fake.remove('v1', 'ConfigMap', NS, 'existing');
      fake.compact();
      await eventually(() => expect(summary('kube')).toEqual(['add existing', 'add live', 'update live', 'delete existing']));
      expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/configmaps') && !r.query.watch).length).toBeGreaterThan(lists);
      expect(eventsOf('kube')[2].data.data).toEqual({ a: 'changed' });
      expect(eventsOf('kube').every((e) => e.namespace === NS)).toBe(true);
      // Resuming the first watch instead of listing would have failed: its position was compacted away.
      const stale = await fetch(`${fake.url}/api/v1/namespaces/${NS}/configmaps?watch=1&resourceVersion=${live.metadata.resourceVersion}`, { headers: { authorization: `Bearer ${fake.token}` } });
      expect(JSON.parse((await stale.text()).trim())).toMatchObject({ type: 'ERROR', object: { code: 410 } });
    });

    it('resumes after a restart of Junction: changes made while it was down are emitted once', async () => {
      cluster = await startFakeKubeApiServer();
      const fake = cluster;
      const kept = fake.create(configMap('kept', NS, { app: 'demo' }));
      fake.create(configMap('dropped', NS, { app: 'demo' }));
      await setUp();
      await applyKubeconfig(fake);
      await junction.apply(kubeSource('kube-restart'));
      await eventually(() => expect(summary('kube-restart').sort()).toEqual(['add dropped', 'add kept']));
      const dataDir = junction.dataDir;
      await junction.stop(true);

      fake.update({ ...kept, data: { a: 'while down' } });
      fake.remove('v1', 'ConfigMap', NS, 'dropped');
      fake.create(configMap('new', NS, { app: 'demo' }));
      junction = await startTestJunction(config, dataDir);
      await eventually(() => expect(summary('kube-restart').slice(2).sort()).toEqual(['add new', 'delete dropped', 'update kept']));
      await sleep(300);
      expect(summary('kube-restart')).toHaveLength(5);
    });

    it('is not Ready while the kubeconfig Secret is missing, naming it', async () => {
      await setUp();
      await junction.apply(kubeSource('no-config'));
      await eventually(async () => {
        const status = (await junction.call('GET', `/apis/sources.knative.dev/v1/namespaces/${NS}/apiserversources/no-config`)).json.status;
        expect(status?.conditions?.find((c: { type: string }) => c.type === 'Deployed')).toMatchObject({ status: 'False', reason: 'StartFailed', message: expect.stringContaining('cluster') });
      });
    });
  });
});
