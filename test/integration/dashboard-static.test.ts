import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { Authorizer, BrokerMetrics } from '../../broker/index.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('dashboard page files', () => {
  let junction: TestJunction;
  const get = async (path: string, base = junction.url) => {
    const response = await request(`${base}${path}`);
    return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
  };

  beforeAll(async () => {
    junction = await startTestJunction({ 'auth.mode': 'on' });
  });
  afterAll(async () => junction?.stop());

  it('serves the page at /ui and /ui/ without a token, uncached, with a strict content policy', async () => {
    for (const path of ['/ui', '/ui/', '/ui/index.html']) {
      const page = await get(path);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.text).toContain('<script type="module" src="/ui/app.js"></script>');
    }
  });

  it('serves every module the page imports, and its stylesheet, with the right types', async () => {
    const pending = ['app.js'];
    const served = new Set<string>();
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (served.has(name)) continue;
      const file = await get(`/ui/${name}`);
      expect({ name, status: file.status, type: file.headers['content-type'] }).toEqual({ name, status: 200, type: 'text/javascript; charset=utf-8' });
      expect(file.headers['cache-control']).toBe('no-cache');
      served.add(name);
      for (const match of file.text.matchAll(/from '\.\/([a-z-]+\.js)'/g)) pending.push(match[1]);
    }
    expect([...served].sort()).toEqual(['api.js', 'app.js', 'cells.js', 'dom.js', 'messaging-model.js', 'messaging-views.js', 'model.js', 'plot-specs.js', 'plots.js', 'source-views.js', 'stats-model.js', 'summaries.js', 'views.js']);
    const css = await get('/ui/style.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('serves the plotting library the page imports (uPlot) from the installed package, at two fixed paths', async () => {
    const page = await get('/ui');
    expect(page.text).toContain('<link rel="stylesheet" href="/ui/vendor/uPlot.min.css">');
    expect((await get('/ui/plots.js')).text).toContain("import uPlot from './vendor/uPlot.esm.js';");
    for (const [name, type] of [['uPlot.esm.js', 'text/javascript; charset=utf-8'], ['uPlot.min.css', 'text/css; charset=utf-8']] as const) {
      const file = await get(`/ui/vendor/${name}`);
      expect({ name, status: file.status, type: file.headers['content-type'] }).toEqual({ name, status: 200, type });
      expect(file.text).toBe(readFileSync(join(ROOT, 'node_modules', 'uplot', 'dist', name), 'utf8'));
    }
    // Nothing else of the package, nor of node_modules, is reachable through that path.
    // (`/ui/vendor/../x` is `/ui/x`: ingress of a namespace "ui", which answers GET with 405.)
    for (const [path, status] of [['/ui/vendor/uPlot.iife.js', 404], ['/ui/vendor/uPlot.cjs.js', 404], ['/ui/vendor/', 404], ['/ui/vendor/%2e%2e/uPlot.d.ts', 405], ['/ui/vendor/../package.json', 405]] as const) {
      const answer = await get(path);
      expect({ path, status: answer.status }).toEqual({ path, status });
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.text).not.toMatch(/"devDependencies"|function uPlot/);
    }
  });

  it('serves nothing outside the static folder', async () => {
    // `/ui/<one segment>` that is no dashboard file falls to ingress of a namespace "ui" (405 for GET).
    for (const [path, status] of [['/ui/../package.json', 404], ['/ui/%2e%2e/package.json', 404], ['/ui/..%2fpackage.json', 405], ['/ui/missing.js', 405], ['/ui/static-routes.ts', 405], ['/ui/x/index.html', 404]] as const) {
      const answer = await get(path);
      expect({ path, status: answer.status }).toEqual({ path, status });
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.text).not.toContain('"devDependencies"');
    }
  });

  it('redirects / to /ui, and leaves ingress of a namespace named "ui" alone', async () => {
    const root = await request(`${junction.url}/`);
    await root.body.dump();
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/ui');
    const ingress = await request(`${junction.url}/ui/some-broker`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/cloudevents+json' } });
    const problem = (await ingress.body.json()) as { code: string };
    expect(problem.code).toBe('JUNCTION_UNAUTHENTICATED');
  });

  it('finds its files from the compiled dist/ too (npm run build does not copy them)', async () => {
    const compiled = join(ROOT, 'dist', 'dashboard', 'index.js');
    if (!existsSync(compiled)) throw new Error('dist/dashboard/index.js is missing: run `npm run build` before this test');
    const module = (await import(pathToFileURL(compiled).href)) as typeof import('../../dashboard/index.js');
    expect(module.findStaticDir()).toBe(join(ROOT, 'dashboard', 'static') + '/');
    const app = Fastify();
    await module.registerDashboard(app, { metrics: new BrokerMetrics({ defaultMetrics: false }), authorizer: new Authorizer(junction.tokens, true), tokens: junction.tokens });
    const page = await app.inject({ method: 'GET', url: '/ui' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(readFileSync(join(ROOT, 'dashboard', 'static', 'index.html'), 'utf8'));
    await app.close();
  });
});
