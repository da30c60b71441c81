import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../support/http-subscriber.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';
import { requireBuiltCli, runCli, runCliOk } from './cli-harness.js';

let junction: TestJunction;
let server: string;
let asAdmin: { server: string; env: Record<string, string> };

beforeAll(async () => {
  requireBuiltCli();
  junction = await startTestJunction({ 'auth.mode': 'on' });
  server = junction.url;
  // The CLI finds the bootstrap admin token in <data-dir>/admin.token.
  asAdmin = { server, env: { JUNCTION_DATA_DIR: junction.dataDir } };
});
afterAll(async () => {
  await junction?.stop();
});

describe('junction token (auth on)', () => {
  it('token create prints only the token; it works in its namespace and is refused in another', async () => {
    const created = await runCliOk(['token', 'create', '-n', 'a', '--role', 'admin', '--description', 'team a'], asAdmin);
    const token = created.stdout.trim();
    expect(created.stdout).toBe(`${token}\n`);
    expect(token).not.toContain(' ');
    expect(created.stderr).toContain('shown only once');

    const own = await runCli(['get', 'triggers', '-n', 'a', '--token', token], { server });
    expect(own.code).toBe(0);
    expect(own.stderr).toBe('No resources found in a namespace.\n');

    const other = await runCli(['get', 'triggers', '-n', 'b'], { server, env: { JUNCTION_TOKEN: token } });
    expect(other.code).toBe(1);
    expect(other.stderr).toBe('junction: JUNCTION_FORBIDDEN: this token is not valid for namespace b\n');

    const listed = (await runCliOk(['token', 'list', '-n', 'a'], asAdmin)).stdout;
    expect(listed).toMatch(/^ID\s+ROLE\s+DESCRIPTION\s+AGE$/m);
    const id = /^(\S+)\s+admin\s+team a\s+\d+s$/m.exec(listed)?.[1];
    expect(id).toBeDefined();

    expect((await runCliOk(['token', 'revoke', '-n', 'a', id!], asAdmin)).stdout).toBe(`token "${id}" revoked\n`);
    const revoked = await runCli(['get', 'triggers', '-n', 'a', '--token', token], { server });
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toMatch(/^junction: JUNCTION_UNAUTHENTICATED: /);
  });

  it('token create -A --role metrics makes a cluster-wide token that scrapes /metrics and nothing else', async () => {
    const created = await runCliOk(['token', 'create', '-A', '--role', 'metrics', '--description', 'prometheus'], asAdmin);
    const token = created.stdout.trim();
    expect(created.stderr).toContain('(metrics in every namespace) created');
    const scraped = await fetch(`${server}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('junction_process_cpu_seconds_total');
    expect((await fetch(`${server}/metrics`)).status).toBe(401);
    const read = await runCli(['get', 'brokers', '-A', '--token', token], { server });
    expect(read.code).toBe(1);
    expect(read.stderr).toBe('junction: JUNCTION_FORBIDDEN: role metrics does not allow read\n');

    const listed = (await runCliOk(['token', 'list', '-A'], asAdmin)).stdout;
    const id = /^(\S+)\s+metrics\s+prometheus\s+\d+s$/m.exec(listed)?.[1];
    expect(id).toBeDefined();
    expect(listed).toMatch(/^\S+\s+admin\s+bootstrap cluster admin/m);
    await runCliOk(['token', 'revoke', '-A', id!], asAdmin);
    expect((await fetch(`${server}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);

    const namespaced = await runCli(['token', 'create', '-n', 'a', '--role', 'metrics'], asAdmin);
    expect(namespaced.code).toBe(1);
    expect(namespaced.stderr).toContain('JUNCTION_BAD_REQUEST: role metrics is cluster-wide');
  });

  it('without any token the server answers JUNCTION_UNAUTHENTICATED', async () => {
    const result = await runCli(['get', 'brokers'], { server });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('junction: JUNCTION_UNAUTHENTICATED: a valid bearer token is required (Authorization: Bearer …)\n');
  });
});

describe('an unreachable server', () => {
  it('every command fails with one JUNCTION_SERVER_UNREACHABLE line and exit 1', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const get = await runCli(['get', 'triggers'], { server: down });
    expect(get.code).toBe(1);
    expect(get.stderr).toBe(`junction: JUNCTION_SERVER_UNREACHABLE: cannot reach Junction at ${down}: ECONNREFUSED\n`);

    const apply = await runCli(['apply', '-f', '-', '--server', down], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n' });
    expect(apply.code).toBe(1);
    expect(apply.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^junction: JUNCTION_SERVER_UNREACHABLE: /)]);

    const version = await runCliOk(['version'], { server: down });
    expect(version.stdout).toMatch(/^Client Version: \d+\.\d+\.\d+\nServer: http:\/\/127\.0\.0\.1:\d+ \(unreachable\)\n$/);
    expect((await runCliOk(['version'], { server })).stdout).toContain('(reachable)');
  });
});
