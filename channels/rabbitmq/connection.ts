import { isIP, type Socket } from 'node:net';
import amqp, { type Channel as AmqpChannel, type ChannelModel, type ConfirmChannel, type Options, type SocketOptions } from 'amqplib';
import type { Logger } from 'pino';
import { backoffDelay, type BackoffPolicy } from '../../core/backoff/index.js';
import type { JunctionError } from '../../core/errors.js';
import { shuttingDown, unavailable } from './failures.js';
import type { ResolvedOptions } from './options.js';

/** Told when the connection comes up (again) and when it is lost. */
export interface ConnectionListener {
  up(): void | Promise<void>;
  down(): void;
}

/**
 * The factory's one AMQP connection. Reconnects by itself (exponential backoff) after the server
 * goes away; listeners re-create their channels and consumers on `up`. Never logs credentials.
 */
export class RabbitConnection {
  readonly address: string;
  private readonly connectOptions: Options.Connect;
  private readonly socketOptions: SocketOptions;
  private readonly secrets: string[];
  private model: ChannelModel | undefined;
  private state: 'idle' | 'connecting' | 'up' | 'waiting' | 'closed' = 'idle';
  private attempt: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Reconnects: from reconnectDelayMs doubling up to reconnectMaxDelayMs, spread ±20 %. */
  private readonly reconnectBackoff: BackoffPolicy;
  /** Failed attempts since the connection was last up. */
  private reconnects = 0;
  private lastFailure: unknown;
  private readonly listeners = new Set<ConnectionListener>();

  constructor(private readonly options: ResolvedOptions) {
    const url = new URL(options.url);
    const tls = url.protocol === 'amqps:';
    const username = options.username ?? (url.username ? decodeURIComponent(url.username) : 'guest');
    const password = options.password ?? (url.password ? decodeURIComponent(url.password) : 'guest');
    const vhost = url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : '/';
    const port = url.port ? Number(url.port) : tls ? 5671 : 5672;
    this.connectOptions = { protocol: tls ? 'amqps' : 'amqp', hostname: url.hostname, port, username, password, vhost, heartbeat: options.heartbeatSeconds };
    // noDelay: with Nagle on, every stream publisher confirm waits ~40 ms for a delayed ACK.
    this.socketOptions = { clientProperties: { connection_name: options.connectionName }, timeout: options.operationTimeoutMs, noDelay: true, ...tlsSocketOptions(url, options.tls) };
    this.address = `${url.hostname}:${port}${vhost === '/' ? '' : `/${vhost}`}`;
    this.secrets = [password, encodeURIComponent(password), ...(options.tls?.key ? [options.tls.key] : [])];
    this.reconnectBackoff = { kind: 'exponential', baseMs: options.reconnectDelayMs, maxMs: options.reconnectMaxDelayMs, jitter: { ratio: 0.2 } };
  }

  get logger(): Logger | undefined {
    return this.options.logger;
  }

  isUp(): boolean {
    return this.state === 'up';
  }

  /** Undefined while connected (or never tried), else why the server is not reachable. */
  health(): string | undefined {
    return this.state === 'connecting' || this.state === 'waiting' ? `RabbitMQ at ${this.address} is unreachable (reconnecting)` : undefined;
  }

