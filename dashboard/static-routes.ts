import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
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
 * namespace named `ui` stay reachable.
 */
export async function registerStaticRoutes(app: FastifyInstance, staticDir: string | undefined): Promise<void> {
  const files = staticDir ? readdirSync(staticDir).filter((name) => contentTypes[extname(name)] !== undefined) : [];

  const send = async (reply: FastifyReply, name: string) => {
    if (!staticDir || !files.includes(name)) {
      throw createError('JUNCTION_NOT_FOUND', staticDir ? `no dashboard file ${name}` : 'the dashboard files are not installed (dashboard/static is missing)');
    }
    const body = await readFile(join(staticDir, name));
    reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').type(contentTypes[extname(name)]);
    if (name.endsWith('.html')) reply.header('content-security-policy', contentSecurityPolicy).header('referrer-policy', 'no-referrer');
    return reply.send(body);
  };

  app.get('/ui', async (_request, reply) => send(reply, 'index.html'));
  app.get('/ui/', async (_request, reply) => send(reply, 'index.html'));
  for (const name of files) app.get(`/ui/${name}`, async (_request, reply) => send(reply, name));

  // `/` leads to the dashboard unless something else already answers there.
  if (!app.hasRoute({ method: 'GET', url: '/' })) app.get('/', async (_request, reply) => reply.redirect('/ui', 302));
}
