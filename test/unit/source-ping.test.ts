import { describe, expect, it } from 'vitest';
import { CloudEvent as SdkEvent } from 'cloudevents';
import { KindRegistry } from '../../core/resources/index.js';
import { createSourcesModule, pingEvent, PING_EVENT_TYPE, builtInSources } from '../../sources/index.js';
import { parseSchedule } from '../../sources/ping/schedule.js';

describe('PingSource schedule', () => {
  it('reads Knative 5-field cron in UTC by default', () => {
    const schedule = parseSchedule('*/5 * * * *');
    expect(new Date(schedule.next(Date.parse('2026-01-01T00:01:00Z'))!).toISOString()).toBe('2026-01-01T00:05:00.000Z');
    // Strictly after: a tick at exactly `after` is not repeated.
    expect(new Date(schedule.next(Date.parse('2026-01-01T00:05:00Z'))!).toISOString()).toBe('2026-01-01T00:10:00.000Z');
  });

  it('honours spec.timezone and the CRON_TZ= prefix Knative accepts', () => {
    const berlin = parseSchedule('0 9 * * *', 'Europe/Berlin');
    expect(new Date(berlin.next(Date.parse('2026-07-01T00:00:00Z'))!).toISOString()).toBe('2026-07-01T07:00:00.000Z');
    const prefixed = parseSchedule('CRON_TZ=America/New_York 0 9 * * *');
    expect(new Date(prefixed.next(Date.parse('2026-01-15T00:00:00Z'))!).toISOString()).toBe('2026-01-15T14:00:00.000Z');
  });

  it('takes a seconds field (6 fields) and nicknames', () => {
    expect(parseSchedule('*/10 * * * * *').next(Date.parse('2026-01-01T00:00:01Z'))).toBe(Date.parse('2026-01-01T00:00:10Z'));
    expect(parseSchedule('@hourly').next(Date.parse('2026-01-01T00:30:00Z'))).toBe(Date.parse('2026-01-01T01:00:00Z'));
  });

  it('refuses a bad pattern and an unknown zone with a message', () => {
    expect(() => parseSchedule('every minute')).toThrow(/five, six, or seven/);
    expect(() => parseSchedule('* * * * *', 'Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});

describe('PingSource event', () => {
  const identity = { namespace: 'team-a', name: 'every-minute', uid: 'u-1' };
  it('is a valid CloudEvent of Knative type and source, with the tick as time', () => {
    const event = pingEvent(identity, { schedule: '* * * * *', contentType: 'application/json', data: '{"message":"hi"}' }, Date.parse('2026-01-01T00:01:00Z'));
    expect(event).toMatchObject({ type: PING_EVENT_TYPE, source: '/apis/v1/namespaces/team-a/pingsources/every-minute', time: '2026-01-01T00:01:00.000Z', datacontenttype: 'application/json', data: { message: 'hi' } });
    expect(() => new SdkEvent(event as never).validate()).not.toThrow();
  });

  it('has one id per tick: the same tick sent again keeps it, the next tick gets another', () => {
    const a = pingEvent(identity, { schedule: '* * * * *' }, 60_000);
    expect(pingEvent(identity, { schedule: '* * * * *' }, 60_000).id).toBe(a.id);
    expect(pingEvent(identity, { schedule: '* * * * *' }, 120_000).id).not.toBe(a.id);
    expect(pingEvent({ ...identity, uid: 'u-2' }, { schedule: '* * * * *' }, 60_000).id).not.toBe(a.id);
  });

  it('carries dataBase64 as data_base64 and text data as text', () => {
    expect(pingEvent(identity, { schedule: '* * * * *', contentType: 'application/octet-stream', dataBase64: 'AAEC' }, 0)).toMatchObject({ data_base64: 'AAEC' });
    expect(pingEvent(identity, { schedule: '* * * * *', contentType: 'text/plain', data: 'hello' }, 0).data).toBe('hello');
  });
});

describe('PingSource admission', () => {
  const kinds = new KindRegistry();
  for (const kind of createSourcesModule(builtInSources).kinds) kinds.register(kind);
  const check = (spec: Record<string, unknown>, apiVersion = 'sources.knative.dev/v1') => {
    const definition = kinds.forDocument(apiVersion, 'PingSource');
    const resource = { apiVersion, kind: 'PingSource', metadata: { name: 'p', namespace: 'default' }, spec };
    // As admission does: semantic checks run once the schema holds.
    const schema = kinds.checkSchema(definition, resource);
    return schema.length > 0 ? schema : (definition.validate?.(resource, {}) ?? []);
  };
  const sink = { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } };

  it('accepts the Knative docs example in v1 and v1beta2', () => {
    expect(check({ schedule: '*/1 * * * *', contentType: 'application/json', data: '{"message": "Hello world!"}', sink })).toEqual([]);
    expect(check({ schedule: '*/1 * * * *', data: 'x', sink }, 'sources.knative.dev/v1beta2')).toEqual([]);
  });

  it('collects every problem with its path', () => {
    const problems = check({ schedule: 'nope', data: 'a', dataBase64: 'YQ==', ceOverrides: { extensions: { Bad_Name: 'x', type: 'y' } }, sink: { uri: 'not a url' } });
    expect(problems.map((p) => p.path).sort()).toEqual(['spec.ceOverrides.extensions.Bad_Name', 'spec.ceOverrides.extensions.type', 'spec.dataBase64', 'spec.schedule', 'spec.sink.uri']);
  });

  it('requires a sink and a schedule', () => {
    expect(check({}).map((p) => p.path).sort()).toEqual(['spec.schedule', 'spec.sink']);
  });

  it('refuses data that is not JSON when contentType says JSON, and an unknown timezone', () => {
    expect(check({ schedule: '* * * * *', contentType: 'application/json', data: '{', timezone: 'Nowhere/City', sink }).map((p) => p.path).sort()).toEqual(['spec.data', 'spec.timezone']);
  });
});
