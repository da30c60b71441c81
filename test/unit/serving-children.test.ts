import { describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resources/index.js';
import { configurationRevision, latestReadyRevision, serviceChildren } from '../../serving/reconcile/children.js';

const service: Resource = {
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'hello', namespace: 'default', uid: 'svc-uid', generation: 3, labels: { team: 'a' } },
  spec: {
    template: { metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '1' } }, spec: { containers: [{ command: ['node', 'hello.mjs'] }], timeoutSeconds: 300, containerConcurrency: 0 } },
    traffic: [{ latestRevision: true, percent: 90 }, { revisionName: 'hello-00001', percent: 10, tag: 'old' }],
  },
};

describe('serving children (what Knative’s reconcilers create)', () => {
  it('a Service stands for a Configuration and a Route of its name, owned by it; latestRevision traffic names the Configuration', () => {
    const { configuration, route } = serviceChildren(service);
    expect(configuration).toMatchObject({ kind: 'Configuration', metadata: { name: 'hello', namespace: 'default', labels: { team: 'a', 'serving.knative.dev/service': 'hello' }, ownerReferences: [{ kind: 'Service', name: 'hello', uid: 'svc-uid', controller: true }] }, spec: { template: (service.spec as { template: unknown }).template } });
    expect(route.spec).toEqual({ traffic: [{ latestRevision: true, percent: 90, configurationName: 'hello' }, { revisionName: 'hello-00001', percent: 10, tag: 'old' }] });
    expect(serviceChildren({ ...service, spec: { template: {} } }).route.spec).toEqual({ traffic: [{ latestRevision: true, percent: 100, configurationName: 'hello' }] });
  });

  it('a Configuration’s generation stands for one Revision, <config>-0000<generation>, carrying the template’s spec and annotations', () => {
    const { configuration } = serviceChildren(service);
    const revision = configurationRevision({ ...configuration, metadata: { ...configuration.metadata, uid: 'cfg-uid', generation: 2 } });
    expect(revision).toMatchObject({
      kind: 'Revision',
      metadata: { name: 'hello-00002', labels: { 'serving.knative.dev/configuration': 'hello', 'serving.knative.dev/configurationGeneration': '2', 'serving.knative.dev/service': 'hello' }, annotations: { 'autoscaling.knative.dev/min-scale': '1' }, ownerReferences: [{ kind: 'Configuration', uid: 'cfg-uid' }] },
      spec: { containers: [{ command: ['node', 'hello.mjs'] }], timeoutSeconds: 300 },
    });
    const named = { ...configuration, spec: { template: { metadata: { name: 'hello-blue' }, spec: {} } } };
    expect(configurationRevision(named).metadata.name).toBe('hello-blue');
  });

  it('the latest ready revision is the newest generation whose Ready is True', () => {
    const revision = (name: string, generation: number, ready: 'True' | 'False' | 'Unknown'): Resource => ({ apiVersion: 'serving.knative.dev/v1', kind: 'Revision', metadata: { name, labels: { 'serving.knative.dev/configurationGeneration': String(generation) } }, status: { conditions: [{ type: 'Ready', status: ready }] } });
    expect(latestReadyRevision([revision('hello-00001', 1, 'True'), revision('hello-00002', 2, 'True'), revision('hello-00003', 3, 'False')])).toBe('hello-00002');
    expect(latestReadyRevision([revision('hello-00001', 1, 'Unknown')])).toBeUndefined();
  });
});
