import { connect } from 'node:net';
import { request } from 'undici';

/** Knative's readiness probe shapes (a container's `readinessProbe`), for a local process. */
export interface ReadinessProbe {
  httpGet?: { path?: string; port?: number | string };
  tcpSocket?: { port?: number | string };
  /** Per check (default 1 s). */
  timeoutSeconds?: number;
}

/**
 * One check of `probe` against a process listening on `host`:`defaultPort`: an httpGet passes on
 * any 2xx/3xx answer, a tcpSocket when a connection opens. Never throws.
 */
export async function probeOnce(probe: ReadinessProbe, host: string, defaultPort: number, signal?: AbortSignal): Promise<boolean> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) {
    const port = portOf(probe.httpGet.port, defaultPort);
    try {
      const answer = await request(`http://${host}:${port}${probe.httpGet.path ?? '/'}`, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal, headers: { 'user-agent': 'junction-probe' } });
      await answer.body.dump();
      return answer.statusCode >= 200 && answer.statusCode < 400;
    } catch {
      return false;
    }
  }
  const port = portOf(probe.tcpSocket?.port, defaultPort);
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

function portOf(port: number | string | undefined, fallback: number): number {
  const number = typeof port === 'string' ? Number(port) : port;
  return number !== undefined && Number.isInteger(number) && number > 0 ? number : fallback;
}
