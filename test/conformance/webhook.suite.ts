import { randomUUID } from 'node:crypto';
import { HTTP, type CloudEvent as SdkEvent } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resources/index.js';
import { sleep } from '../support/eventually.js';
import { startHttpSubscriber, type HttpSubscriber, type RecordedRequest } from '../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, type TestJunction } from '../support/junction.js';
import { trustInProcess } from '../support/sns-cert-server.js';
import type { FixtureServices, SignedRequest, WebhookFixture } from './webhooks/fixture.js';

const NAMESPACE = 'hooks';

/** The events a subscriber got, read by the CloudEvents SDK (which refuses invalid ones). */
export function sdkEvents(requests: RecordedRequest[]): SdkEvent<unknown>[] {
  return requests.map((request) => HTTP.toEvent({ headers: request.headers as Record<string, string>, body: request.body.toString('utf8') }) as SdkEvent<unknown>);
}

/** The Secret and source resources of a fixture, its sink the namespace's default broker. */
export function fixtureResources(fixture: WebhookFixture, name: string, namespace = NAMESPACE): Resource[] {
  const secretName = `${name}-key`;
  const credential = fixture.publicKey !== undefined ? { publicKey: { secretKeyRef: { name: secretName, key: 'key' } } } : fixture.secret !== undefined ? { secretToken: { secretKeyRef: { name: secretName, key: 'key' } } } : {};
  const value = fixture.publicKey ?? fixture.secret;
  return [
    ...(value !== undefined ? [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, namespace }, stringData: { key: value } } as Resource] : []),
    {
      apiVersion: fixture.apiVersion,
      kind: fixture.kind,
      metadata: { name, namespace },
      spec: { ...fixture.spec, ...credential, ceOverrides: { extensions: { suite: 'webhooks' } }, sink: { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } } },
    },
  ];
}

/** `signed` forged: the fixture's way, else one byte of the body (within the delivery id when it is there) flipped after signing. */
export function forgedRequest(fixture: WebhookFixture, signed: SignedRequest, delivery: string): SignedRequest {
  if (fixture.forged) return fixture.forged(signed);
  const body = Buffer.from(signed.body);
  const at = body.indexOf(Buffer.from(delivery.slice(0, 8)));
  body[at >= 0 ? at : body.length - 2] ^= 0x01;
  return { headers: signed.headers, body };
}

/** `signed` without its signature: the fixture's way, else without its `signatureHeader`. */
export function unsignedRequest(fixture: WebhookFixture, signed: SignedRequest): SignedRequest {
  if (fixture.signatureHeader === undefined) return fixture.unsigned(signed);
  const header = fixture.signatureHeader;
  return fixture.unsigned?.(signed) ?? { headers: Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== header)), body: signed.body };
}

/**
 * The push-source contract, run against each kind with requests its provider's SDK signed: a signed
 * request is answered 2xx once its event is in the broker and reaches a trigger's subscriber as a
 * valid CloudEvent with the documented type and id and the overrides; a redelivery is answered 2xx
 * without a second event; a forged, unsigned or stale request is a 401 with its code, counted, and
 * never reaches the subscriber.
 */
