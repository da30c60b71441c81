import { logLevel, type logCreator } from 'kafkajs';

/** The slice of a pino logger the kafka engine writes to (errors and warnings only). */
export interface KafkaEngineLogger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** Fields of a kafkajs log entry that are safe and useful to keep; everything else (configs, SASL, stacks) is dropped. */
const KEPT_FIELDS = ['broker', 'clientId', 'groupId', 'topic', 'partition', 'error', 'retryCount', 'retryTime'] as const;

/**
 * A kafkajs logCreator that forwards only ERROR entries, reduced to a whitelist of fields so that no
 * credential or full client configuration can reach the logs; without a logger it stays silent.
 */
export function quietLogCreator(logger: KafkaEngineLogger | undefined): logCreator {
  return () => (entry) => {
    if (!logger || entry.level > logLevel.ERROR) return;
    const fields: Record<string, unknown> = { engine: 'kafka', namespace: entry.namespace };
    for (const name of KEPT_FIELDS) {
      const value: unknown = entry.log[name];
      if (value !== undefined && value !== null) fields[name] = typeof value === 'object' ? String(value) : value;
    }
    logger.error(fields, `kafkajs: ${entry.log.message}`);
  };
}
