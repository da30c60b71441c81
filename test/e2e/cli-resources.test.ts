import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { useJunctionForCli } from '../support/cli-fixture.js';
import { runCli, runCliOk, waitAllReady } from './cli-harness.js';

const manifest = `# a broker, a trigger and a secret, as users write them
apiVersion: eventing.knative.dev/v1
kind: Broker
metadata:
  name: default
  namespace: default
---
apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata:
  name: orders
  namespace: default
  labels:
    app: shop
spec:
  broker: default
  filter:
    attributes:
      type: com.example.order.created
  subscriber:
    uri: http://127.0.0.1:9/orders
---
apiVersion: v1
kind: Secret
metadata:
  name: shop-credentials
  namespace: default
stringData:
  apiKey: s3cr3t
`;

const cli = useJunctionForCli();
beforeAll(() => writeFileSync(join(cli.dir, 'shop.yaml'), manifest));

describe('junction apply / get / describe', () => {
  it('applies a multi-document file, reports each object like kubectl, and the trigger becomes Ready', async () => {
    const applied = await runCliOk(['apply', '-f', join(cli.dir, 'shop.yaml')], { server: cli.server });
    expect(applied.stdout.trim().split('\n')).toEqual([
      'broker.eventing.knative.dev/default created',
      'trigger.eventing.knative.dev/orders created',
      'secret/shop-credentials created',
    ]);

    await waitAllReady('triggers', ['orders'], { server: cli.server });
    const table = await runCliOk(['get', 'triggers', '-n', 'default'], { server: cli.server });
    const [header, row] = table.stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['NAME', 'BROKER', 'SUBSCRIBER_URI', 'READY', 'REASON', 'AGE']);
    expect(row).toMatch(/^orders\s+default\s+http:\/\/127\.0\.0\.1:9\/orders\s+True\s+\d+s$/);

    const again = await runCliOk(['apply', '-f', join(cli.dir, 'shop.yaml')], { server: cli.server });
    expect(again.stdout).toContain('trigger.eventing.knative.dev/orders unchanged');
    expect(again.stdout).toContain('secret/shop-credentials unchanged');

    const changed = manifest.replace('http://127.0.0.1:9/orders', 'http://127.0.0.1:9/v2/orders');
    const configured = await runCliOk(['apply', '-f', '-'], { server: cli.server, input: changed });
    expect(configured.stdout).toContain('trigger.eventing.knative.dev/orders configured');
    expect(configured.stdout).toContain('broker.eventing.knative.dev/default unchanged');
    await runCliOk(['apply', '-f', join(cli.dir, 'shop.yaml')], { server: cli.server });
  });

  it('prints -o yaml and -o json that parse back to the stored objects', async () => {
    const yamlList = parse((await runCliOk(['get', 'triggers', '-o', 'yaml', '-l', 'app=shop'], { server: cli.server })).stdout);
    expect(yamlList.kind).toBe('List');
    expect(yamlList.items.map((t: any) => t.metadata.name)).toEqual(['orders']);
    expect(yamlList.items[0].spec.filter.attributes.type).toBe('com.example.order.created');

    const one = JSON.parse((await runCliOk(['get', 'trigger', 'orders', '-o', 'json'], { server: cli.server })).stdout);
    expect(one.kind).toBe('Trigger');
    expect(one.spec.broker).toBe('default');

    const brokerYaml = parse((await runCliOk(['get', 'brk', 'default', '-o', 'yaml'], { server: cli.server })).stdout);
    expect(brokerYaml.status.address.url).toBe(`${cli.server}/default/default`);

    const secret = JSON.parse((await runCliOk(['get', 'secrets', 'shop-credentials', '-o', 'json'], { server: cli.server })).stdout);
    expect(secret.data).toEqual({ apiKey: '' });

    const none = await runCliOk(['get', 'triggers', '-l', 'app=nothing'], { server: cli.server });
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('No resources found in default namespace.');
  });

  it('describe shows the key fields, the conditions table and recent events', async () => {
    const { stdout } = await runCliOk(['describe', 'trigger', 'orders'], { server: cli.server });
    expect(stdout).toMatch(/^Name:\s+orders$/m);
    expect(stdout).toMatch(/^Labels:\s+app=shop$/m);
    expect(stdout).toContain('subscriberUri: http://127.0.0.1:9/orders');
    const conditions = stdout.slice(stdout.indexOf('Conditions:'), stdout.indexOf('Events:'));
    expect(conditions).toMatch(/TYPE\s+STATUS\s+REASON\s+MESSAGE\s+AGE/);
    expect(conditions).toMatch(/^\s+Ready\s+True\s+\d+s$/m);
    expect(conditions).toMatch(/^\s+BrokerReady\s+True/m);
    expect(stdout.slice(stdout.indexOf('Events:'))).toMatch(/TYPE\s+REASON\s+AGE\s+COUNT\s+MESSAGE/);
  });

  it('export, delete everything, apply the export: the same resources come back with the same specs', async () => {
    const exported = (await runCliOk(['export', '-n', 'default'], { server: cli.server })).stdout;
    const documents = parseAllDocuments(exported).map((d) => d.toJS());
    expect(documents.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['Secret/shop-credentials', 'Broker/default', 'Trigger/orders']);
    for (const document of documents) {
      expect(document.status).toBeUndefined();
      expect(document.metadata.uid).toBeUndefined();
      expect(document.metadata.resourceVersion).toBeUndefined();
      expect(document.metadata.generation).toBeUndefined();
      expect(document.metadata.creationTimestamp).toBeUndefined();
    }
    writeFileSync(join(cli.dir, 'export.yaml'), exported);

    const deleted = await runCliOk(['delete', '-f', join(cli.dir, 'export.yaml')], { server: cli.server });
    expect(deleted.stdout).toContain('trigger.eventing.knative.dev "orders" deleted');
    expect(deleted.stdout).toContain('broker.eventing.knative.dev "default" deleted');
    expect(deleted.stdout).toContain('secret "shop-credentials" deleted');
    expect((await runCliOk(['export', '-n', 'default'], { server: cli.server })).stdout).toBe('');

    const reapplied = await runCliOk(['apply', '-f', join(cli.dir, 'export.yaml')], { server: cli.server });
    expect(reapplied.stdout.trim().split('\n')).toHaveLength(3);
    expect(reapplied.stdout).not.toContain('unchanged');
    await waitAllReady('triggers', ['orders'], { server: cli.server });
    const roundTripped = parseAllDocuments((await runCliOk(['export', '-n', 'default'], { server: cli.server })).stdout).map((d) => d.toJS());
    expect(roundTripped.map((d) => ({ kind: d.kind, metadata: d.metadata, spec: d.spec }))).toEqual(
      documents.map((d) => ({ kind: d.kind, metadata: d.metadata, spec: d.spec })),
    );
  });

  it('delete by type and names reports each deletion and fails (exit 1) for a missing one', async () => {
    await runCliOk(['apply', '-f', '-'], { server: cli.server, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n' });
    const result = await runCli(['delete', 'cm', 'settings', 'missing'], { server: cli.server });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('configmap "settings" deleted\n');
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^junction: JUNCTION_RESOURCE_NOT_FOUND: ConfigMap default\/missing not found$/)]);
  });
});
