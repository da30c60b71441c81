import { connect, Events, nkeyAuthenticator, type ConnectionOptions, type JetStreamManager, type NatsConnection } from 'nats';
import { createError } from '../../core/errors.js';
import { natsError } from './nats-errors.js';
import type { ResolvedNatsOptions } from './nats-options.js';
import { ReplyInbox } from './reply-inbox.js';

/** A live connection with its JetStream handles. */
export interface NatsHandles {
  nc: NatsConnection;
  jsm: JetStreamManager;
  /** Cheap request/reply for publishes, timestamp lookups and acks. */
  replies: ReplyInbox;
}

/**
 * The factory's one connection to the server, opened on first use. After that nats.js reconnects
 * by itself, forever, whenever the server goes away; listeners hear about each reconnection so
 * consumers can renew their pull requests. A failed first connection is retried on the next use.
 */
export class NatsConnectionHolder {
  /** The server address(es) without credentials, for messages. */
  readonly address: string;
  private connecting: Promise<NatsHandles> | undefined;
  private readonly reconnectListeners = new Set<() => void>();
  private closed = false;
  private disconnected = false;

  constructor(
    private readonly options: ResolvedNatsOptions,
    private readonly report: (error: Error) => void,
  ) {
    this.address = options.servers.map(withoutCredentials).join(',');
  }

  /** The connection, connecting first if needed; JUNCTION_STORAGE_UNAVAILABLE when the server cannot be reached. */
  get(): Promise<NatsHandles> {
    if (this.closed) return Promise.reject(createError('JUNCTION_SHUTTING_DOWN', 'the nats channel factory is closed'));
    this.connecting ??= this.open().catch((error: unknown) => {
      this.connecting = undefined;
      throw natsError(this.address, 'connect', error);
    });
    return this.connecting;
  }

  /** Undefined while connected (or not connected yet), else why the server is not reachable. */
  health(): string | undefined {
    return this.disconnected ? `NATS server ${this.address} is unreachable (reconnecting)` : undefined;
  }

  /** Calls `listener` after every reconnection; returns the function that removes it. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Flushes what is pending (bounded) and closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const handles = await this.connecting?.catch(() => undefined);
    if (!handles || handles.nc.isClosed()) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.requestTimeoutMs)));
    await Promise.race([handles.nc.flush().catch(() => undefined), timeout]);
    clearTimeout(timer);
    handles.replies.close();
    await handles.nc.close();
  }

  /** TLS and NKEY authentication from the options (key material only ever goes to the client). */
  private security(): Pick<ConnectionOptions, 'tls' | 'authenticator'> {
    const { tls, nkeySeed } = this.options;
    const security: Pick<ConnectionOptions, 'tls' | 'authenticator'> = {};
    if (tls !== undefined && tls !== false) security.tls = tls === true ? {} : { ...tls };
    if (nkeySeed !== undefined) security.authenticator = nkeyAuthenticator(new TextEncoder().encode(nkeySeed));
    return security;
  }

  private async open(): Promise<NatsHandles> {
    const { servers, user, pass, token, connectionName, requestTimeoutMs, reconnectWaitMs } = this.options;
    const nc = await connect({
      servers,
      name: connectionName,
      ...(user !== undefined ? { user } : {}),
      ...(pass !== undefined ? { pass } : {}),
      ...(token !== undefined ? { token } : {}),
      ...this.security(),
      timeout: requestTimeoutMs,
      maxReconnectAttempts: -1,
      reconnectTimeWait: reconnectWaitMs,
      reconnectJitter: Math.min(100, reconnectWaitMs),
      pingInterval: 10_000,
      maxPingOut: 3,
      noAsyncTraces: true,
    });
    try {
      const jsm = await nc.jetstreamManager({ timeout: requestTimeoutMs });
      const replies = new ReplyInbox(nc);
      void this.watch(nc);
      void nc.closed().then((error) => {
        // nats.js retries forever; it only gives up on errors such as revoked credentials.
        if (!this.closed) this.report(natsError(this.address, 'connection closed for good, reopen the factory', error ?? new Error('closed')));
      });
      if (this.closed) {
        replies.close();
        await nc.close();
      }
      return { nc, jsm, replies };
    } catch (error) {
      await nc.close();
      throw error;
    }
  }

  private async watch(nc: NatsConnection): Promise<void> {
    try {
      for await (const status of nc.status()) {
        if (status.type === Events.Disconnect) this.disconnected = true;
        if (status.type !== Events.Reconnect) continue;
        this.disconnected = false;
        for (const listener of [...this.reconnectListeners]) listener();
      }
    } catch {
      // The status stream ends with the connection; nothing to report.
    }
  }
}

/** `nats://user:secret@host:4222` → `nats://host:4222`. */
function withoutCredentials(server: string): string {
  const at = server.lastIndexOf('@');
  if (at === -1) return server;
  const scheme = server.indexOf('://');
  return `${scheme === -1 ? '' : server.slice(0, scheme + 3)}${server.slice(at + 1)}`;
}
