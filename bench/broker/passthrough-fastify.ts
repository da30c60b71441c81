import Fastify from 'fastify';
import { Pool } from 'undici';

/**
 * A second baseline: the same pass-through proxy as passthrough.ts, but on fastify with a raw-body
 * parser and a parameterised route, as Junction's ingress is. The gap between the two proxies is
 * the web framework's share; the gap between this one and Junction is Junction's own work
 * (decoding, storage, filtering, delivery bookkeeping). Prints its port on stdout.
 */
const target = process.argv[2];
if (!target) throw new Error('usage: passthrough-fastify.js <sink url>');
const pool = new Pool(target, { connections: 128 });
const app = Fastify({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
app.post('/:namespace/:broker', async (request, reply) => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers[name] = value;
  try {
    const answer = await pool.request({ path: '/', method: 'POST', headers, body: request.body as Buffer });
    await answer.body.dump();
    return reply.code(answer.statusCode === 200 ? 202 : answer.statusCode).send();
  } catch {
    return reply.code(502).send();
  }
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
