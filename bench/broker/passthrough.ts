import { createServer } from 'node:http';
import { Pool } from 'undici';

/**
 * The benchmark's baseline: a plain HTTP pass-through proxy (no storage, no filtering) that forwards
 * every request to the sink and answers with the sink's status. Prints its port on stdout.
 */
const target = process.argv[2];
if (!target) throw new Error('usage: passthrough.js <sink url>');
const pool = new Pool(target, { connections: 128 });
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers[name] = value;
    pool.request({ path: '/', method: 'POST', headers, body: Buffer.concat(chunks) }).then(
      async (answer) => {
        await answer.body.dump();
        response.writeHead(answer.statusCode === 200 ? 202 : answer.statusCode).end();
      },
      () => response.writeHead(502).end(),
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
