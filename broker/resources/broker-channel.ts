import { parse as parseYaml } from 'yaml';
import type { Resource, ResourceService } from '../../core/resources/index.js';
import { CHANNEL_ANNOTATION, EXTERNAL_TOPIC_ANNOTATION, requestedChannelKind, type BrokerSpec } from './broker-kind.js';

/** Namespaces whose ConfigMaps any broker may name in `spec.config` (Knative keeps them in knative-eventing). */
const SYSTEM_NAMESPACES = new Set(['knative-eventing', 'junction-system']);

/** Engines a backing channel kind maps to, as `channel-template-spec` names them. */
const templateEngines: Record<string, string> = { InMemoryChannel: 'memory', KafkaChannel: 'kafka' };

/** Which engine a broker runs on, with per-broker settings, and where that choice came from. */
export interface BrokerChannelChoice {
  engine: string;
  settings: Record<string, unknown>;
  source: 'annotation' | 'broker-class' | 'config' | 'namespace-default' | 'default';
}

/**
 * Picks a broker's engine: the `junction.dev/channel` annotation, else the broker class (Kafka,
 * RabbitMQBroker), else `spec.config` (a ConfigMap with Knative's `channel-template-spec`, or a
 * Kafka broker config with `default.topic.partitions` / `default.topic.replication.factor`), else
 * the namespace default, else the global default. A missing or foreign ConfigMap is ignored.
 */
export function chooseBrokerChannel(resources: ResourceService, broker: Resource, defaults: { engine: string; namespaces: Record<string, string> }): BrokerChannelChoice {
  const choice = chooseEngine(resources, broker, defaults);
  // Knative's external topic: a Kafka broker on a topic that exists already and is never deleted with it.
  const externalTopic = broker.metadata.annotations?.[EXTERNAL_TOPIC_ANNOTATION];
  if (choice.engine === 'kafka' && externalTopic) choice.settings = { ...choice.settings, topic: externalTopic };
  return choice;
}

function chooseEngine(resources: ResourceService, broker: Resource, defaults: { engine: string; namespaces: Record<string, string> }): BrokerChannelChoice {
  const namespace = broker.metadata.namespace ?? 'default';
  const fromConfig = configSettings(resources, broker, namespace);
  const requested = requestedChannelKind(broker);
  if (requested) {
    const source = broker.metadata.annotations?.[CHANNEL_ANNOTATION] ? 'annotation' : 'broker-class';
    return { engine: requested, settings: fromConfig?.engine === requested || fromConfig?.engine === undefined ? (fromConfig?.settings ?? {}) : {}, source };
  }
  if (fromConfig?.engine) return { engine: fromConfig.engine, settings: fromConfig.settings, source: 'config' };
  const namespaceDefault = defaults.namespaces[namespace];
  if (namespaceDefault) return { engine: namespaceDefault, settings: {}, source: 'namespace-default' };
  return { engine: defaults.engine, settings: {}, source: 'default' };
}

/** Engine and settings a broker's `spec.config` ConfigMap asks for (undefined when it names none we can read). */
function configSettings(resources: ResourceService, broker: Resource, namespace: string): { engine?: string; settings: Record<string, unknown> } | undefined {
  const config = (broker.spec as BrokerSpec | undefined)?.config;
  if (!config?.name || (config.kind ?? 'ConfigMap') !== 'ConfigMap') return undefined;
  const configNamespace = config.namespace ?? namespace;
  // A tenant may read its own ConfigMaps and the shared system ones, never another tenant's.
  if (configNamespace !== namespace && !SYSTEM_NAMESPACES.has(configNamespace)) return undefined;
  const configMap = resources.store.get({ group: '', kind: 'ConfigMap', namespace: configNamespace, name: config.name });
  const data = (configMap?.data ?? {}) as Record<string, string>;
  const template = data['channel-template-spec'] ?? data.channelTemplateSpec;
  if (typeof template === 'string') {
    const parsed = safeYaml(template) as { kind?: string; spec?: Record<string, unknown> } | undefined;
    const engine = parsed?.kind ? templateEngines[parsed.kind] : undefined;
    return engine ? { engine, settings: pick(parsed?.spec ?? {}, ['numPartitions', 'replicationFactor', 'retentionDuration']) } : undefined;
  }
  const settings: Record<string, unknown> = {};
  if (data['default.topic.partitions'] !== undefined) settings.numPartitions = Number(data['default.topic.partitions']);
  if (data['default.topic.replication.factor'] !== undefined) settings.replicationFactor = Number(data['default.topic.replication.factor']);
  if (data['default.topic.retention.ms'] !== undefined) settings.retentionDuration = `PT${Number(data['default.topic.retention.ms']) / 1000}S`;
  return Object.keys(settings).length > 0 ? { settings } : undefined;
}

function safeYaml(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    return undefined;
  }
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
}
