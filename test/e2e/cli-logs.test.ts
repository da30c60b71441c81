import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { useJunctionForCli } from '../support/cli-fixture.js';
import { runCli, runCliOk, startCli, waitAllReady } from './cli-harness.js';

const cli = useJunctionForCli();
const EMITTER = join(import.meta.dirname, '..', 'fixtures', 'container-source', 'emitter.mjs');

beforeAll(async () => {
  const manifest = `apiVersion: eventing.knative.dev/v1
kind: Broker
metadata:
  name: default
---
apiVersion: sources.knative.dev/v1
kind: ContainerSource
metadata:
  name: heartbeat
spec:
  template:
    spec:
      containers:
        - name: emitter
          command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(EMITTER)}]
          env:
            - { name: EVENTS, value: "2" }
            - { name: GREETING, value: hi }
  sink:
    ref: { apiVersion: eventing.knative.dev/v1, kind: Broker, name: default }
`;
  await runCliOk(['apply', '-f', '-', '-n', 'logs'], { server: cli.server, input: manifest });
  await waitAllReady('containersources', ['heartbeat'], { server: cli.server, namespace: 'logs' });
});

describe('junction logs', () => {
  it('prints a ContainerSource’s output by TYPE NAME, TYPE/NAME or NAME, with --tail and --timestamps', async () => {
    await eventually(async () => expect((await runCliOk(['logs', 'containersource', 'heartbeat', '-n', 'logs'], { server: cli.server })).stdout).toContain('sent 1\n'));
    const all = (await runCliOk(['logs', 'containersources/heartbeat', '-n', 'logs'], { server: cli.server })).stdout;
    expect(all).toMatch(/^starting: sink http:\/\/127\.0\.0\.1:\d+\/, greeting hi\nsent 0\nsent 1\n/);
    expect((await runCliOk(['logs', 'heartbeat', '-n', 'logs', '--tail', '1'], { server: cli.server })).stdout).toBe('sent 1\n');
    expect((await runCliOk(['logs', 'cs', 'heartbeat', '-n', 'logs', '--tail', '1', '--timestamps'], { server: cli.server })).stdout).toMatch(/^\S+Z stdout sent 1\n$/);
  });

  it('follows with -f until the source is deleted', async () => {
    const follow = startCli(['logs', 'heartbeat', '-n', 'logs', '-f', '--tail', '1'], { server: cli.server });
    let seen = '';
    follow.child.stdout.on('data', (chunk: Buffer) => (seen += chunk.toString('utf8')));
    // Following once the last line is printed.
    await eventually(() => expect(seen).toBe('sent 1\n'), 20_000);
    await runCliOk(['delete', 'containersource', 'heartbeat', '-n', 'logs'], { server: cli.server });
    const result = await follow.result;
    expect(result.code, result.stderr).toBe(0);
    expect(seen).toContain('stopping on SIGTERM\n');
  });

  it('says clearly when nothing has logs, and refuses a bad --tail', async () => {
    const missing = await runCli(['logs', 'nothing-here', '-n', 'logs'], { server: cli.server });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/JUNCTION_RESOURCE_NOT_FOUND.*nothing named nothing-here has logs in namespace logs/);
    const bad = await runCli(['logs', 'containersource/heartbeat', '--tail', 'ten', '-n', 'logs'], { server: cli.server });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--tail must be a number of lines');
  });
});
