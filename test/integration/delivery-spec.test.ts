import { describe, expect, it } from 'vitest';
import { isJunctionError } from '../../core/errors.js';
import { backoffMs, nextWaitMs, parseRetryAfterMs, resolveDeliveryPolicy, validateDeliverySpec } from '../../broker/delivery/index.js';

describe('validateDeliverySpec', () => {
  it.each([
    ['nothing', undefined],
    ['an empty spec', {}],
    ['a full Knative spec', { retry: 5, backoffPolicy: 'exponential', backoffDelay: 'PT0.5S', timeout: 'PT30S', retryAfterMax: 'PT2M', deadLetterSink: { uri: 'http://dls.example/' } }],
    ['linear with a day-long delay', { retry: 0, backoffPolicy: 'linear', backoffDelay: 'P1D' }],
    ['retryAfterMax PT0S (opt-out)', { retry: 1, retryAfterMax: 'PT0S' }],
    ['a dead-letter ref (resolved later)', { deadLetterSink: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'dls' } } }],
    ['format and backoffMax', { format: 'json', backoffMax: 'PT10M' }],
    // Knative's broker-developer-config-options page: a ref with a relative uri, resolved against the ref's address.
    ['a dead-letter ref with a relative uri', { deadLetterSink: { ref: { kind: 'Service', namespace: 'example-namespace', name: 'example-service', apiVersion: 'v1' }, uri: 'example-uri' } }],
    ['a dead-letter ref with a path', { deadLetterSink: { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'dlq' }, uri: '/dead' } }],
  ])('accepts %s', (_name, spec) => {
    expect(validateDeliverySpec(spec, 'spec.delivery')).toEqual([]);
  });

  it.each([
    ['a negative retry', { retry: -1 }, [{ path: 'spec.delivery.retry', message: 'must not be negative' }]],
    ['a fractional retry', { retry: 1.5 }, [{ path: 'spec.delivery.retry', message: 'must be integer' }]],
    ['an unknown policy', { backoffPolicy: 'fibonacci' }, [{ path: 'spec.delivery.backoffPolicy', message: 'must be one of: exponential, linear' }]],
    ['a bad backoffDelay', { backoffDelay: '500ms' }, [{ path: 'spec.delivery.backoffDelay', message: 'must be an ISO-8601 duration such as PT0.5S' }]],
    ['a zero timeout', { timeout: 'PT0S' }, [{ path: 'spec.delivery.timeout', message: 'must be an ISO-8601 duration greater than zero, such as PT30S' }]],
    ['a bad retryAfterMax', { retryAfterMax: 'soon' }, [{ path: 'spec.delivery.retryAfterMax', message: 'must be an ISO-8601 duration such as PT0.5S' }]],
    ['a dead-letter sink without uri', { deadLetterSink: {} }, [{ path: 'spec.delivery.deadLetterSink', message: 'expected a uri (or a ref that resolves to one)' }]],
    ['a relative dead-letter uri', { deadLetterSink: { uri: '/dls' } }, [{ path: 'spec.delivery.deadLetterSink.uri', message: 'must be an absolute http or https URL' }]],
    ['an empty uri beside a ref', { deadLetterSink: { ref: { apiVersion: 'v1', kind: 'Service', name: 'dls' }, uri: '' } }, [{ path: 'spec.delivery.deadLetterSink.uri', message: 'must be a non-empty string' }]],
    ['an unknown field', { retries: 3 }, [{ path: 'spec.delivery.retries', message: 'unknown field' }]],
  ])('rejects %s', (_name, spec, problems) => {
    expect(validateDeliverySpec(spec, 'spec.delivery')).toEqual(problems);
  });

  it('reports every problem at once', () => {
    const problems = validateDeliverySpec({ retry: -2, backoffPolicy: 'random', timeout: 'x', deadLetterSink: { uri: 7 } }, 'spec.delivery');
    expect(problems.map((problem) => problem.path).sort()).toEqual([
      'spec.delivery.backoffPolicy',
      'spec.delivery.deadLetterSink.uri',
      'spec.delivery.retry',
      'spec.delivery.timeout',
    ]);
  });

  it('rejects a delivery that is not an object', () => {
    expect(validateDeliverySpec('retry: 3', 'spec.delivery')).toEqual([{ path: 'spec.delivery', message: 'must be object' }]);
  });
});

