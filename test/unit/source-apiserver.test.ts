import { HTTP, CloudEvent as SdkEvent } from 'cloudevents';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { Resource } from '../../core/resources/index.js';
import type { SourceContext } from '../../sources/index.js';
import { ChangeEmitter } from '../../sources/apiserver/emitter.js';
import { changeEvent, changeId, objectPath, ownerMatches, redactSecret, selectorMatches, watches } from '../../sources/apiserver/mapping.js';
import { validateApiServerSpec, type ApiServerSpec } from '../../sources/apiserver/spec.js';
import { eventually } from '../support/eventually.js';

const configMap = (name: string, resourceVersion: string, labels?: Record<string, string>): Resource => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'team', uid: `uid-${name}`, resourceVersion, labels },
  data: { a: '1' },
});

describe('ApiServerSource selectors', () => {
  it('matches matchLabels and every matchExpressions operator as Kubernetes does', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(selectorMatches(undefined, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'db' } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] }, labels)).toBe(true);
    // NotIn and DoesNotExist hold for a missing label.
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, undefined)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels)).toBe(false);
  });

  it('filters by owner kind (and apiVersion when given), and watches a kind in any of its versions', () => {
    const owned: Resource = { ...configMap('a', '1'), metadata: { ...configMap('a', '1').metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'x' }] } };
    expect(ownerMatches({ kind: 'Deployment' }, owned)).toBe(true);
    expect(ownerMatches({ apiVersion: 'apps/v1', kind: 'Deployment' }, owned)).toBe(true);
    expect(ownerMatches({ apiVersion: 'apps/v1beta1', kind: 'Deployment' }, owned)).toBe(false);
    expect(ownerMatches({ kind: 'ReplicaSet' }, owned)).toBe(false);
    const spec: ApiServerSpec = { resources: [{ apiVersion: 'sources.knative.dev/v1', kind: 'PingSource' }] };
    expect(watches(spec, { apiVersion: 'sources.knative.dev/v1beta2', kind: 'PingSource', metadata: { name: 'p' } })).toBe(true);
    expect(watches(spec, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' } })).toBe(false);
  });

  it('refuses In without values, Exists with values, a namespaceSelector and an unknown filter dialect, naming each field', () => {
    const problems = validateApiServerSpec({
      resources: [{ apiVersion: 'v1', kind: 'ConfigMap', selector: { matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }] } }],
      namespaceSelector: { matchLabels: { a: 'b' } },
      filters: [{ nonsense: { type: 'x' } }],
    });
    expect(problems.map((p) => p.path)).toEqual([
      'spec.resources[0].selector.matchExpressions[0].values',
      'spec.resources[0].selector.matchExpressions[1].values',
      'spec.namespaceSelector',
      expect.stringContaining('spec.filters[0]'),
    ]);
    expect(validateApiServerSpec({ resources: [{ apiVersion: 'v1', kind: 'ConfigMap' }], filters: [{ prefix: { type: 'dev.knative.apiserver.ref' } }] })).toEqual([]);
  });
});

describe('ApiServerSource events', () => {
  it('maps a change to a valid Knative event: ref data by default, the object in mode Resource, the object path as subject', () => {
    const change = { type: 'add' as const, object: configMap('settings', '7'), resourceVersion: '7', plural: 'configmaps' };
    const reference = changeEvent(change, 'Reference', 'https://junction.example', 0);
    expect(reference).toMatchObject({
      type: 'dev.knative.apiserver.ref.add',
      source: 'https://junction.example',
      subject: '/api/v1/namespaces/team/configmaps/settings',
      kind: 'ConfigMap',
      apiversion: 'v1',
      name: 'settings',
      namespace: 'team',
      datacontenttype: 'application/json',
      data: { apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace: 'team' },
    });
    const resource = changeEvent({ ...change, type: 'update' }, 'Resource', 'https://junction.example', 0);
    expect(resource.type).toBe('dev.knative.apiserver.resource.update');
    expect(resource.data).toEqual(configMap('settings', '7'));
    for (const event of [reference, resource]) {
      const message = HTTP.structured(new SdkEvent(event as never));
      expect(() => HTTP.toEvent(message)).not.toThrow();
    }
    expect(objectPath('apps/v1', 'deployments', 'team', 'web')).toBe('/apis/apps/v1/namespaces/team/deployments/web');
  });

  it('keeps an id per change: the same change gets the same id, another version or type another', () => {
    expect(changeId('u', '7', 'add')).toBe(changeId('u', '7', 'add'));
    expect(changeId('u', '7', 'add')).not.toBe(changeId('u', '8', 'add'));
    expect(changeId('u', '7', 'add')).not.toBe(changeId('u', '7', 'delete'));
  });

  it('never shows a Secret value: data emptied, stringData and the last-applied annotation dropped', () => {
    const secret: Resource = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}' } },
      data: { password: 'aHVudGVyMg==' },
      stringData: { token: 'plain' },
    };
    const shown = JSON.stringify(redactSecret(secret));
    expect(shown).not.toContain('aHVudGVyMg');
    expect(shown).not.toContain('plain');
    expect(redactSecret(secret).data).toEqual({ password: '' });
  });
});

