import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTriggerPerSuite } from '../support/broker-fixture.js';
import { waitForTriggerDrained } from '../support/drained.js';
import { structuredEvent } from '../support/junction.js';

describe('ingress when storage fails', () => {
  const fixture = useTriggerPerSuite();

  it('answers 503 JUNCTION_STORAGE_UNAVAILABLE, accepts nothing of the request, and recovers', async () => {
    // Another connection makes every insert fail, as a full or broken disk would.
    const saboteur = new Database(join(fixture.junction.dataDir, 'channels.db'));
    saboteur.exec(`CREATE TRIGGER broken_disk BEFORE INSERT ON records BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    const batch = `[${structuredEvent({ id: 'lost-1' })},${structuredEvent({ id: 'lost-2' })}]`;
    const refused = await fixture.junction.post('/default/default', batch, { 'content-type': 'application/cloudevents-batch+json' });
    expect(refused.status).toBe(503);
    expect(refused.json.code).toBe('JUNCTION_STORAGE_UNAVAILABLE');
    expect(JSON.stringify(refused.json)).not.toContain('disk I/O error');
    // Readiness says so, naming the store (not the driver's message), until a write succeeds again.
    const notReady = await fixture.junction.call('GET', '/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.json).toMatchObject({ code: 'JUNCTION_STORAGE_UNAVAILABLE', storage: [expect.objectContaining({ store: 'channels.db' })] });
    expect(JSON.stringify(notReady.json)).not.toContain('disk I/O error');

    saboteur.exec('DROP TRIGGER broken_disk');
    saboteur.close();
    const accepted = await fixture.junction.post('/default/default', structuredEvent({ id: 'kept-1' }), { 'content-type': 'application/cloudevents+json' });
    expect(accepted.status).toBe(202);
    expect((await fixture.junction.call('GET', '/readyz')).status).toBe(200);
    // kept-1 went into the log after anything of the refused batch could have: once it arrived and the
    // trigger has nothing left in flight, a lost event would have been delivered already.
    await fixture.subscriber.waitForRequests(1);
    await waitForTriggerDrained(fixture.junction, 'default', 'trigger');
    expect(fixture.subscriber.requests.map((r) => r.headers['ce-id'])).toEqual(['kept-1']);
  });
});
