import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, structuredEvent, type TestJunction } from '../support/junction.js';

describe('ingress when storage fails', () => {
  let junction: TestJunction;
  let subscriber: HttpSubscriber;

  beforeAll(async () => {
    junction = await startTestJunction();
    subscriber = await startHttpSubscriber();
    for (const resource of brokerWithTrigger({ subscriberUrl: subscriber.url })) await junction.apply(resource);
    await junction.waitReady('triggers', 'default', 'trigger');
  });
  afterAll(async () => {
    await junction?.stop();
    await subscriber?.close();
  });

  it('answers 503 JUNCTION_STORAGE_UNAVAILABLE, accepts nothing of the request, and recovers', async () => {
    // Another connection makes every insert fail, as a full or broken disk would.
    const saboteur = new Database(join(junction.dataDir, 'channels.db'));
    saboteur.exec(`CREATE TRIGGER broken_disk BEFORE INSERT ON records BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    const batch = `[${structuredEvent({ id: 'lost-1' })},${structuredEvent({ id: 'lost-2' })}]`;
    const refused = await junction.post('/default/default', batch, { 'content-type': 'application/cloudevents-batch+json' });
    expect(refused.status).toBe(503);
    expect(refused.json.code).toBe('JUNCTION_STORAGE_UNAVAILABLE');
    expect(JSON.stringify(refused.json)).not.toContain('disk I/O error');

    saboteur.exec('DROP TRIGGER broken_disk');
    saboteur.close();
    const accepted = await junction.post('/default/default', structuredEvent({ id: 'kept-1' }), { 'content-type': 'application/cloudevents+json' });
    expect(accepted.status).toBe(202);
    await subscriber.waitForRequests(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(subscriber.requests.map((r) => r.headers['ce-id'])).toEqual(['kept-1']);
  });
});
