import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resources/index.js';
import { startHttpSubscriber, type HttpSubscriber, type RecordedRequest } from '../support/http-subscriber.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';

const FLOWS = 'flows.knative.dev/v1';
const MESSAGING = 'messaging.knative.dev/v1';

/** A step that replies with the event it got, its name appended to `data.path` (binary mode). */
function appendStep(tag: string) {
  return (request: RecordedRequest) => {
    const data = JSON.parse(request.body.toString() || '{}') as { path?: string[] };
    return {
      status: 200,
      headers: { 'ce-specversion': '1.0', 'ce-id': `${request.headers['ce-id']}-${tag}`, 'ce-source': `/${tag}`, 'ce-type': String(request.headers['ce-type']), 'content-type': 'application/json' },
      body: JSON.stringify({ path: [...(data.path ?? []), tag] }),
    };
  };
}

function binaryEvent(id: string, type: string): { body: string; headers: Record<string, string> } {
  return { body: JSON.stringify({ path: [] }), headers: { 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/test', 'ce-type': type, 'content-type': 'application/json' } };
}

describe('Sequence and Parallel (flows.knative.dev)', () => {
  let junction: TestJunction;
  const servers: HttpSubscriber[] = [];
  const server = async (...args: Parameters<typeof startHttpSubscriber>) => {
    const started = await startHttpSubscriber(...args);
    servers.push(started);
    return started;
  };
  const kindOf = (apiVersion: string, kind: string) => junction.resources.kinds.forDocument(apiVersion, kind);
  const names = (apiVersion: string, kind: string) => junction.resources.list(kindOf(apiVersion, kind), 'default').map((r) => r.metadata.name).sort();

  beforeAll(async () => {
    junction = await startTestJunction();
  });
  afterAll(async () => {
    await junction?.stop();
    await Promise.all(servers.map((s) => s.close()));
  });

  it('runs a Sequence: each step gets the previous step\'s reply, the last reply goes to spec.reply', async () => {
    const steps = await Promise.all(['a', 'b', 'c'].map((tag) => server(appendStep(tag))));
    const sink = await server();
    const sequence: Resource = {
      apiVersion: FLOWS,
      kind: 'Sequence',
      metadata: { name: 'pipeline', namespace: 'default' },
      spec: { steps: steps.map((step) => ({ uri: step.url })), reply: { uri: sink.url } },
    };
    await junction.apply(sequence);
    const ready = await junction.waitReady('sequences', 'default', 'pipeline', FLOWS);
    expect(ready.status?.address?.url).toBe(`${junction.url}/channels/default/pipeline-kn-sequence-0`);
    expect((ready.status as any).channelStatuses.map((s: any) => s.channel.name)).toEqual(['pipeline-kn-sequence-0', 'pipeline-kn-sequence-1', 'pipeline-kn-sequence-2']);
    expect((ready.status as any).subscriptionStatuses.map((s: any) => [s.subscription.name, s.ready.status])).toEqual([
      ['pipeline-kn-sequence-0', 'True'],
      ['pipeline-kn-sequence-1', 'True'],
      ['pipeline-kn-sequence-2', 'True'],
    ]);

    const { body, headers } = binaryEvent('s-1', 'com.example.order');
    expect((await junction.post(new URL(ready.status!.address!.url).pathname, body, headers)).status).toBe(202);
    const [result] = await sink.waitForRequests(1);
    expect(result!.headers['ce-id']).toBe('s-1-a-b-c');
    expect(JSON.parse(result!.body.toString())).toEqual({ path: ['a', 'b', 'c'] });
    expect(steps.map((step) => step.requests.length)).toEqual([1, 1, 1]);
  });

  it('prunes the channels and subscriptions of removed steps, and deletes all of them with the Sequence', async () => {
    const step = await server(appendStep('x'));
    const make = (count: number): Resource => ({
      apiVersion: FLOWS,
      kind: 'Sequence',
      metadata: { name: 'shrinking', namespace: 'default' },
      spec: { steps: Array.from({ length: count }, () => ({ uri: step.url })) },
    });
    await junction.apply(make(3));
    await junction.waitReady('sequences', 'default', 'shrinking', FLOWS);
    await junction.apply(make(1));
    await junction.controllers.idle();
    expect(names(MESSAGING, 'Channel').filter((n) => n.startsWith('shrinking'))).toEqual(['shrinking-kn-sequence-0']);
    expect(names(MESSAGING, 'Subscription').filter((n) => n.startsWith('shrinking'))).toEqual(['shrinking-kn-sequence-0']);
    junction.resources.delete(kindOf(FLOWS, 'Sequence'), 'default', 'shrinking');
    await junction.controllers.idle();
    expect(names(MESSAGING, 'Channel').filter((n) => n.startsWith('shrinking'))).toEqual([]);
    expect(names(MESSAGING, 'Subscription').filter((n) => n.startsWith('shrinking'))).toEqual([]);
  });

  it('runs a Parallel: each branch gets what its filter passes, replies go to the branch reply or spec.reply', async () => {
    // The filter passes (returns) only com.example.a events; anything else is answered without an event.
    const filter = await server((request) => (request.headers['ce-type'] === 'com.example.a' ? appendStep('filter')(request) : { status: 202 }));
    const left = await server(appendStep('left'));
    const right = await server(appendStep('right'));
    const leftReplies = await server();
    const sink = await server();
    await junction.apply({
      apiVersion: FLOWS,
      kind: 'Parallel',
      metadata: { name: 'split', namespace: 'default' },
      spec: {
        branches: [
          { filter: { uri: filter.url }, subscriber: { uri: left.url }, reply: { uri: leftReplies.url } },
          { subscriber: { uri: right.url } },
        ],
        reply: { uri: sink.url },
      },
    });
    const ready = await junction.waitReady('parallels', 'default', 'split', FLOWS);
    expect(ready.status?.address?.url).toBe(`${junction.url}/channels/default/split-kn-parallel`);
    expect((ready.status as any).ingressChannelStatus.channel.name).toBe('split-kn-parallel');
    expect((ready.status as any).branchStatuses.map((b: any) => [b.filterSubscriptionStatus.subscription.name, b.subscriptionStatus.subscription.name])).toEqual([
      ['split-kn-parallel-filter-0', 'split-kn-parallel-0'],
      ['split-kn-parallel-filter-1', 'split-kn-parallel-1'],
    ]);

    for (const [id, type] of [['p-1', 'com.example.a'], ['p-2', 'com.example.b']]) {
      const { body, headers } = binaryEvent(id!, type!);
      expect((await junction.post('/channels/default/split-kn-parallel', body, headers)).status).toBe(202);
    }
    await right.waitForRequests(2);
    await sink.waitForRequests(2);
    await leftReplies.waitForRequests(1);
    await filter.waitForRequests(2);
    expect(right.requests.map((r) => r.headers['ce-id']).sort()).toEqual(['p-1', 'p-2']);
    expect(left.requests.map((r) => r.headers['ce-id'])).toEqual(['p-1-filter']);
    expect(leftReplies.requests.map((r) => r.headers['ce-id'])).toEqual(['p-1-filter-left']);
    expect(sink.requests.map((r) => r.headers['ce-id']).sort()).toEqual(['p-1-right', 'p-2-right']);
  });

  it('rejects flows with invalid steps or branches, listing every problem', async () => {
    const answer = await junction.post(
      '/apis/flows.knative.dev/v1/namespaces/default/sequences',
      JSON.stringify({ apiVersion: FLOWS, kind: 'Sequence', metadata: { name: 'bad' }, spec: { steps: [{ uri: 'not a url' }, {}], reply: { ref: { kind: 'Channel' } } } }),
      { 'content-type': 'application/json' },
    );
    expect(answer.status).toBe(400);
    const paths = (answer.json.errors as Array<{ path: string }>).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['spec.steps[0].uri', 'spec.steps[1]', 'spec.reply.ref.apiVersion', 'spec.reply.ref.name']));
  });
});

