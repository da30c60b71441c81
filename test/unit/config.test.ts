import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/index.js';

describe('configuration', () => {
  it('applies defaults and freezes the result', () => {
    const config = loadConfig();
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.channels.sqlite.durability).toBe('full');
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('layers file < environment < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'junction-config-'));
    const file = join(dir, 'junction.yaml');
    writeFileSync(file, 'http:\n  port: 1111\ndataDir: /from/file\nlog:\n  level: debug\n');
    const config = loadConfig({ file, env: { JUNCTION_HTTP_PORT: '2222', JUNCTION_DATA_DIR: '/from/env' }, overrides: { 'http.port': 3333 } });
    expect(config.http.port).toBe(3333);
    expect(config.dataDir).toBe('/from/env');
    expect(config.log.level).toBe('debug');
  });

  it('rejects bad values with every problem and its path', () => {
    expect(() => loadConfig({ env: { JUNCTION_HTTP_PORT: 'abc' }, overrides: { 'log.level': 'loud', 'channels.sqlite.retention': 'a week', bogus: 1 } })).toThrow(
      expect.objectContaining({
        code: 'JUNCTION_CONFIG_INVALID',
        problems: expect.arrayContaining([
          expect.objectContaining({ path: 'JUNCTION_HTTP_PORT' }),
        ]),
      }),
    );
    try {
      loadConfig({ overrides: { 'log.level': 'loud', bogus: 1 } });
    } catch (error) {
      const paths = (error as { problems: Array<{ path: string }> }).problems.map((p) => p.path);
      expect(paths).toEqual(expect.arrayContaining(['log.level', '(root)']));
      return;
    }
    throw new Error('expected loadConfig to throw');
  });

  it('samples the dashboard plots every 10 s unless told otherwise, within sensible bounds', () => {
    expect(loadConfig().dashboard.sampleInterval).toBe('PT10S');
    expect(loadConfig({ overrides: { 'dashboard.sampleInterval': 'PT1S' } }).dashboard.sampleInterval).toBe('PT1S');
    for (const value of ['PT0S', 'PT10M', 'often']) {
      expect(() => loadConfig({ overrides: { 'dashboard.sampleInterval': value } })).toThrow(
        expect.objectContaining({ code: 'JUNCTION_CONFIG_INVALID', problems: [expect.objectContaining({ path: 'dashboard.sampleInterval' })] }),
      );
    }
  });
});