  /** Resolves once connected; connects now if not (without waiting for the backoff), rejects when that fails. */
  ready(): Promise<void> {
    if (this.state === 'up') return Promise.resolve();
    if (this.state === 'closed') return Promise.reject(shuttingDown('the rabbitmq channel factory'));
    if (this.state === 'idle' || this.state === 'waiting') {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.connect();
    }
    return this.attempt ?? Promise.reject(this.failure('the server is unreachable', this.lastFailure));
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: ConnectionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new AMQP channel; its 'error' events are absorbed (owners watch 'close' and failed calls). */
  async channel(): Promise<AmqpChannel> {
    const channel = await this.model$().createChannel();
    channel.on('error', () => undefined);
    return channel;
  }

  /** A new channel in publisher-confirm mode. */
  async confirmChannel(): Promise<ConfirmChannel> {
    const channel = await this.model$().createConfirmChannel();
    channel.on('error', () => undefined);
    return channel;
  }

  /** JUNCTION_STORAGE_UNAVAILABLE for this server, with secrets removed from the cause. */
  failure(what: string, cause?: unknown): JunctionError {
    return unavailable(this.address, what, cause, this.secrets);
  }

  /** Stops reconnecting and closes the connection. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.timer);
    this.listeners.clear();
    await this.attempt?.catch(() => undefined);
    const model = this.model;
    this.model = undefined;
    await model?.close().catch(() => undefined);
  }

  private model$(): ChannelModel {
    if (this.state !== 'up' || !this.model) throw this.failure('not connected', this.lastFailure);
    return this.model;
  }

  private connect(): void {
    this.state = 'connecting';
    this.attempt = amqp.connect(this.connectOptions, this.socketOptions).then(
      (model) => this.connected(model),
      (error: unknown) => {
        this.lastFailure = error;
        if (this.state === 'closed') throw shuttingDown('the rabbitmq channel factory');
        this.scheduleReconnect();
        throw this.failure('cannot connect', error);
      },
    );
    // Callers of ready() see the rejection; the background loop must not leave it unhandled.
    this.attempt.catch(() => undefined);
  }

  private connected(model: ChannelModel): void {
    if (this.state === 'closed') {
      model.close().catch(() => undefined);
      throw shuttingDown('the rabbitmq channel factory');
    }
    this.model = model;
    this.state = 'up';
    this.reconnects = 0;
    coalesceWrites((model as unknown as { connection?: { stream?: Socket } }).connection?.stream);
    model.on('error', (error: unknown) => {
      this.lastFailure = error;
    });
    model.on('blocked', (reason: string) => this.logger?.warn({ server: this.address, reason }, 'RabbitMQ blocked publishing'));
    model.on('unblocked', () => this.logger?.info({ server: this.address }, 'RabbitMQ unblocked publishing'));
    model.on('close', (error?: unknown) => {
      if (error !== undefined) this.lastFailure = error;
      this.lost(model);
    });
    this.logger?.info({ server: this.address }, 'connected to RabbitMQ');
    for (const listener of [...this.listeners]) {
      Promise.resolve()
        .then(() => listener.up())
        .catch((error: unknown) => this.logger?.warn({ server: this.address, err: this.failure('recovery failed', error).message }, 'RabbitMQ channel recovery failed'));
    }
  }

  private lost(model: ChannelModel): void {
    if (this.model !== model || this.state === 'closed') return;
    this.model = undefined;
    this.logger?.warn({ server: this.address, err: this.failure('connection lost', this.lastFailure).message }, 'lost the RabbitMQ connection; reconnecting');
    this.scheduleReconnect();
    for (const listener of [...this.listeners]) listener.down();
  }

  private scheduleReconnect(): void {
    this.state = 'waiting';
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.state === 'waiting') this.connect();
    }, Math.round(backoffDelay(this.reconnectBackoff, this.reconnects)));
    this.reconnects += 1;
  }
}

/**
 * The `tls` option as Node TLS options (amqplib hands its socket options to `tls.connect` for
 * amqps://): the CA to trust, the client certificate, the name to check the server's against
 * (the URL's host unless it is an IP address, which is checked against the certificate's IP SANs).
 */
function tlsSocketOptions(url: URL, tls: ResolvedOptions['tls']): SocketOptions {
  if (!tls) return {};
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const servername = tls.servername ?? (isIP(host) ? undefined : host);
  return {
    ...(tls.ca !== undefined ? { ca: [tls.ca] } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert, key: tls.key } : {}),
    ...(servername !== undefined ? { servername } : {}),
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
  };
}

/**
 * amqplib writes every frame (method, header, body; publishes and acks) to the socket on its own,
 * one syscall each — a quarter of the event loop under load. Corking the socket on the first write
 * of an event-loop turn and uncorking it at the turn's end sends that turn's frames in one write.
 */
function coalesceWrites(socket: Socket | undefined): void {
  if (!socket || typeof socket.cork !== 'function') return;
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  socket.write = ((...args: unknown[]) => {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      setImmediate(() => {
        corked = false;
        socket.uncork();
      });
    }
    return write(...args);
  }) as Socket['write'];
}
