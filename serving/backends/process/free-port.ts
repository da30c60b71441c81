import { createServer } from 'node:net';

/**
 * A TCP port on `host` that nothing listens on now (the OS picks it: listen on port 0, read it,
 * close), skipping `taken` (ports handed out before whose process may not listen yet). Another
 * program may still grab it before the replica listens; that replica then fails and is restarted.
 */
export async function freePort(host: string, taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, host, () => {
        const address = server.address();
        server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error(`no port on ${host}`))));
      });
    });
    if (!taken.has(port) || attempt >= 20) return port;
  }
}
