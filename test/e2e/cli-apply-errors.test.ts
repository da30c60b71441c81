import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useJunctionForCli } from '../support/cli-fixture.js';
import { runCli, runCliOk, waitAllReady } from './cli-harness.js';

const cli = useJunctionForCli();

describe('junction apply errors', () => {
  it('a bad resource exits 1 with one line naming JUNCTION_RESOURCE_INVALID and the field path; the good ones are still applied', async () => {
    const input = `apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata:
  name: broken
spec:
  broker: default
  subscriber:
    uri: not-a-url
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: fine
`;
    const result = await runCli(['apply', '-f', '-'], { server: cli.server, input });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('configmap/fine created\n');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^junction: JUNCTION_RESOURCE_INVALID: .*\(spec\.subscriber\.uri: must be an absolute http\(s\) URL/);
  });

  it('an unknown kind, a YAML syntax error and a missing file each give one clear line and exit 1', async () => {
    const unknown = await runCli(['apply', '-f', '-'], { server: cli.server, input: 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('junction: JUNCTION_KIND_UNKNOWN: unknown kind Widget in example.com/v1 (<stdin>#1)\n');

    const syntax = await runCli(['apply', '-f', '-'], { server: cli.server, input: 'apiVersion: v1\nkind: [ConfigMap\n' });
    expect(syntax.code).toBe(1);
    expect(syntax.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^junction: JUNCTION_BAD_REQUEST: cannot parse <stdin> \(<stdin>:\d+:\d+: /)]);

    const missing = await runCli(['apply', '-f', join(cli.dir, 'nope.yaml')], { server: cli.server });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^junction: JUNCTION_BAD_REQUEST: cannot read .*nope\.yaml: ENOENT\n$/);
  });
});

describe('junction apply and unknown fields', () => {
  const sloppy = `apiVersion: v1
kind: ConfigMap
metadata:
  name: sloppy
  colour: red
data:
  a: "1"
extra: true
`;

  it('prints a kubectl-style warning for each field the server pruned, and applies the rest', async () => {
    const result = await runCliOk(['apply', '-f', '-'], { server: cli.server, input: sloppy });
    expect(result.stdout).toBe('configmap/sloppy created\n');
    expect(result.stderr.trim().split('\n').sort()).toEqual([
      'Warning: unknown field "extra" (configmap/sloppy, <stdin>#1)',
      'Warning: unknown field "metadata.colour" (configmap/sloppy, <stdin>#1)',
    ]);
    const stored = JSON.parse((await runCliOk(['get', 'configmap', 'sloppy', '-o', 'json'], { server: cli.server })).stdout);
    expect(stored).not.toHaveProperty('extra');
    expect(stored.data).toEqual({ a: '1' });
  });

  it('--field-validation Strict refuses the document with every unknown field and exits 1', async () => {
    const result = await runCli(['apply', '-f', '-', '--field-validation', 'Strict'], { server: cli.server, input: sloppy.replace('sloppy', 'strict') });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^junction: JUNCTION_RESOURCE_INVALID: .*\((extra|metadata\.colour): unknown field; (extra|metadata\.colour): unknown field\)/);
  });
});

describe("YAML from Knative's documentation", () => {
  it('applies unchanged; the uri trigger becomes Ready and the trigger to a Knative Service is stored but not Ready', async () => {
    const fixture = resolve(import.meta.dirname, '../fixtures/knative-docs.yaml');
    const applied = await runCliOk(['apply', '-f', fixture, '-n', 'default'], { server: cli.server });
    // The schemas know every field these documents have: nothing is pruned, so nothing is warned about.
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('trigger.eventing.knative.dev/my-service-trigger created');
    expect(applied.stdout).toContain('trigger.eventing.knative.dev/my-uri-trigger created');
    expect(applied.stdout).toContain('eventtype.eventing.knative.dev/dev.knative.source.github.push-34cnb created');

    await waitAllReady('triggers', ['my-uri-trigger'], { server: cli.server });
    const table = (await runCliOk(['get', 'triggers'], { server: cli.server })).stdout;
    expect(table).toMatch(/^my-service-trigger\s+default\s+False\s+/m);
    const described = (await runCliOk(['describe', 'trigger', 'my-service-trigger'], { server: cli.server })).stdout;
    expect(described).toMatch(/SubscriberResolved\s+False/);
    expect(described).toContain('Service');

    const broker = JSON.parse((await runCliOk(['get', 'broker', 'default', '-o', 'json'], { server: cli.server })).stdout);
    expect(broker.spec.config).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', name: 'config-br-default-channel', namespace: 'knative-eventing' });
    const eventTypes = (await runCliOk(['get', 'et'], { server: cli.server })).stdout;
    expect(eventTypes).toMatch(/dev\.knative\.source\.github\.push-34cnb\s+dev\.knative\.source\.github\.push\s+https:\/\/github\.com\/knative\/eventing/);
  });
});

describe("Channel, Subscription, Sequence and Parallel YAML from Knative's documentation", () => {
  it('applies unchanged: channels become Ready, flows build their children, Service refs wait (not Ready, with a reason)', async () => {
    const fixture = resolve(import.meta.dirname, '../fixtures/knative-docs-messaging.yaml');
    const applied = await runCliOk(['apply', '-f', fixture, '-n', 'default'], { server: cli.server });
    // The schemas know every field these documents have: nothing is pruned, so nothing is warned about.
    expect(applied.stderr).toBe('');
    for (const line of ['channel.messaging.knative.dev/my-channel created', 'subscription.messaging.knative.dev/my-subscription created', 'sequence.flows.knative.dev/sequence created', 'parallel.flows.knative.dev/odd-even-parallel created']) {
      expect(applied.stdout).toContain(line);
    }
    await waitAllReady('channels', ['my-channel', 'example-channel', 'sequence-kn-sequence-0', 'sequence-kn-sequence-2', 'odd-even-parallel-kn-parallel'], { server: cli.server });
    const imcs = (await runCliOk(['get', 'imc'], { server: cli.server })).stdout;
    expect(imcs).toMatch(/^example-channel\s+True/m);
    expect(imcs).toMatch(/^sequence-kn-sequence-1\s+True/m);
    const subscription = JSON.parse((await runCliOk(['get', 'subscription', 'my-subscription', '-o', 'json'], { server: cli.server })).stdout);
    expect(subscription.status.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'False', reason: 'DestinationNotResolved' })]));
    const sequence = JSON.parse((await runCliOk(['get', 'sequence', 'sequence', '-o', 'json'], { server: cli.server })).stdout);
    expect(sequence.status.subscriptionStatuses).toHaveLength(3);
    expect(sequence.status.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'False' })]));
    const parallel = JSON.parse((await runCliOk(['get', 'parallel', 'odd-even-parallel', '-o', 'json'], { server: cli.server })).stdout);
    expect(parallel.status.branchStatuses).toHaveLength(2);
    expect(parallel.status.address.url).toMatch(/\/channels\/default\/odd-even-parallel-kn-parallel$/);

    // Export leaves out what the flows and the templated Channel created: applying them creates it again.
    const exported = (await runCliOk(['export', '-n', 'default'], { server: cli.server })).stdout;
    expect(exported).toContain('name: sequence\n');
    expect(exported).toContain('name: odd-even-parallel\n');
    expect(exported).toContain('name: example-channel\n');
    expect(exported).not.toContain('sequence-kn-sequence-0');
    expect(exported).not.toContain('ownerReferences');
    expect(exported.match(/kind: InMemoryChannel\nmetadata:\n {2}name: example-channel/g)).toBeNull();
  });
});
