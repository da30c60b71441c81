import { join } from 'node:path';
import { HTTP, type CloudEvent as SdkEvent } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resources/index.js';
import { eventually } from '../support/eventually.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, type TestJunction } from '../support/junction.js';

const NAMESPACE = 'containers';
const EMITTER = join(import.meta.dirname, '..', 'fixtures', 'container-source', 'emitter.mjs');
const sink = { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } };

function containerSource(name: string, container: Record<string, unknown>, extra: Record<string, unknown> = {}): Resource {
  return { apiVersion: 'sources.knative.dev/v1', kind: 'ContainerSource', metadata: { name, namespace: NAMESPACE }, spec: { sink, template: { spec: { containers: [{ name: 'emitter', ...container }] } }, ...extra } };
}

describe('ContainerSource with a real Junction', () => {
  let junction: TestJunction;
  let subscriber: HttpSubscriber;
  const events = (): SdkEvent<any>[] => subscriber.requests.map((request) => HTTP.toEvent({ headers: request.headers as Record<string, string>, body: request.body.toString('utf8') }) as SdkEvent<any>);
  const status = async (name: string) => (await junction.call('GET', `/apis/sources.knative.dev/v1/namespaces/${NAMESPACE}/containersources/${name}`)).json?.status;
  const ready = async (name: string) => (await status(name))?.conditions?.find((c: { type: string }) => c.type === 'Ready');
  const logs = async (name: string) => (await junction.call('GET', `/apis/junction.dev/v1/namespaces/${NAMESPACE}/logs/containersources/${name}`)).text;

  beforeAll(async () => {
    subscriber = await startHttpSubscriber();
    junction = await startTestJunction();
    for (const resource of brokerWithTrigger({ namespace: NAMESPACE, trigger: 'all', subscriberUrl: subscriber.url })) await junction.apply(resource);
    await junction.waitReady('triggers', NAMESPACE, 'all');
    await junction.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'greeting', namespace: NAMESPACE }, stringData: { text: 'hello from a secret' } });
  });
  afterAll(async () => {
    await junction?.stop();
    await subscriber?.close();
  });

  it('runs the command with K_SINK and K_CE_OVERRIDES and env from a Secret; its events reach the broker with the overrides; its output is in the logs', async () => {
    await junction.apply(containerSource('heartbeat', {
      image: 'ghcr.io/example/heartbeat:latest',
      command: [process.execPath, EMITTER],
      env: [{ name: 'EVENTS', value: '3' }, { name: 'GREETING', valueFrom: { secretKeyRef: { name: 'greeting', key: 'text' } } }],
    }, { ceOverrides: { extensions: { team: 'platform' } } }));
    const source = await junction.waitReady('containersources', NAMESPACE, 'heartbeat', 'sources.knative.dev/v1');
    expect(source.status?.sinkUri).toBe(`${junction.url}/${NAMESPACE}/default`);
    await eventually(() => expect(events().filter((event) => event.type === 'dev.junction.test.heartbeat')).toHaveLength(3), 10_000);
    const [first] = events();
    expect(first).toMatchObject({ id: 'heartbeat-0', source: '/heartbeat', team: 'platform' });
    expect(first!.data).toEqual({ sequence: 0, greeting: 'hello from a secret', overrides: { extensions: { team: 'platform' } } });
    const text = await logs('heartbeat');
    expect(text).toContain('starting: sink http://127.0.0.1:');
    expect(text).toMatch(/sent 0\nsent 1\nsent 2\n/);
    // The Secret's value is the process's business: it is in no status or resource output.
    expect(JSON.stringify(await status('heartbeat'))).not.toContain('hello from a secret');
    // What the source emitted into the broker is recorded as an EventType: `junction get eventtypes` shows it.
    const eventTypes = (await junction.call('GET', `/apis/eventing.knative.dev/v1beta2/namespaces/${NAMESPACE}/eventtypes`)).json.items;
    expect(eventTypes.map((item: { spec: { type: string; source: string } }) => [item.spec.type, item.spec.source])).toContainEqual(['dev.junction.test.heartbeat', '/heartbeat']);
    const listed = (await junction.call('GET', `/apis/junction.dev/v1/namespaces/${NAMESPACE}/logs`)).json;
    expect(listed.items).toContainEqual({ resource: 'containersources/heartbeat' });
    const tail = await junction.call('GET', `/apis/junction.dev/v1/namespaces/${NAMESPACE}/logs/containersources/heartbeat?tailLines=1&timestamps=true`);
    expect(tail.text).toMatch(/^\d{4}-\d\d-\d\dT\S+Z stdout sent 2\n$/);
  });

  it('follows the logs as the process writes them, and stops the process (SIGTERM) when the source is deleted', async () => {
    const follow = fetch(`${junction.url}/apis/junction.dev/v1/namespaces/${NAMESPACE}/logs/containersources/heartbeat?follow=true&tailLines=0`);
    const response = await follow;
    const reader = response.body!.getReader();
    let seen = '';
    const reading = (async () => {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) seen += Buffer.from(chunk.value).toString('utf8');
    })();
    await junction.call('DELETE', `/apis/sources.knative.dev/v1/namespaces/${NAMESPACE}/containersources/heartbeat`);
    await eventually(() => expect(seen).toContain('stopping on SIGTERM'));
    await eventually(() => expect(seen).toContain('exited with code 0'));
    // Deleting the source ends the followed stream.
    await reading;
    await eventually(async () => expect((await junction.call('GET', `/apis/junction.dev/v1/namespaces/${NAMESPACE}/logs/containersources/heartbeat`)).status).toBe(404));
  });

  it('reports a crashing process as CrashLoopBackOff with its exit code, and restarts it', async () => {
    await junction.apply(containerSource('crasher', { command: [process.execPath, EMITTER], env: [{ name: 'EVENTS', value: '1' }, { name: 'EXIT_CODE', value: '7' }] }));
    await eventually(async () => expect(await ready('crasher')).toMatchObject({ status: 'False', reason: 'CrashLoopBackOff', message: expect.stringMatching(/^the process exited with code 7; restart \d+ in [\d.]+ s$/) }), 10_000);
    await eventually(() => expect(events().filter((event) => event.id === 'crasher-0').length).toBeGreaterThanOrEqual(2), 10_000);
    await eventually(async () => expect((await logs('crasher')).match(/exited with code 7/g)?.length).toBeGreaterThanOrEqual(2), 10_000);
    await junction.call('DELETE', `/apis/sources.knative.dev/v1/namespaces/${NAMESPACE}/containersources/crasher`);
  });

  it('does not run an image without a command: Ready=False names the kubernetes backend; a template without containers is refused', async () => {
    await junction.apply(containerSource('image-only', { image: 'gcr.io/knative-releases/knative.dev/eventing/cmd/heartbeats' }));
    await eventually(async () => expect(await ready('image-only')).toMatchObject({ status: 'False', reason: 'ImageNotSupported', message: expect.stringContaining('kubernetes backend') }));
    const refused = await junction.call('PUT', `/apis/sources.knative.dev/v1/namespaces/${NAMESPACE}/containersources/empty`, JSON.stringify({ apiVersion: 'sources.knative.dev/v1', kind: 'ContainerSource', metadata: { name: 'empty', namespace: NAMESPACE }, spec: { sink, template: { spec: { containers: [] } } } }), { 'content-type': 'application/json' });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ code: 'JUNCTION_RESOURCE_INVALID' });
    expect(refused.text).toContain('spec.template.spec.containers');
  });
});
