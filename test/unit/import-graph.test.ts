import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { findCycles, importsOf, sourceFiles, type ImportEdge } from '../support/import-graph.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const files = sourceFiles(root);
const edges = files.flatMap((file) => importsOf(root, file));
const eslint = new ESLint({ cwd: root });

interface RestrictedPattern {
  regex: string;
  message: string;
  caseSensitive?: boolean;
}

/** The `no-restricted-imports` patterns eslint.config.js gives `file` (undefined: none apply). */
async function restrictedPatterns(file: string): Promise<RestrictedPattern[] | undefined> {
  const config = (await eslint.calculateConfigForFile(join(root, file))) as { rules?: Record<string, [number, { patterns: RestrictedPattern[] }?]> };
  return config.rules?.['no-restricted-imports']?.[1]?.patterns;
}

/** The lint message an import would get, applying the rule's regexes as ESLint does. */
function violation(patterns: RestrictedPattern[], specifier: string): string | undefined {
  return patterns.find((pattern) => new RegExp(pattern.regex, pattern.caseSensitive ? 'u' : 'iu').test(specifier))?.message;
}

const describeCycle = (cycle: string[]) => cycle.join(' → ');

describe('import graph of the product (core, channels, broker, sources, serving, scaler, dashboard, cli)', () => {
  it('reads every product file and its imports', () => {
    expect(files).toContain('broker/index.ts');
    expect(files).not.toContain('dashboard/static/app.js');
    expect(edges.some((edge) => edge.from.startsWith('broker/') && edge.to === 'channels/index.ts')).toBe(true);
  });

  it('has no import cycle (type-only imports count: they tie two files together all the same)', () => {
    const cycles = findCycles(edges).map(describeCycle);
    expect(cycles, `import cycles:\n${cycles.join('\n')}`).toEqual([]);
  });

  it('gives every product file the lint rules of its layer', async () => {
    const uncovered: string[] = [];
    for (const file of files) if (!(await restrictedPatterns(file))) uncovered.push(file);
    expect(uncovered, 'files no no-restricted-imports rule of eslint.config.js covers (nested deeper than MAX_DEPTH?)').toEqual([]);
  });

  it("keeps the dependency direction in the imports lint cannot see: import() and import('…') types", async () => {
    const unseen = edges.filter((edge) => edge.kind !== 'static');
    const wrong: string[] = [];
    for (const edge of unseen) {
      const message = violation((await restrictedPatterns(edge.from)) ?? [], edge.specifier);
      if (message) wrong.push(`${edge.from}: ${edge.kind} import of '${edge.specifier}': ${message}`);
    }
    expect(wrong).toEqual([]);
  });

  it('applies the rules to such imports: a dynamic import of broker/ from channels/ is one', async () => {
    const patterns = (await restrictedPatterns('channels/kafka/any-file.ts')) ?? [];
    expect(violation(patterns, '../../broker/index.js')).toMatch(/channels\/ may import only core\//);
    expect(violation(patterns, '../../core/cloudevent/types.js')).toMatch(/through its public index/);
    expect(violation(patterns, '../../core/cloudevent/index.js')).toBeUndefined();
    expect(violation(patterns, '../broker/index.js')).toBeUndefined();
  });
});

describe('import graph reader', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'junction-import-graph-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const write = (files: Record<string, string>) => {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      writeFileSync(join(scratch, file), text);
    }
  };
  const graph = (): ImportEdge[] => sourceFiles(scratch, ['lib']).flatMap((file) => importsOf(scratch, file));

  it('finds cycles made of type-only imports, export-from, import() and import types, each listed', () => {
    write({
      'lib/a.ts': "import type { B } from './b.js';\nexport type A = B;\n",
      'lib/b.ts': "export * from './deep/c.js';\nexport type B = string;\n",
      'lib/deep/c.ts': "export const load = () => import('../a.js');\n",
      'lib/d.ts': "export type E = import('./e.js').E;\n",
      'lib/e.ts': "export { type D } from './d.js';\nexport type E = number;\n",
      'lib/f.ts': "import './a.js';\nimport 'node:fs';\n",
    });
    expect(graph().map((edge) => `${edge.from} ${edge.kind} ${edge.to}`)).toContain('lib/deep/c.ts dynamic lib/a.ts');
    expect(findCycles(graph()).map(describeCycle)).toEqual(['lib/a.ts → lib/b.ts → lib/deep/c.ts → lib/a.ts', 'lib/d.ts → lib/e.ts → lib/d.ts']);
  });
});
