import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createError, errorCatalog, toProblem } from '../../core/errors.js';

describe('error catalog', () => {
  const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'errors.md'), 'utf8');

  it.each(Object.entries(errorCatalog))('documents %s with its HTTP status in docs/errors.md', (code, entry) => {
    const row = docs.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    expect(row, `docs/errors.md has no row for ${code}`).toBeDefined();
    expect(row!.split('|')[2].trim()).toBe(String(entry.status));
  });

  it('documents no code the catalog lacks', () => {
    const documented = [...docs.matchAll(/^\| `(JUNCTION_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(errorCatalog).sort());
  });

  it('renders RFC 9457 problems and hides unexpected errors', () => {
    const problem = toProblem(createError('JUNCTION_EVENT_INVALID', '1 problem', { problems: [{ path: 'id', message: 'missing' }] }), '/x');
    expect(problem).toMatchObject({ status: 400, code: 'JUNCTION_EVENT_INVALID', detail: '1 problem', instance: '/x', errors: [{ path: 'id', message: 'missing' }] });
    const hidden = toProblem(new Error('secret internals at /etc/passwd'));
    expect(hidden).toMatchObject({ status: 500, code: 'JUNCTION_INTERNAL' });
    expect(JSON.stringify(hidden)).not.toContain('passwd');
  });
});
