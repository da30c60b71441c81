import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Dependency direction: each product folder and the folders it may import. Imports flow one way,
 * core <- channels <- broker <- sources, serving, scaler (and the dashboard) <- cli, so each folder can
 * be understood and replaced on its own; nothing imports scaler/ but the CLI, which wires everything.
 */
const LAYERS = {
  core: [],
  channels: ['core'],
  broker: ['core', 'channels'],
  sources: ['core', 'channels', 'broker'],
  serving: ['core', 'channels', 'broker'],
  // The KEDA scaler reads backlog through interfaces that broker/ and serving/ export.
  scaler: ['core', 'channels', 'broker', 'serving'],
  dashboard: ['core', 'channels', 'broker'],
  cli: ['core', 'channels', 'broker', 'sources', 'serving', 'scaler', 'dashboard'],
};

/**
 * What other folders may import of a folder (regex of the path inside it): its index.ts. core/ is a
 * set of concepts, each with its own index.ts, plus the error catalog; the server engines of
 * channels/ have their own index.ts, imported on demand so their client libraries load only when used.
 */
const PUBLIC_ENTRIES = { core: String.raw`[a-z-]+/index\.js|errors\.js`, channels: String.raw`(?:[a-z-]+/)?index\.js` };
const publicEntry = (folder) => PUBLIC_ENTRIES[folder] ?? String.raw`index\.js`;

/** Deepest folder nesting the rules below cover (the import-graph test fails on a deeper file). */
const MAX_DEPTH = 8;

/**
 * `no-restricted-imports` for the .ts files `depth` folders below the root inside `folder`: relative
 * imports that climb exactly to the root and name a folder outside `allowed` (or a non-public file
 * of an allowed one) are errors. Climbing exactly `depth` levels keeps a same-named subfolder safe.
 */
function importRules(folder, depth, allowed, forbidden) {
  const root = String.raw`^(?:\.\./){${depth}}`;
  const patterns = [
    {
      regex: `${root}(?:${forbidden.join('|')})(?:/|$)`,
      message: `${folder}/ may import ${allowed.length > 0 ? `only ${allowed.map((name) => `${name}/`).join(', ')}` : "nothing of Junction's"} (dependency direction, see LAYERS in eslint.config.js).`,
    },
    ...allowed.map((name) => ({
      regex: `${root}${name}/(?!(?:${publicEntry(name)})$)`,
      message: `import ${name}/ through its public index.ts${name === 'core' ? ' (core/<concept>/index.ts or core/errors.ts)' : ''}, never its internals.`,
    })),
  ];
  return { files: [`${folder}/${'*/'.repeat(depth - 1)}*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

const layerRules = Object.entries(LAYERS).flatMap(([folder, allowed]) => {
  const forbidden = [...Object.keys(LAYERS).filter((name) => name !== folder && !allowed.includes(name)), 'test', 'bench'];
  return Array.from({ length: MAX_DEPTH }, (_, index) => importRules(folder, index + 1, allowed, forbidden));
});

// Benchmarks may use any product code, but not the test suite: what both need lives in bench/support.
const benchRules = Array.from({ length: MAX_DEPTH }, (_, index) => ({
  files: [`bench/${'*/'.repeat(index)}*.ts`],
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ regex: String.raw`^(?:\.\./){${index + 1}}test(?:/|$)`, message: 'bench/ must not import test/: helpers both use live in bench/support.' }] }],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.junction/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  ...layerRules,
  ...benchRules,
  { files: ['bin/**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  {
    // The dashboard page: plain browser ES modules, no build step.
    files: ['dashboard/static/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'history', 'sessionStorage', 'fetch', 'URL', 'URLSearchParams', 'Intl', 'Node', 'setTimeout', 'clearTimeout', 'console'].map((name) => [name, 'readonly']),
      ),
    },
  },
);
