import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useJunctionForCli } from '../support/cli-fixture.js';
import { pluginPath, recorderBody, writePlugin } from '../support/plugin-scripts.js';
import { runCli, runCliOk, startCli } from './cli-harness.js';

// Auth on, so the admin token the CLI finds in <data-dir>/admin.token is something to pass on.
const cli = useJunctionForCli({ 'auth.mode': 'on' });
let root: string;
let pluginsDir: string;
let binA: string;
let binB: string;
let env: Record<string, string>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'junction-plugins-'));
  pluginsDir = join(root, 'plugins');
  binA = join(root, 'bin-a');
  binB = join(root, 'bin-b');
  writePlugin(binA, 'echo', recorderBody('echo'));
  writePlugin(pluginsDir, 'dir', recorderBody('dir'));
  writePlugin(binA, 'foo', recorderBody('foo'));
  writePlugin(binB, 'foo-bar', recorderBody('foo-bar'));
  writePlugin(binA, 'log_all', recorderBody('log_all'));
  writePlugin(binA, 'die', 'kill -TERM $$');
  writePlugin(binA, 'trap', 'sleep 30 & pid=$!\ntrap \'kill $pid; echo "got TERM"; exit 7\' TERM\necho ready\nwait $pid');
  writePlugin(binA, 'version', 'echo "the plugin ran"');
  writePlugin(binA, 'get', 'echo "the plugin ran"');
  writePlugin(binA, 'noexec', recorderBody('noexec'), { mode: 0o644 });
  writePlugin(pluginsDir, 'both', recorderBody('both in the plugins dir'));
  writePlugin(binA, 'both', recorderBody('both on PATH'));
  writePlugin(binA, 'twice', recorderBody('twice, first on PATH'));
  writePlugin(binB, 'twice', recorderBody('twice, later on PATH'));
  writePlugin(binA, 'late', recorderBody('late, not executable'), { mode: 0o644 });
  writePlugin(binB, 'late', recorderBody('late, executable'));
  env = { PATH: pluginPath(binA, binB), JUNCTION_PLUGINS_DIR: pluginsDir };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lines = (text: string) => text.trim().split('\n');

