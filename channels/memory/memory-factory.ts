import { createError } from '../../core/errors.js';
import type { Channel, ChannelFactory } from '../channel.js';
import { LogChannel } from '../log/log-channel.js';
import { parseChannelSettings, type SettingsSchema } from '../settings.js';
import { MemoryLog, type MemoryRetention } from './memory-log.js';

/** Options of the memory engine; each channel may override them in its `open` settings. */
export interface MemoryChannelOptions {
  /** Records older than this are dropped (default 1 hour). */
  retentionMs?: number;
  /** At most this many records per channel (default 100000). */
  maxEvents?: number;
}

const DEFAULT_RETENTION_MS = 60 * 60 * 1000;
const DEFAULT_MAX_EVENTS = 100_000;

const settingsSchema: SettingsSchema = {
  type: 'object',
  properties: {
    retentionMs: { type: 'integer', minimum: 1 },
    maxEvents: { type: 'integer', minimum: 1 },
  },
};

/**
 * The `memory` engine: channels kept in process memory, NOT durable (lost on restart, like Knative's
 * InMemoryChannel). A channel's records and group positions outlive its handle until `drop` or
 * factory close, so closing and reopening a channel in one process keeps them.
 */
export class MemoryChannelFactory implements ChannelFactory {
  readonly kind = 'memory';
  readonly durable = false;
  private readonly defaults: MemoryRetention;
  private readonly logs = new Map<string, MemoryLog>();
  private readonly channels = new Map<string, LogChannel>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(options: MemoryChannelOptions = {}) {
    this.defaults = parseChannelSettings<MemoryRetention>('memory', settingsSchema, {
      retentionMs: options.retentionMs ?? DEFAULT_RETENTION_MS,
      maxEvents: options.maxEvents ?? DEFAULT_MAX_EVENTS,
    });
    // Appends trim as they go; this sweep trims channels that went quiet.
    const sweepMs = Math.min(60_000, Math.max(1_000, Math.floor(this.defaults.retentionMs / 4)));
    this.timer = setInterval(() => this.sweep(), sweepMs);
    this.timer.unref();
  }

  /** Opens (or returns the already open) channel `name`; settings: `retentionMs`, `maxEvents`. */
  open(name: string, settings: Record<string, unknown> = {}): Promise<Channel> {
    if (this.closed) return Promise.reject(createError('JUNCTION_SHUTTING_DOWN', 'the memory channel factory is closed'));
    const existing = this.channels.get(name);
    if (existing) return Promise.resolve(existing);
    try {
      const overrides = parseChannelSettings<Partial<MemoryRetention>>('memory', settingsSchema, settings);
      const retention = { ...this.defaults, ...overrides };
      let log = this.logs.get(name);
      if (log) log.configure(retention);
      else {
        log = new MemoryLog(retention);
        this.logs.set(name, log);
      }
      const channel = new LogChannel(name, log, () => {
        if (this.channels.get(name) === channel) this.channels.delete(name);
      });
      this.channels.set(name, channel);
      return Promise.resolve(channel);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** Deletes a channel's records and positions. */
  async drop(name: string): Promise<void> {
    await this.channels.get(name)?.close();
    this.logs.delete(name);
  }

  /** Closes every channel and forgets every record. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await Promise.all([...this.channels.values()].map((channel) => channel.close()));
    this.logs.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const log of this.logs.values()) log.trim(now);
  }
}
