import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startJunctionProcess, type JunctionProcess } from '../../bench/support/junction-process.js';
import { fixtureResources, sdkEvents } from '../conformance/webhook.suite.js';
import type { FixtureServices } from '../conformance/webhooks/fixture.js';
import { webhookFixtures } from '../conformance/webhooks/all.js';
import { requireBuiltCli } from '../e2e/cli-harness.js';
import { sleep } from '../support/eventually.js';
import { startHttpSubscriber, type RecordedRequest } from '../support/http-subscriber.js';

const NAMESPACE = 'hooks';

/** The control API path of a resource. */
function pathOf(resource: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): string {
  const plural = resource.kind === 'Secret' ? 'secrets' : `${resource.kind.toLowerCase()}s`;
  const base = resource.apiVersion === 'v1' ? '/api/v1' : `/apis/${resource.apiVersion}`;
  return `${base}/namespaces/${resource.metadata.namespace ?? NAMESPACE}/${plural}/${resource.metadata.name}`;
}

describe('a webhook answered 2xx is delivered even when Junction is killed right after answering', () => {
  it('kill -9 right after the 2xx of every push kind: after restart every event reaches the subscriber', async () => {
    requireBuiltCli();
    const dataDir = mkdtempSync(join(tmpdir(), 'junction-webhook-kill-'));
    // The subscriber refuses everything while the first Junction runs: nothing can have been
    // delivered (and acknowledged) before the kill; after the restart it accepts.
    let accepting = false;
    const accepted: RecordedRequest[] = [];
    const subscriber = await startHttpSubscriber((request) => {
      if (!accepting) return { status: 503 };
      accepted.push(request);
      return { status: 202 };
    });
    let junction: JunctionProcess | undefined;
    const services: FixtureServices[] = [];
    try {
      // What providers call while verifying (SNS's certificate host) runs here; the Junction process
      // trusts its CAs through NODE_EXTRA_CA_CERTS (one file, so a bundle of them all).
      for (const fixture of webhookFixtures) if (fixture.start) services.push(await fixture.start());
      const cas = services.flatMap((started) => (started.ca ? [started.ca.pem] : []));
      const env: Record<string, string> = {};
      if (cas.length > 0) {
        env.NODE_EXTRA_CA_CERTS = join(dataDir, 'extra-ca.pem');
        writeFileSync(env.NODE_EXTRA_CA_CERTS, cas.join('\n'));
      }
      junction = await startJunctionProcess({ dataDir, env });
      await junction.put(`/apis/eventing.knative.dev/v1/namespaces/${NAMESPACE}/brokers/default`, { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', namespace: NAMESPACE } });
      await junction.put(`/apis/eventing.knative.dev/v1/namespaces/${NAMESPACE}/triggers/all`, {
        apiVersion: 'eventing.knative.dev/v1',
        kind: 'Trigger',
        metadata: { name: 'all', namespace: NAMESPACE },
        spec: { broker: 'default', subscriber: { uri: subscriber.url }, delivery: { retry: 20, backoffPolicy: 'linear', backoffDelay: 'PT0.2S' } },
      });
      const expectedIds: string[] = [];
      for (const fixture of webhookFixtures) {
        const name = `${fixture.kind.toLowerCase()}-kill`;
        for (const resource of fixtureResources(fixture, name)) await junction.put(pathOf(resource), resource);
        const source = fixtureResources(fixture, name).at(-1)!;
        await junction.waitReady(pathOf(source));
        const delivery = randomUUID();
        const url = `${junction.url}/sources/${NAMESPACE}/${name}`;
        const signed = await fixture.request({ url, delivery, nowSeconds: Math.floor(Date.now() / 1000) });
        const answer = await request(url, { method: 'POST', headers: signed.headers, body: signed.body });
        const text = await answer.body.text();
        expect(answer.statusCode, `${fixture.kind}: ${text}`).toBe(200);
        expectedIds.push(fixture.expected(delivery).id);
      }
      // Answered: now die without any chance to flush or drain.
      await junction.kill('SIGKILL');

      junction = await startJunctionProcess({ dataDir, env });
      accepting = true;
      for (let waited = 0; new Set(sdkEvents(accepted).map((event) => event.id)).size < expectedIds.length; waited += 50) {
        if (waited > 60_000) throw new Error(`after the restart only ${sdkEvents(accepted).map((event) => event.id).join(', ')} of ${expectedIds.join(', ')} arrived\n${junction.output()}`);
        await sleep(50);
      }
      const delivered = sdkEvents(accepted).map((event) => event.id);
      expect(delivered.sort()).toEqual(expect.arrayContaining(expectedIds));
      expect([...new Set(delivered)].sort()).toEqual([...expectedIds].sort());
    } finally {
      if (junction && junction.child.exitCode === null && junction.child.signalCode === null) await junction.kill('SIGKILL');
      await subscriber.close();
      for (const started of services) await started.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