export function webhookConformance(fixtures: WebhookFixture[]): void {
  describe('push sources: verify → dedupe → durable → 2xx', () => {
    let junction: TestJunction;
    let subscriber: HttpSubscriber;
    beforeAll(async () => {
      subscriber = await startHttpSubscriber();
      junction = await startTestJunction();
      for (const resource of brokerWithTrigger({ namespace: NAMESPACE, trigger: 'all', subscriberUrl: subscriber.url })) await junction.apply(resource);
      await junction.waitReady('triggers', NAMESPACE, 'all');
    });
    afterAll(async () => {
      await junction?.stop();
      await subscriber?.close();
    });

    const deliveredIds = () => sdkEvents(subscriber.requests).map((event) => event.id);
    /** Sends a fresh valid delivery and waits for it: everything sent before it has had its chance to arrive. */
    const barrier = async (fixture: WebhookFixture, url: string, path: string) => {
      const delivery = randomUUID();
      const answer = await send(path, await fixture.request({ url, delivery, nowSeconds: Math.floor(Date.now() / 1000) }));
      expect(answer.status).toBe(200);
      const id = fixture.expected(delivery).id;
      for (let waited = 0; !deliveredIds().includes(id); waited += 20) {
        if (waited > 10_000) throw new Error(`barrier delivery ${id} did not arrive`);
        await sleep(20);
      }
      await sleep(100);
    };
    const send = (path: string, request: SignedRequest) => junction.post(path, request.body, request.headers);

    for (const fixture of fixtures) {
      describe(fixture.kind, () => {
        const name = `${fixture.kind.toLowerCase()}-suite`;
        let url: string;
        let path: string;
        let services: FixtureServices | undefined;
        let restoreTrust: (() => void) | undefined;
        beforeAll(async () => {
          services = await fixture.start?.();
          // The suite's Junction runs in this process: its HTTPS calls go through undici's global dispatcher.
          if (services?.ca) restoreTrust = trustInProcess(services.ca.pem);
          for (const resource of fixtureResources(fixture, name)) await junction.apply(resource);
          const ready = await junction.waitReady(`${fixture.kind.toLowerCase()}s`, NAMESPACE, name, fixture.apiVersion);
          url = String(ready.status?.url);
          path = new URL(url).pathname;
          expect(path).toBe(`/sources/${NAMESPACE}/${name}`);
          expect(ready.status?.sinkUri).toBe(`${junction.url}/${NAMESPACE}/default`);
        });
        afterAll(async () => {
          restoreTrust?.();
          await services?.close();
        });

        it('delivers a signed request as a valid CloudEvent with the documented type and id, then answers a redelivery without a second event', async () => {
          const delivery = randomUUID();
          const now = Math.floor(Date.now() / 1000);
          const first = await send(path, await fixture.request({ url, delivery, nowSeconds: now }));
          expect(first.status, first.text).toBe(200);
          const expected = fixture.expected(delivery);
          await subscriber.waitForRequests(1);
          await barrier(fixture, url, path);
          const event = sdkEvents(subscriber.requests).find((e) => e.id === expected.id);
          expect(event, `event ${expected.id} among ${deliveredIds().join(', ')}`).toBeDefined();
          expect(event).toMatchObject({ ...expected, suite: 'webhooks' });

          // The provider retries the same delivery, signed again later.
          const again = await send(path, await fixture.request({ url, delivery, nowSeconds: now + 5 }));
          expect(again.status, again.text).toBe(200);
          await barrier(fixture, url, path);
          expect(deliveredIds().filter((id) => id === expected.id)).toHaveLength(1);
        });

        it('refuses a forged request, a missing signature and (when signed) a stale timestamp with 401 and a code; none reaches the sink', async () => {
          const delivery = randomUUID();
          const signed = await fixture.request({ url, delivery, nowSeconds: Math.floor(Date.now() / 1000) });
          // Changed after signing (by default one byte of the body): the credential no longer checks out.
          const forged = await send(path, forgedRequest(fixture, signed, delivery));
          expect(forged.status, forged.text).toBe(401);
          expect(forged.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(forged.json.code).toBe('JUNCTION_WEBHOOK_SIGNATURE_INVALID');

          const missing = await send(path, unsignedRequest(fixture, signed));
          expect(missing.status).toBe(401);
          expect(missing.json.code).toBe('JUNCTION_WEBHOOK_SIGNATURE_MISSING');

          if (fixture.timestamped) {
            const stale = await send(path, await fixture.request({ url, delivery, nowSeconds: Math.floor(Date.now() / 1000) - 3600 }));
            expect(stale.status).toBe(401);
            expect(stale.json.code).toBe('JUNCTION_WEBHOOK_TIMESTAMP_STALE');
          }
          await barrier(fixture, url, path);
          expect(deliveredIds()).not.toContain(fixture.expected(delivery).id);

          const metrics = (await junction.call('GET', '/metrics')).text;
          expect(metrics).toMatch(new RegExp(`junction_source_webhook_requests_total\\{namespace="${NAMESPACE}",source="${name}",kind="${fixture.kind}",outcome="refused_invalid"\\} [1-9]`));
        });
      });
    }
  });
}
