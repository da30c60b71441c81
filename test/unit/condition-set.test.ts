import { describe, expect, it } from 'vitest';
import { ConditionSet } from '../../core/resources/index.js';

describe('ConditionSet (Knative living conditions)', () => {
  const set = new ConditionSet(['SinkProvided', 'Deployed']);
  const ready = (status: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> }) => status.conditions?.find((c) => c.type === 'Ready');

  it('is Unknown until every dependent is reported, then True', () => {
    const manager = set.manage(undefined);
    expect(ready(manager.status)).toMatchObject({ status: 'Unknown', reason: 'Pending' });
    manager.markTrue('SinkProvided');
    expect(ready(manager.status)?.status).toBe('Unknown');
    manager.markTrue('Deployed');
    expect(ready(manager.status)?.status).toBe('True');
    expect(manager.isHappy()).toBe(true);
  });

  it('is False with the failed dependent reason and message, and recovers', () => {
    const manager = set.manage(undefined).markTrue('SinkProvided').markFalse('Deployed', 'ProcessExited', 'exit code 3');
    expect(ready(manager.status)).toMatchObject({ status: 'False', reason: 'ProcessExited', message: 'exit code 3' });
    manager.markTrue('Deployed');
    expect(ready(manager.status)).toMatchObject({ status: 'True' });
    expect(ready(manager.status)?.reason).toBeUndefined();
  });

  it('does not change the status it was given and keeps lastTransitionTime while a condition holds', () => {
    const stored = set.manage(undefined).markTrue('SinkProvided').markTrue('Deployed').status;
    const before = structuredClone(stored);
    const again = set.manage(stored).markTrue('Deployed');
    expect(stored).toEqual(before);
    expect(again.get('Ready')?.lastTransitionTime).toBe(before.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);
  });
});
