import { describe, expect, it } from 'vitest';
import { KindRegistry, type Resource } from '../../core/resources/index.js';
import { parseServiceHost, resolveTraffic, revisionName, serviceHost, servingKinds, validateTraffic } from '../../serving/index.js';

const kinds = new KindRegistry();
for (const kind of servingKinds) kinds.register(kind);

/** As admission does: the schema, then defaults, then the semantic checks. */
function admit(kind: string, spec: Record<string, unknown>, annotations?: Record<string, string>): { resource: Resource; problems: Array<{ path: string; message: string }> } {
  const definition = kinds.forDocument('serving.knative.dev/v1', kind);
  const resource: Resource = { apiVersion: 'serving.knative.dev/v1', kind, metadata: { name: 'hello', namespace: 'default', ...(annotations ? { annotations } : {}) }, spec };
  const schema = kinds.checkSchema(definition, resource);
  if (schema.length > 0) return { resource, problems: schema };
  definition.defaults?.(resource, {});
  return { resource, problems: definition.validate?.(resource, {}) ?? [] };
}

const hello = { containers: [{ image: 'ghcr.io/knative/helloworld-go:latest', command: ['node', 'hello.mjs'], env: [{ name: 'TARGET', value: 'World' }], ports: [{ containerPort: 8080 }] }] };

describe('serving kinds (Knative’s YAML)', () => {
  it('accepts the Knative docs hello world and fills Knative’s defaults: timeout 300 s, unlimited concurrency, all traffic to the latest revision', () => {
    const { resource, problems } = admit('Service', { template: { spec: { containers: [{ image: 'ghcr.io/knative/helloworld-go:latest', ports: [{ containerPort: 8080 }], env: [{ name: 'TARGET', value: 'World' }] }] } } });
    expect(problems).toEqual([]);
    expect(resource.spec).toMatchObject({ template: { spec: { timeoutSeconds: 300, containerConcurrency: 0 } }, traffic: [{ latestRevision: true, percent: 100 }] });
  });

  it('collects every problem of a template and its traffic with paths', () => {
    const { problems } = admit('Service', {
      template: { metadata: { annotations: { 'autoscaling.knative.dev/min-scale': 'many' } }, spec: { containerConcurrency: 5000, timeoutSeconds: 900, responseStartTimeoutSeconds: 30, containers: [{ command: [], env: [{ name: '1BAD' }] }] } },
      traffic: [{ revisionName: 'hello-00001', latestRevision: true, percent: 60 }, { percent: 30, tag: 'Bad_Tag' }],
    });
    expect(problems.map((problem) => problem.path).sort()).toEqual([
      'spec.template.metadata.annotations.autoscaling.knative.dev/min-scale',
      'spec.template.spec.containerConcurrency',
      'spec.template.spec.containers[0].command',
      'spec.template.spec.containers[0].env[0].name',
      'spec.template.spec.timeoutSeconds',
      'spec.traffic',
      'spec.traffic[0]',
      'spec.traffic[1]',
      'spec.traffic[1].tag',
    ]);
  });

  it('a Configuration needs a template; a Revision’s spec is a RevisionSpec; a Route validates its traffic', () => {
    expect(admit('Configuration', {}).problems.map((p) => p.path)).toEqual(['spec.template']);
    expect(admit('Revision', hello).problems).toEqual([]);
    expect(admit('Revision', { containers: [] }).problems.map((p) => p.path)).toEqual(['spec.containers']);
    expect(admit('Route', { traffic: [{ revisionName: 'hello-00001', percent: 50 }, { revisionName: 'hello-00002', percent: 50, tag: 'canary' }] }).problems).toEqual([]);
    expect(admit('Route', { traffic: [{ revisionName: 'a', percent: 50, tag: 'x' }, { revisionName: 'b', percent: 50, tag: 'x' }] }).problems.map((p) => p.message)).toEqual(['tag "x" is used twice']);
  });
});

describe('revision names, hosts and traffic', () => {
  it('names revisions from the generation, or the template’s own name', () => {
    expect(revisionName('hello', 1)).toBe('hello-00001');
    expect(revisionName('hello', 42)).toBe('hello-00042');
    expect(revisionName('hello', 3, 'hello-blue')).toBe('hello-blue');
  });

  it('addresses services as <service>.<namespace>.localhost, tagged as <tag>-<service>…, and reads a Host header back', () => {
    expect(serviceHost('hello', 'default')).toBe('hello.default.localhost');
    expect(serviceHost('hello', 'default', 'example.com', 'canary')).toBe('canary-hello.default.example.com');
    expect(parseServiceHost('hello.default.localhost:8080')).toEqual({ service: 'hello', namespace: 'default' });
    expect(parseServiceHost('HELLO.Team-A.localhost')).toEqual({ service: 'hello', namespace: 'team-a' });
    expect(parseServiceHost('127.0.0.1:8080')).toBeUndefined();
    expect(parseServiceHost('a.b.c.localhost')).toBeUndefined();
  });

  it('resolves latestRevision to the latest ready revision and refuses a missing one', () => {
    const exists = (name: string) => ['hello-00001', 'hello-00002'].includes(name);
    expect(resolveTraffic([{ latestRevision: true, percent: 80 }, { revisionName: 'hello-00001', percent: 20, tag: 'old' }], 'hello-00002', exists)).toEqual({
      traffic: [{ revisionName: 'hello-00002', latestRevision: true, percent: 80 }, { revisionName: 'hello-00001', latestRevision: false, percent: 20, tag: 'old' }],
    });
    expect(resolveTraffic([{ latestRevision: true, percent: 100 }], undefined, exists)).toMatchObject({ reason: 'RevisionMissing' });
    expect(resolveTraffic([{ revisionName: 'hello-00009', percent: 100 }], 'hello-00002', exists)).toMatchObject({ reason: 'RevisionMissing', message: expect.stringContaining('hello-00009') });
    expect(validateTraffic([{ latestRevision: true, percent: 100 }])).toEqual([]);
  });
});
