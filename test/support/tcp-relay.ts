import { connect, createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';

/**
 * A relay on 127.0.0.1 in front of a real server's plain port: TCP, or TLS-terminating with `tls`
 * options (a server certificate, optionally `requestCert` for client certificates). Switched off it
 * closes its listener and cuts every connection; switched on again it listens on the same port.
 */
export class TcpRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly upstreamPort: number,
    private readonly tls: TlsOptions | undefined,
  ) {}

  /** A relay to `upstreamPort` on a free port; `listening: false` leaves it off (nothing answers there yet). */
  static async start(upstreamPort: number, options: { tls?: TlsOptions; listening?: boolean } = {}): Promise<TcpRelay> {
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const relay = new TcpRelay(port, upstreamPort, options.tls);
    if (options.listening !== false) await relay.on();
    return relay;
  }

  async on(): Promise<void> {
    if (this.server) return;
    const relay = (client: Socket): void => {
      const upstream = connect(this.upstreamPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    };
    const server = this.tls ? createTlsServer(this.tls, relay) : createTcpServer(relay);
    // Refused TLS handshakes (unknown CA, no client certificate) are what some tests are about.
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  async off(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
