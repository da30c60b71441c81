import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_FILE } from '../../cli/start/app.js';
import { JunctionClient } from '../../cli/client.js';
import { discoverTypes, resolveType } from '../../cli/commands/discovery.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';

describe('API discovery (/apis, /apis/{group}/{version}, /api/v1)', () => {
  let junction: TestJunction;
  let token: string;
  beforeAll(async () => {
    junction = await startTestJunction({ 'auth.mode': 'on' });
    token = readFileSync(join(junction.dataDir, ADMIN_TOKEN_FILE), 'utf8').trim();
  });
  afterAll(() => junction?.stop());

  it('lists every served group with its versions, and each group version its kinds', async () => {
    const groups = await junction.call('GET', '/apis', undefined, { authorization: `Bearer ${token}` });
    expect(groups.status).toBe(200);
    const sources = groups.json.groups.find((g: { name: string }) => g.name === 'sources.knative.dev');
    expect(sources.versions.map((v: { version: string }) => v.version)).toEqual(expect.arrayContaining(['v1', 'v1beta2']));
    const list = await junction.call('GET', '/apis/sources.knative.dev/v1', undefined, { authorization: `Bearer ${token}` });
    expect(list.json).toMatchObject({ kind: 'APIResourceList', groupVersion: 'sources.knative.dev/v1' });
    expect(list.json.resources).toContainEqual(expect.objectContaining({ name: 'pingsources', singularName: 'pingsource', kind: 'PingSource', namespaced: true, shortNames: ['ping'] }));
    const core = await junction.call('GET', '/api/v1', undefined, { authorization: `Bearer ${token}` });
    expect(core.json.resources.map((r: { kind: string }) => r.kind)).toEqual(expect.arrayContaining(['Secret', 'ConfigMap']));
  });

  it('needs a valid token when auth is on, and answers 404 with a code for a group it does not serve', async () => {
    const anonymous = await junction.call('GET', '/apis');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.code).toBe('JUNCTION_UNAUTHENTICATED');
    const unknown = await junction.call('GET', '/apis/example.com/v9', undefined, { authorization: `Bearer ${token}` });
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('JUNCTION_KIND_UNKNOWN');
  });

  it('gives the CLI the kinds in dependency order (Secrets and Brokers before sources) and resolves names it has no entry for', async () => {
    const client = new JunctionClient(junction.url, token);
    const types = await discoverTypes(client);
    const index = (kind: string) => types.findIndex((t) => t.kind === kind);
    expect(index('Secret')).toBeGreaterThanOrEqual(0);
    expect(index('Secret')).toBeLessThan(index('Broker'));
    expect(index('Broker')).toBeLessThan(index('PingSource'));
    expect((await resolveType(client, 'ping')).plural).toBe('pingsources');
    await expect(resolveType(client, 'nosuchthings')).rejects.toMatchObject({ code: 'JUNCTION_KIND_UNKNOWN' });
  });
});