/** A SourceContext with an in-memory state and a sink that records (or refuses while `refusing`). */
function fakeContext(state = new Map<string, string>()) {
  const sent: CloudEvent[] = [];
  const control = { refusing: false, attempts: 0 };
  const context = {
    namespace: 'team',
    name: 'watcher',
    state: { get: (key: string) => state.get(key), set: (key: string, value: string) => void state.set(key, value) },
    sink: {
      uri: 'memory:',
      send: async (events: CloudEvent[]) => {
        control.attempts++;
        if (control.refusing) throw new Error('full');
        sent.push(...events);
      },
    },
    logger: pino({ level: 'silent' }),
    report: () => undefined,
    now: () => 0,
  } as unknown as SourceContext;
  return { context, sent, state, control };
}

describe('ApiServerSource emitter', () => {
  const spec: ApiServerSpec = { resources: [{ apiVersion: 'v1', kind: 'ConfigMap' }], mode: 'Reference' };
  const kind = { key: '/ConfigMap', plural: 'configmaps' };
  const all = () => true;

  it('announces add, update, delete; a label change out of the selector is a delete; an unchanged version nothing', async () => {
    const { context, sent } = fakeContext();
    const emitter = new ChangeEmitter(context, spec, 'https://x', () => true);
    emitter.observe(kind, configMap('a', '1'), true);
    emitter.observe(kind, configMap('a', '1'), true);
    emitter.observe(kind, configMap('a', '2'), true);
    emitter.observe(kind, configMap('a', '3'), false);
    emitter.observe(kind, configMap('b', '4'), true);
    emitter.removed(kind, configMap('b', '5'));
    await eventually(() => expect(sent.map((e) => `${e.type.split('.').pop()} ${e.name}`)).toEqual(['add a', 'update a', 'delete a', 'add b', 'delete b']));
    await emitter.stop();
  });

  it('after a restart, diffs a listing against what was sent: new and changed objects, and deletes of the missing ones with their last ids', async () => {
    const first = fakeContext();
    const before = new ChangeEmitter(first.context, spec, 'https://x', all);
    before.resync(kind, [configMap('a', '1'), configMap('b', '2')], all);
    await eventually(() => expect(first.sent).toHaveLength(2));
    await before.stop();

    const second = fakeContext(first.state);
    const after = new ChangeEmitter(second.context, spec, 'https://x', all);
    after.resync(kind, [configMap('a', '3'), configMap('c', '4')], all);
    await eventually(() => expect(second.sent.map((e) => `${e.type.split('.').pop()} ${e.name}`)).toEqual(['update a', 'add c', 'delete b']));
    expect(second.sent[2].id).toBe(changeId('uid-b', '2', 'delete'));
    await after.stop();
  });

  it('retries while the sink refuses, in order, and records nothing it did not send', async () => {
    const { context, sent, state, control } = fakeContext();
    control.refusing = true;
    const emitter = new ChangeEmitter(context, spec, 'https://x', all);
    emitter.observe(kind, configMap('a', '1'), true);
    await eventually(() => expect(control.attempts).toBeGreaterThanOrEqual(2));
    expect(state.get('known')).toBeUndefined();
    emitter.observe(kind, configMap('a', '2'), true);
    control.refusing = false;
    await eventually(() => expect(sent.map((e) => e.type)).toEqual(['dev.knative.apiserver.ref.add', 'dev.knative.apiserver.ref.update']), 5_000);
    await eventually(() => expect(JSON.parse(state.get('known')!)).toEqual([['uid-a', '2', 'v1', 'ConfigMap', 'a', 'team']]));
    await emitter.stop();
  });

  it('drops events the filters refuse but still remembers the object', async () => {
    const { context, sent } = fakeContext();
    const emitter = new ChangeEmitter(context, spec, 'https://x', (event) => !event.type.endsWith('.add'));
    emitter.observe(kind, configMap('a', '1'), true);
    emitter.observe(kind, configMap('a', '2'), true);
    await eventually(() => expect(sent.map((e) => e.type)).toEqual(['dev.knative.apiserver.ref.update']));
    await emitter.stop();
  });
});
