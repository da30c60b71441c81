import { describe, expect, it } from 'vitest';
import { builtInSources } from '../../sources/index.js';
import { runCli, runCliOk } from './cli-harness.js';

describe('junction source-types', () => {
  it('-o json lists every source kind with its apiVersion, description and event types', async () => {
    const listed = JSON.parse((await runCliOk(['source-types', '-o', 'json'])).stdout) as Array<{ apiVersion: string; kind: string; description: string; eventTypes: string[] }>;
    expect(new Set(listed.map((entry) => entry.kind))).toEqual(new Set(builtInSources.map((adapter) => adapter.kind)));
    expect(listed).toContainEqual({ apiVersion: 'sources.knative.dev/v1', kind: 'PingSource', description: expect.any(String), eventTypes: ['dev.knative.sources.ping'] });
    expect(listed).toContainEqual(expect.objectContaining({ apiVersion: 'sources.knative.dev/v1alpha1', kind: 'GitHubSource', eventTypes: ['dev.knative.source.github.*'] }));
    expect(listed).toContainEqual(expect.objectContaining({ apiVersion: 'sources.junction.dev/v1', kind: 'StripeSource', eventTypes: ['com.stripe.*'] }));
    for (const entry of listed) expect(Object.keys(entry).sort()).toEqual(['apiVersion', 'description', 'eventTypes', 'kind']);
  });

  it('prints a table by default, one row per kind and served group, and refuses an unknown format', async () => {
    const table = (await runCliOk(['source-types'])).stdout.trimEnd().split('\n');
    expect(table[0]).toMatch(/^KIND\s+APIVERSION\s+MODE\s+EVENT TYPES\s+DESCRIPTION$/);
    expect(table.find((line) => line.startsWith('StripeSource '))).toMatch(/sources\.junction\.dev\/v1\s+webhook\s+com\.stripe\.\*/);
    expect(table.find((line) => line.startsWith('PingSource '))).toMatch(/adapter\s+dev\.knative\.sources\.ping/);
    const bad = await runCli(['source-types', '-o', 'xml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/JUNCTION_CLI_USAGE.*unknown output format "xml"/);
  });
});
