#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript in dist/ (run `npm run build` first).
import('../dist/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('junction: dist/ is missing; run `npm run build` first');
  } else {
    console.error(`junction: ${error && error.message ? error.message : error}`);
  }
  process.exit(1);
});
