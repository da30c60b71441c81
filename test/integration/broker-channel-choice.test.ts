import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resources/index.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';

const templateSpec = (kind: string) => `apiVersion: messaging.knative.dev/v1\nkind: ${kind}\n`;

function broker(namespace: string, name: string, extra: Partial<Resource> = {}): Resource {
  return { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name, namespace, ...(extra.metadata ?? {}) }, spec: extra.spec ?? {} };
}

describe('which engine a broker runs on', () => {
  let junction: TestJunction;
  const engineOf = async (namespace: string, name: string) => {
    const ready = await junction.waitReady('brokers', namespace, name);
    return (ready.status as any).annotations['junction.dev/channel'];
  };

  beforeAll(async () => {
    junction = await startTestJunction({ 'broker.namespaceDefaults': { fast: 'memory' } });
  });
  afterAll(async () => {
    await junction?.stop();
  });

  it('follows spec.config: a ConfigMap with channel-template-spec (own namespace or knative-eventing), ignoring other tenants\' ConfigMaps', async () => {
    await junction.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'imc-channel', namespace: 'team' }, data: { 'channel-template-spec': templateSpec('InMemoryChannel') } });
    await junction.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config-br-default-channel', namespace: 'knative-eventing' }, data: { 'channel-template-spec': templateSpec('InMemoryChannel') } });
    await junction.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: 'other' }, data: { 'channel-template-spec': templateSpec('InMemoryChannel') } });
    await junction.apply(broker('team', 'own', { spec: { config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'imc-channel' } } }));
    await junction.apply(broker('team', 'shared', { spec: { config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'config-br-default-channel', namespace: 'knative-eventing' } } }));
    await junction.apply(broker('team', 'foreign', { spec: { config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'theirs', namespace: 'other' } } }));
    await junction.apply(broker('team', 'missing', { spec: { config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'nope' } } }));
    expect(await engineOf('team', 'own')).toBe('memory');
    expect(await engineOf('team', 'shared')).toBe('memory');
    expect(await engineOf('team', 'foreign')).toBe('sqlite');
    expect(await engineOf('team', 'missing')).toBe('sqlite');
  });

  it('uses the namespace default, and the annotation wins over everything', async () => {
    await junction.apply(broker('fast', 'default'));
    expect(await engineOf('fast', 'default')).toBe('memory');
    await junction.apply(broker('fast', 'pinned', { metadata: { name: 'pinned', annotations: { 'junction.dev/channel': 'sqlite' } } }));
    expect(await engineOf('fast', 'pinned')).toBe('sqlite');
    await junction.apply(broker('slow', 'default'));
    expect(await engineOf('slow', 'default')).toBe('sqlite');
  });
});
