import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useJunctionForCli } from '../support/cli-fixture.js';
import { runCli, runCliOk, startCli } from './cli-harness.js';

// Issue #13: every error the CLI prints is `junction: CODE: detail`, also the ones that used to
// bypass the catalog (the YAML library's alias-bomb refusal, commander's usage errors, a bad port).

const cli = useJunctionForCli({ 'auth.mode': 'on' });
const asAdmin = () => ({ server: cli.server, env: { JUNCTION_DATA_DIR: cli.dataDir } });

/** Nine aliases per level, six levels: 9^6 nodes once expanded, which the yaml library refuses. */
const ALIAS_BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdef'.split('').map((name, index) => {
  const previous = 'abcde'[index];
  return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`;
})].join('\n');

describe('CLI errors all carry a catalog code', () => {
  it('a YAML alias bomb is one JUNCTION_BAD_REQUEST line naming the document, exit 1', async () => {
    const file = join(cli.dir, 'bomb.yaml');
    writeFileSync(file, `${ALIAS_BOMB}\n`);
    const result = await runCli(['apply', '-f', file], asAdmin());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`junction: JUNCTION_BAD_REQUEST: cannot parse ${file} (${file}#1: Excessive alias count indicates a resource exhaustion attack)\n`);
  });

  it("commander's usage errors become JUNCTION_CLI_USAGE lines and keep exit 1 and the hints", async () => {
    const cases: Array<[string[], string]> = [
      [['get', '--bogus'], "junction: JUNCTION_CLI_USAGE: unknown option '--bogus'\n(add --help for usage)\n"],
      [['get'], "junction: JUNCTION_CLI_USAGE: missing required argument 'type'\n(add --help for usage)\n"],
      [['nope'], "junction: JUNCTION_CLI_USAGE: unknown command 'nope'\n(add --help for usage)\n"],
      [['send', '-n', 'x'], "junction: JUNCTION_CLI_USAGE: required option '--broker <name>' not specified\n(add --help for usage)\n"],
      [['start', '--http-port', 'abc'], `junction: JUNCTION_CLI_USAGE: option '--http-port <port>' argument 'abc' is invalid. invalid port "abc" (0-65535)\n(add --help for usage)\n`],
      [['display', '--status', '42'], `junction: JUNCTION_CLI_USAGE: option '--status <code>' argument '42' is invalid. invalid HTTP status "42" (200-599)\n(add --help for usage)\n`],
    ];
    for (const [args, stderr] of cases) {
      const result = await runCli(args, { server: cli.server });
      expect({ args, code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ args, code: 1, stdout: '', stderr });
    }
  });

  it('--help and --version still print their text and exit 0', async () => {
    const version = await runCli(['--version']);
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = await runCli(['get', '--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: junction get /);
  });

  it('a port already in use is JUNCTION_CONFIG_INVALID naming the address, for start and display', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const display = await runCli(['display', '--port', String(port)]);
      expect(display).toMatchObject({ code: 1, stderr: `junction: JUNCTION_CONFIG_INVALID: cannot listen on 127.0.0.1:${port}: the address is in use (EADDRINUSE)\n` });
      const start = await runCli(['start', '--http-port', String(port), '--grpc-port', '0', '--data-dir', join(cli.dir, 'busy'), '--log-level', 'silent']);
      expect(start).toMatchObject({ code: 1, stderr: `junction: JUNCTION_CONFIG_INVALID: cannot listen on 127.0.0.1:${port}: the address is in use (EADDRINUSE)\n` });
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('get -w ends with the JUNCTION_UNAUTHENTICATED line and exit 1 when its token is revoked', async () => {
    const token = (await runCliOk(['token', 'create', '-n', 'watched', '--role', 'read'], asAdmin())).stdout.trim();
    const id = /^jct_([a-z0-9]{12})_/.exec(token)?.[1];
    expect(id).toBeDefined();
    await runCliOk(['apply', '-f', '-', '-n', 'watched'], { ...asAdmin(), input: 'apiVersion: eventing.knative.dev/v1\nkind: Broker\nmetadata:\n  name: seen\n' });

    const watch = startCli(['get', 'brokers', '-w', '-n', 'watched', '--token', token], { server: cli.server });
    // Revoke only once the watch streams (its first row is printed).
    await new Promise<void>((resolve) => {
      let out = '';
      watch.child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (/^seen\s/m.test(out)) resolve();
      });
    });
    await runCliOk(['token', 'revoke', '-n', 'watched', id!], asAdmin());
    const result = await watch.result;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^seen\s/m);
    expect(result.stderr).toBe(`junction: JUNCTION_UNAUTHENTICATED: token ${id} was revoked; this watch is closed\n`);
  });
});