describe('junction <name> runs the plugin junction-<name>', () => {
  it('found on PATH: arguments unchanged (options, --help, -- included), stdin, stdout and stderr reach it, exit 0', async () => {
    const result = await runCli(['echo', 'a b', '--help', '-V', '--', '-n', 'x'], { env, input: 'from stdin' });
    expect(result.code).toBe(0);
    expect(lines(result.stdout).slice(0, 7)).toEqual(['plugin=echo', 'arg=a b', 'arg=--help', 'arg=-V', 'arg=--', 'arg=-n', 'arg=x']);
    expect(result.stdout).toContain('stdin=from stdin\n');
    expect(result.stderr).toBe('echo on stderr\n');
  });

  it('found in the plugins directory, with the exit code passed through (3)', async () => {
    const result = await runCli(['dir', 'one'], { env: { ...env, PLUGIN_EXIT: '3' } });
    expect(result.code).toBe(3);
    expect(lines(result.stdout).slice(0, 2)).toEqual(['plugin=dir', 'arg=one']);
  });

  it('the plugins dir defaults to ~/.config/junction/plugins (also when JUNCTION_PLUGINS_DIR is empty)', async () => {
    const home = join(root, 'home');
    writePlugin(join(home, '.config', 'junction', 'plugins'), 'homed', recorderBody('homed'));
    for (const dirSetting of [{}, { JUNCTION_PLUGINS_DIR: '' }] as Record<string, string>[]) {
      const result = await runCliOk(['homed', 'x'], { env: { PATH: pluginPath(), HOME: home, ...dirSetting } });
      expect(lines(result.stdout).slice(0, 2)).toEqual(['plugin=homed', 'arg=x']);
    }
  });

  it('the first executable found wins: the plugins dir before PATH, an earlier PATH entry before a later one', async () => {
    expect((await runCliOk(['both'], { env })).stdout).toMatch(/^plugin=both in the plugins dir\n/);
    expect((await runCliOk(['twice'], { env })).stdout).toMatch(/^plugin=twice, first on PATH\n/);
    expect((await runCliOk(['late'], { env })).stdout).toMatch(/^plugin=late, executable\n/);
  });

  it('passes the server and the token the client commands would use: JUNCTION_SERVER, and JUNCTION_TOKEN from the env or <data-dir>/admin.token', async () => {
    const fromFile = await runCliOk(['echo'], { server: cli.server, env: { ...env, JUNCTION_DATA_DIR: cli.dataDir } });
    expect(fromFile.stdout).toContain(`server=${cli.server}\n`);
    expect(fromFile.stdout).toContain(`token=${readFileSync(join(cli.dataDir, 'admin.token'), 'utf8').trim()}\n`);

    const given = await runCliOk(['echo'], { server: cli.server, env: { ...env, JUNCTION_DATA_DIR: cli.dataDir, JUNCTION_TOKEN: 'explicit-token' } });
    expect(given.stdout).toContain('token=explicit-token\n');

    const defaults = await runCliOk(['echo'], { env });
    expect(defaults.stdout).toContain('server=http://127.0.0.1:8080\n');
    expect(defaults.stdout).toContain('token=<unset>\n');
  });

  it('a plugin killed by a signal kills junction with the same signal', async () => {
    const result = await runCli(['die'], { env });
    expect(result.signal).toBe('SIGTERM');
  });

  it('a SIGTERM sent to junction reaches the plugin, whose exit code junction then exits with', async () => {
    const { child, result } = startCli(['trap'], { env });
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()));
    child.kill('SIGTERM');
    const ended = await result;
    expect(ended.stdout).toBe('ready\ngot TERM\n');
    expect(ended.code).toBe(7);
  });

  it('the longest match wins: junction foo bar runs junction-foo-bar, junction foo baz runs junction-foo; words stop at the first option', async () => {
    const bar = await runCliOk(['foo', 'bar', 'baz'], { env });
    expect(lines(bar.stdout).slice(0, 2)).toEqual(['plugin=foo-bar', 'arg=baz']);
    const baz = await runCliOk(['foo', 'baz'], { env });
    expect(lines(baz.stdout).slice(0, 2)).toEqual(['plugin=foo', 'arg=baz']);
    const option = await runCliOk(['foo', '--x', 'bar'], { env });
    expect(lines(option.stdout).slice(0, 3)).toEqual(['plugin=foo', 'arg=--x', 'arg=bar']);
  });

  it('a dash inside a command word is an underscore in the file name, as in kn', async () => {
    const result = await runCliOk(['log-all', 'now'], { env });
    expect(lines(result.stdout).slice(0, 2)).toEqual(['plugin=log_all', 'arg=now']);
  });

  it('built-in commands win over plugins of the same name', async () => {
    const version = await runCliOk(['version', '--server', cli.server], { env });
    expect(version.stdout).toMatch(/^Client Version: /);
    const get = await runCli(['get', 'brokers'], { server: cli.server, env: { ...env, JUNCTION_DATA_DIR: cli.dataDir } });
    expect(get).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
  });

  it('with no plugin (or only a non-executable file) the unknown command is a JUNCTION_CLI_USAGE error with exit code 1', async () => {
    for (const name of ['nothing-here', 'noexec']) {
      const result = await runCli([name, 'x'], { env });
      expect(result).toMatchObject({ code: 1, stdout: '', stderr: `junction: JUNCTION_CLI_USAGE: unknown command '${name}'\n(add --help for usage)\n` });
    }
    expect((await runCli(['gt'], { env })).stderr).toBe("junction: JUNCTION_CLI_USAGE: unknown command 'gt'\n(Did you mean get?)\n(add --help for usage)\n");
  });

  it('a plugin that cannot be started is one JUNCTION_PLUGIN_FAILED line and exit 1', async () => {
    const path = writePlugin(binB, 'broken', 'echo never', { interpreter: '/nonexistent/interpreter' });
    const result = await runCli(['broken'], { env });
    expect(result).toMatchObject({ code: 1, stdout: '', stderr: `junction: JUNCTION_PLUGIN_FAILED: cannot run plugin ${path}: ENOENT\n` });
  });
});
