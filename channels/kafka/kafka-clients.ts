import { Kafka, logLevel, type Admin, type Producer, type SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import { KafkaProtocol } from './kafka-protocol.js';
import { quietLogCreator, type KafkaEngineLogger } from './kafka-logging.js';

/** How to reach the cluster. */
export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  ssl?: boolean | ConnectionOptions;
  sasl?: SASLOptions;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  retries: number;
  idempotent: boolean;
  logger?: KafkaEngineLogger;
}

/** The kafkajs clients one factory shares among its channels. */
export interface KafkaClients {
  kafka: Kafka;
  producer: Producer;
  admin: Admin;
  protocol: KafkaProtocol;
  disconnect(): Promise<void>;
}

/**
 * Connects the shared clients: an acks=all producer (idempotent unless turned off; one request in
 * flight, so retries cannot reorder), an admin client and the raw protocol access. Topics are
 * never auto-created by them. kafkajs logs only errors, through the quiet logCreator.
 */
export async function connectClients(connection: KafkaConnection): Promise<KafkaClients> {
  const kafka = new Kafka({
    clientId: connection.clientId,
    brokers: connection.brokers,
    ssl: connection.ssl,
    sasl: connection.sasl,
    connectionTimeout: connection.connectionTimeoutMs,
    requestTimeout: connection.requestTimeoutMs,
    retry: { retries: connection.retries },
    logLevel: logLevel.ERROR,
    logCreator: quietLogCreator(connection.logger),
  });
  const producer = kafka.producer({
    idempotent: connection.idempotent,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { retries: connection.retries },
  });
  const admin = kafka.admin();
  const protocol = KafkaProtocol.create(kafka);
  const disconnect = async (): Promise<void> => {
    await Promise.allSettled([producer.disconnect(), admin.disconnect(), protocol.disconnect()]);
  };
  try {
    await Promise.all([producer.connect(), admin.connect(), protocol.connect()]);
  } catch (error) {
    await disconnect();
    throw error;
  }
  return { kafka, producer, admin, protocol, disconnect };
}
