import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useJunctionForCli } from '../support/cli-fixture.js';
import { pluginPath, writePlugin } from '../support/plugin-scripts.js';
import { runCli, runCliOk, waitAllReady } from './cli-harness.js';

const cli = useJunctionForCli({ 'auth.mode': 'on' });
const EXAMPLES = resolve(import.meta.dirname, '../../examples/plugins');
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'junction-plugin-list-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('junction plugin list', () => {
  it('lists each plugin (name, path) and names the ignored files: shadowed on PATH or by the plugins dir, named like a built-in, not executable', async () => {
    const plugins = join(root, 'plugins');
    const [binA, binB] = [join(root, 'a'), join(root, 'b')];
    const hello = writePlugin(plugins, 'hello', 'true');
    const helloOnPath = writePlugin(binA, 'hello', 'true');
    const dup = writePlugin(binA, 'dup', 'true');
    const dupLater = writePlugin(binB, 'dup', 'true');
    const fooBar = writePlugin(binB, 'foo-bar', 'true');
    const logAll = writePlugin(binB, 'log_all', 'true');
    const get = writePlugin(binA, 'get-all', 'true');
    const noexec = writePlugin(binA, 'noexec', 'true', { mode: 0o644 });
    writePlugin(join(binB, 'junction-adir'), 'ignored', 'true'); // a directory named junction-adir: not a plugin
    const env = { PATH: pluginPath(binA, binB), JUNCTION_PLUGINS_DIR: plugins };

    const result = await runCliOk(['plugin', 'list'], { env });
    expect(result.stdout.split('\n').map((line) => line.split(/\s{3,}/))).toEqual([
      ['NAME', 'PATH'],
      ['hello', hello],
      ['dup', dup],
      ['foo bar', fooBar],
      ['log-all', logAll],
      [''],
    ]);
    expect(result.stderr).toBe(
      [
        '',
        'Warnings:',
        `  - ${get} is ignored: the built-in command "junction get" always wins`,
        `  - ${helloOnPath} is shadowed by ${hello}, found earlier`,
        `  - ${noexec} is ignored: it is not executable (chmod +x)`,
        `  - ${dupLater} is shadowed by ${dup}, found earlier`,
        '',
      ].join('\n'),
    );
  });

  it('says so when there are none; --plugins-dir (before the command) points elsewhere', async () => {
    const empty = join(root, 'empty');
    const none = await runCliOk(['--plugins-dir', empty, 'plugin', 'list'], { env: { PATH: pluginPath() } });
    expect(none).toMatchObject({ stdout: '', stderr: `No plugins found in ${empty} or on PATH.\n` });

    const linked = join(root, 'linked');
    writePlugin(join(root, 'real'), 'real', 'true');
    mkdirSync(linked);
    symlinkSync(join(root, 'real', 'junction-real'), join(linked, 'junction-linked'));
    const listed = await runCliOk(['--plugins-dir', linked, 'plugin', 'list'], { env: { PATH: pluginPath() } });
    expect(listed.stdout).toMatch(new RegExp(`^linked\\s+${join(linked, 'junction-linked')}$`, 'm'));
  });

  it('has --help text, and junction --help still lists the commands and mentions plugins', async () => {
    const list = await runCliOk(['plugin', 'list', '--help']);
    expect(list.stdout).toMatch(/^Usage: junction plugin list \[options\]/);
    expect(list.stdout).toContain('junction-foo-bar answers to "junction foo bar"');
    expect((await runCliOk(['plugin', '--help'])).stdout).toMatch(/^Usage: junction plugin \[options\] \[command\][\s\S]*list/);
    const top = await runCliOk(['--help']);
    expect(top.stdout).toMatch(/^ {2}get \[options\] <type> \[name\]/m);
    expect(top.stdout).toMatch(/^ {2}plugin /m);
    expect(top.stdout).toContain('executable junction-<name> from the plugins directory or PATH');
  });
});

describe('the example plugin examples/plugins/junction-hello', () => {
  it('lists the brokers of a namespace with the token junction passes, as docs/cli.md shows', async () => {
    const admin = { server: cli.server, env: { JUNCTION_DATA_DIR: cli.dataDir, JUNCTION_PLUGINS_DIR: EXAMPLES } };
    await runCliOk(['apply', '-f', '-'], { ...admin, input: 'apiVersion: eventing.knative.dev/v1\nkind: Broker\nmetadata:\n  name: default\n  namespace: shop\n' });
    const [broker] = await waitAllReady('brokers', ['default'], { ...admin, namespace: 'shop' });

    const listed = await runCliOk(['hello', '-n', 'shop'], admin);
    expect(listed.stdout).toBe(`Hello from a Junction plugin! 1 broker(s) in namespace shop at ${cli.server}\ndefault\t${broker.status.address.url}\n`);
    expect((await runCliOk(['hello'], admin)).stdout).toBe(`Hello from a Junction plugin! 0 broker(s) in namespace default at ${cli.server}\n`);

    // Without a token (none given, no admin.token in the data dir) Junction refuses, and the plugin says why.
    const anonymous = await runCli(['hello', '-n', 'shop'], { server: cli.server, env: { JUNCTION_PLUGINS_DIR: EXAMPLES } });
    expect(anonymous).toMatchObject({ code: 1, stdout: '' });
    expect(anonymous.stderr).toMatch(/^junction hello: JUNCTION_UNAUTHENTICATED: /);

    const plugins = await runCliOk(['plugin', 'list'], { env: { PATH: pluginPath(), JUNCTION_PLUGINS_DIR: EXAMPLES } });
    expect(plugins.stdout).toBe(`NAME    PATH\nhello   ${join(EXAMPLES, 'junction-hello')}\n`);
  });
});