describe('resolveDeliveryPolicy', () => {
  it('lets the trigger override the broker field by field and parses durations once', () => {
    const policy = resolveDeliveryPolicy(
      { retry: 2, timeout: 'PT5S' },
      { retry: 10, backoffPolicy: 'linear', backoffDelay: 'PT0.5S', deadLetterSink: { uri: 'http://dls.example/' } },
    );
    expect(policy).toEqual({
      retry: 2,
      backoffPolicy: 'linear',
      backoffDelayMs: 500,
      timeoutMs: 5000,
      retryAfterMaxMs: undefined,
      backoffMaxMs: undefined,
      format: 'binary',
      deadLetterSink: 'http://dls.example/',
    });
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('defaults to no retries, exponential backoff from PT1S and no dead-letter sink', () => {
    expect(resolveDeliveryPolicy()).toMatchObject({ retry: 0, backoffPolicy: 'exponential', backoffDelayMs: 1000, deadLetterSink: undefined });
  });

  it('throws JUNCTION_RESOURCE_INVALID with every problem, and for an unresolved dead-letter ref', () => {
    const invalid = () => resolveDeliveryPolicy({ retry: -1 }, { backoffDelay: 'nope' });
    expect(invalid).toThrow();
    try {
      invalid();
    } catch (error) {
      expect(isJunctionError(error, 'JUNCTION_RESOURCE_INVALID')).toBe(true);
      if (isJunctionError(error)) expect(error.problems.map((problem) => problem.path)).toEqual(['defaults.backoffDelay', 'delivery.retry']);
    }
    const ref = { ref: { apiVersion: 'v1', kind: 'Service', name: 'dls' } };
    expect(() => resolveDeliveryPolicy({ deadLetterSink: ref })).toThrow(/problem/);
  });
});

describe('backoff arithmetic (Knative: retry n waits delay * n or delay * 2^n)', () => {
  const exponential = resolveDeliveryPolicy({ backoffPolicy: 'exponential', backoffDelay: 'PT0.5S' });
  const linear = resolveDeliveryPolicy({ backoffPolicy: 'linear', backoffDelay: 'PT2.5S' });

  it('matches Knative for the first retries', () => {
    expect([1, 2, 3, 4, 5].map((retry) => backoffMs(exponential, retry))).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect([1, 2, 3].map((retry) => backoffMs(linear, retry))).toEqual([2500, 5000, 7500]);
  });

  it('caps the backoff at backoffMax', () => {
    const capped = resolveDeliveryPolicy({ backoffDelay: 'PT1S', backoffMax: 'PT10S' });
    expect(backoffMs(capped, 10)).toBe(10_000);
  });

  it('uses Retry-After only for 429/503, only with retryAfterMax, and never below the backoff', () => {
    const honouring = resolveDeliveryPolicy({ backoffDelay: 'PT0.5S', retryAfterMax: 'PT30S' });
    expect(nextWaitMs(honouring, 1, 503, '10')).toBe(10_000);
    expect(nextWaitMs(honouring, 1, 429, '120')).toBe(30_000);
    expect(nextWaitMs(honouring, 1, 500, '10')).toBe(1000);
    expect(nextWaitMs(honouring, 1, 503, '0')).toBe(1000);
    expect(nextWaitMs(exponential, 1, 503, '10')).toBe(1000);
    expect(nextWaitMs(resolveDeliveryPolicy({ backoffDelay: 'PT0.5S', retryAfterMax: 'PT0S' }), 1, 503, '10')).toBe(1000);
  });

  it('reads Retry-After as seconds or an HTTP-date', () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    expect(parseRetryAfterMs('3', now)).toBe(3000);
    expect(parseRetryAfterMs('Wed, 01 May 2024 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs('Wed, 01 May 2024 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('later', now)).toBeUndefined();
  });
});
