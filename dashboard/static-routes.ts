import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { createError } from '../core/errors.js';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The page loads only its own files and talks only to this server. */
const contentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The plotting library's files the page imports, served at `/ui/vendor/<name>` from the installed `uplot` package. */
const VENDOR_FILES = ['uPlot.esm.js', 'uPlot.min.css'] as const;

/** Where the installed `uplot` package keeps `name`, or undefined when it is not installed. */
function vendorPath(name: (typeof VENDOR_FILES)[number]): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(`uplot/dist/${name}`);
  } catch {
    return undefined;
  }
}

/**
 * The folder holding the page: `./static` beside the source file (tests, tsx), or
 * `<package>/dashboard/static` seen from the compiled `dist/dashboard/` (build, installed package).
 */
export function findStaticDir(candidates = [new URL('./static/', import.meta.url), new URL('../../dashboard/static/', import.meta.url)]): string | undefined {
  return candidates.map((url) => fileURLToPath(url)).find((dir) => existsSync(join(dir, 'index.html')));
}

/**
 * Serves the dashboard's files at `/ui`, `/ui/` and `/ui/<file>` — only files present in the
 * folder at start, each as an exact route, so no path can reach outside it and ingress paths of a
 * namespace named `ui` stay reachable — and uPlot's two files at `/ui/vendor/…`, two fixed routes.
 */
export async function registerStaticRoutes(app: FastifyInstance, staticDir: string | undefined): Promise<void> {
  const files = staticDir ? readdirSync(staticDir).filter((name) => contentTypes[extname(name)] !== undefined) : [];

  const serve = async (reply: FastifyReply, path: string, name: string) => {
    const body = await readFile(path);
    reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').type(contentTypes[extname(name)]);
    if (name.endsWith('.html')) reply.header('content-security-policy', contentSecurityPolicy).header('referrer-policy', 'no-referrer');
    return reply.send(body);
  };
  const send = async (reply: FastifyReply, name: string) => {
    if (!staticDir || !files.includes(name)) {
      throw createError('JUNCTION_NOT_FOUND', staticDir ? `no dashboard file ${name}` : 'the dashboard files are not installed (dashboard/static is missing)');
    }
    return serve(reply, join(staticDir, name), name);
  };

  app.get('/ui', async (_request, reply) => send(reply, 'index.html'));
  app.get('/ui/', async (_request, reply) => send(reply, 'index.html'));
  for (const name of files) app.get(`/ui/${name}`, async (_request, reply) => send(reply, name));
  for (const name of VENDOR_FILES) {
    const path = vendorPath(name);
    app.get(`/ui/vendor/${name}`, async (_request, reply) => {
      if (!path) throw createError('JUNCTION_NOT_FOUND', `the plotting library is not installed (npm package uplot, file ${name})`);
      return serve(reply, path, name);
    });
  }

  // `/` leads to the dashboard unless something else already answers there.
  if (!app.hasRoute({ method: 'GET', url: '/' })) app.get('/', async (_request, reply) => reply.redirect('/ui', 302));
}