describe('flows when auth is on', () => {
  let junction: TestJunction;
  const servers: HttpSubscriber[] = [];

  beforeAll(async () => {
    junction = await startTestJunction({ 'auth.mode': 'on' });
  });
  afterAll(async () => {
    await junction?.stop();
    await Promise.all(servers.map((s) => s.close()));
  });

  it('passes events between the steps of a Sequence through Junction\'s own ingress with a namespace-bound internal token', async () => {
    const { token: admin } = junction.tokens.create('team', 'admin', 'test admin');
    const { token: ingest } = junction.tokens.create('team', 'ingest', 'producer');
    const steps = await Promise.all(['one', 'two'].map((tag) => startHttpSubscriber(appendStep(tag))));
    const sink = await startHttpSubscriber();
    servers.push(...steps, sink);
    await junction.apply(
      { apiVersion: FLOWS, kind: 'Sequence', metadata: { name: 'secured', namespace: 'team' }, spec: { steps: steps.map((s) => ({ uri: s.url })), reply: { uri: sink.url } } },
      admin,
    );
    await junction.controllers.idle();
    for (let i = 0; i < 100; i++) {
      const seq = junction.resources.store.get({ group: 'flows.knative.dev', kind: 'Sequence', namespace: 'team', name: 'secured' });
      if (seq?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const { body, headers } = binaryEvent('sec-1', 'com.example.secure');
    const refused = await junction.post('/channels/team/secured-kn-sequence-0', body, headers);
    expect(refused.status).toBe(401);
    const accepted = await junction.post('/channels/team/secured-kn-sequence-0', body, { ...headers, authorization: `Bearer ${ingest}` });
    expect(accepted.status).toBe(202);
    const [result] = await sink.waitForRequests(1);
    expect(result!.headers['ce-id']).toBe('sec-1-one-two');
    // The token Junction sent to its own ingress never leaves the process towards subscribers.
    for (const server of [...steps, sink]) expect(server.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('an internal token ingests into its own namespace only, and can neither read nor write', () => {
    const internal = `Bearer ${junction.authorizer.internalToken('team')}`;
    expect(junction.authorizer.check(internal, 'team', 'ingest')?.namespace).toBe('team');
    expect(() => junction.authorizer.check(internal, 'other', 'ingest')).toThrow(expect.objectContaining({ code: 'JUNCTION_FORBIDDEN' }));
    expect(() => junction.authorizer.check(internal, 'team', 'read')).toThrow(expect.objectContaining({ code: 'JUNCTION_FORBIDDEN' }));
    expect(() => junction.authorizer.check(internal, undefined, 'write')).toThrow(expect.objectContaining({ code: 'JUNCTION_FORBIDDEN' }));
    expect(() => junction.authorizer.check(`Bearer internal.${'x'.repeat(43)}`, 'team', 'ingest')).toThrow(expect.objectContaining({ code: 'JUNCTION_UNAUTHENTICATED' }));
  });
});
