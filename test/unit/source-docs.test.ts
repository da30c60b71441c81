import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInSources } from '../../sources/index.js';

const DOCS = join(import.meta.dirname, '..', '..', 'docs', 'sources');

describe('every source kind is documented', () => {
  const index = readFileSync(join(DOCS, 'README.md'), 'utf8');
  for (const adapter of builtInSources) {
    const page = `${adapter.kind.toLowerCase()}.md`;
    it(`${adapter.kind} has docs/sources/${page}, listed in docs/sources/README.md`, () => {
      expect(existsSync(join(DOCS, page)), `docs/sources/${page}`).toBe(true);
      const text = readFileSync(join(DOCS, page), 'utf8');
      expect(text).toMatch(new RegExp(`^# ${adapter.kind}\\b`));
      // What it emits, with its type, and the YAML to apply.
      for (const type of adapter.eventTypes) expect(text).toContain(type.replace(/\*$/, ''));
      expect(text).toContain(`kind: ${adapter.kind}`);
      expect(index).toContain(`(${page})`);
    });
  }
});
