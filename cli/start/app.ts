import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Fastify from 'fastify';
import pino, { type Logger } from 'pino';
import {
  Authorizer,
  BrokerMetrics,
  BrokerPlane,
  ChannelPlane,
  Deliverer,
  IngestService,
  Quotas,
  createSinkResolver,
  localDelivery,
  type SinkResolver,
  TokenStore,
  ALL_NAMESPACES,
  brokerKind,
  brokerKinds,
  brokerReconcilers,
  triggerKind,
  answerClientError,
  installProblemHandlers,
  refuseWhileClosing,
  problemErrorHandler,
  registerJsonBodies,
  recordEventTypes,
  registerIngress,
  registerOpsRoutes,
  registerReplayRoutes,
  registerLogRoutes,
  registerDiscoveryRoutes,
  registerResourceRoutes,
  registerTokenRoutes,
} from '../../broker/index.js';
import { isLoopbackHost, type JunctionConfig } from '../../core/config/index.js';
import { StatsSampler, registerDashboard } from '../../dashboard/index.js';
import { createChannelRegistry, type EngineOverrides } from './engines.js';
import { droppingLogDestination } from './log-stream.js';
import { parseDurationMs } from '../../core/duration/index.js';
import {
  ControllerManager,
  EventRecorder,
  KindRegistry,
  ResourceService,
  ResourceStore,
} from '../../core/resources/index.js';
import { SqliteKeyValueStore, StorageHealth, ensurePrivateDir, openDatabase, writePrivateFile, type KeyValueStore } from '../../core/storage/index.js';
import { ProcessLogs } from '../../core/process/index.js';
import { builtInSources, createSourcesModule } from '../../sources/index.js';
import { inheritedProcessEnv } from './process-env.js';

/** A running Junction: its address and how to stop it. */
export interface RunningJunction {
  url: string;
  port: number;
  config: Readonly<JunctionConfig>;
  logger: Logger;
  resources: ResourceService;
  plane: BrokerPlane;
  tokens: TokenStore;
  /** Durable keys with expiry (webhook dedupe, pull-source offsets), in resources.db. */
  kv: KeyValueStore;
  authorizer: Authorizer;
  controllers: ControllerManager;
  authEnabled: boolean;
  /** Where sources send their events (in-process ingest or HTTP delivery with retries). */
  sinks: SinkResolver;
  /** Graceful stop: refuse new work, drain in-flight deliveries, persist positions, close storage. */
  close(): Promise<void>;
}

/** File (in the data dir) where the first cluster-admin token is written when auth is on. */
export const ADMIN_TOKEN_FILE = 'admin.token';
/** How often expired keys of the key-value store are deleted (they are invisible from their expiry on). */
const KV_SWEEP_INTERVAL_MS = 60_000;

/** Wires every module together and starts listening (port 0 picks a free port). */
export async function startJunction(config: Readonly<JunctionConfig>, options: { logger?: Logger; engineOverrides?: EngineOverrides } = {}): Promise<RunningJunction> {
  const logger = options.logger ?? pino({ level: config.log.level, base: undefined }, droppingLogDestination(process.stderr));
  const dataDir = resolve(config.dataDir);
  const { looseMode } = ensurePrivateDir(dataDir);
  if (looseMode !== undefined) {
    logger.warn({ dataDir, mode: looseMode.toString(8) }, `the data dir can be read by other local users (it holds Secrets and events): chmod 700 ${dataDir}`);
  }
  const health = new StorageHealth(dataDir, (store, failure, error) =>
    failure
      ? logger.error({ store, reason: failure.reason, err: (error as Error | undefined)?.message }, 'storage cannot be written: writes are refused and /readyz answers 503')
      : logger.info({ store }, 'storage can be written again'),
  );

  // One handle on resources.db for every store in it; closed after all of them.
  const database = openDatabase(join(dataDir, 'resources.db'));
  const store = new ResourceStore(database, health);
  const tokens = new TokenStore(database, health);
  const kv = new SqliteKeyValueStore(database, { health, onSweepError: (error) => logger.warn({ err: (error as Error).message }, 'sweeping expired keys failed') });
  kv.startSweeping(KV_SWEEP_INTERVAL_MS);
  // Each module brings its kinds: the broker's, then the sources' (later serving's).
  const sources = createSourcesModule(builtInSources);
  const kinds = new KindRegistry();
  for (const kind of [...brokerKinds, ...sources.kinds]) kinds.register(kind);
  const quotas = new Quotas(config.quotas.default, config.quotas.namespaces);
  const authEnabled = config.auth.mode === 'on' || (config.auth.mode === 'auto' && !isLoopbackHost(config.http.host));
  const authorizer = new Authorizer(tokens, authEnabled);
  // Every kind counts, EventTypes Junction recorded by itself too (they are bounded by maxRecordedEventTypes).
  const resources = new ResourceService(kinds, store, { beforeCreate: (namespace) => quotas.checkResourceCount(namespace, store.count(namespace)) });
  const recorder = new EventRecorder();

  const channels = createChannelRegistry(config, dataDir, resources, logger, options.engineOverrides, health);

  // Refusals for namespaces holding no broker or channel share one label value (planes are created below).
  const metrics: BrokerMetrics = new BrokerMetrics({ namespaceInUse: (namespace: string): boolean => plane.hasNamespace(namespace) || channelPlane.hasNamespace(namespace) });
  // Deliveries to Junction's own ingress (flow steps, replies to channels, dead letters into a
  // broker) are ingested in-process; those it declines (another namespace's) carry the namespace's
  // internal ingest token when auth is on.
  const own: { origin?: string } = {};
  const deliverer = new Deliverer({
    logger,
    local: localDelivery((): IngestService => ingest, () => own.origin),
    credentials: (target, namespace) => (target.origin === own.origin ? authorizer.internalToken(namespace) : undefined),
  });
  const plane = new BrokerPlane(channels, deliverer, metrics, logger, {
    defaultChannel: config.broker.defaultChannel,
    channelSettings: {},
    defaultTtl: config.broker.defaultTtl,
    queueLimit: config.broker.triggerQueueLimit,
  });

  const channelPlane = new ChannelPlane(channels, deliverer, metrics, logger, { engineSettings: {}, queueLimit: config.broker.triggerQueueLimit });
  const ingest = new IngestService({ plane, channels: channelPlane, quotas, metrics });

  let ready = false;
  let shuttingDown = false;
  // Every error answer is a problem document: those of routes, of fastify's router (bad URLs) and of
  // Node's HTTP parser (headers too large, malformed framing). Names (253 characters) fit in a path parameter.
  const app = Fastify({
    logger: false,
    bodyLimit: config.control.maxBodyBytes,
    forceCloseConnections: 'idle',
    // Requests that arrive during the shutdown get JUNCTION_SHUTTING_DOWN from refuseWhileClosing.
    return503OnClosing: false,
    routerOptions: { maxParamLength: 512 },
    frameworkErrors: problemErrorHandler(logger),
    clientErrorHandler: answerClientError,
  });
  registerJsonBodies(app);
  installProblemHandlers(app, logger);
  refuseWhileClosing(app, () => shuttingDown);
  await registerOpsRoutes(app, metrics, () => ready, authorizer, () => health.current());
  await registerResourceRoutes(app, { resources, authorizer, recorder });
  await registerDiscoveryRoutes(app, kinds, authorizer);
  await registerTokenRoutes(app, tokens, authorizer);
  await registerReplayRoutes(app, resources, plane, authorizer);
  await registerIngress(app, {
    ingest,
    authorizer,
    maxBodyBytes: config.ingress.maxBodyBytes,
    webhookAllowedRate: config.ingress.webhookAllowedRate,
  });
  // The dashboard's plots: rates and p99 latency of existing brokers and triggers, sampled in memory.
  const history = new StatsSampler(
    metrics,
    () => ({
      brokers: resources.list(brokerKind, undefined).map((broker) => ({ namespace: broker.metadata.namespace ?? 'default', name: broker.metadata.name })),
      triggers: resources.list(triggerKind, undefined).map((trigger) => ({ namespace: trigger.metadata.namespace ?? 'default', broker: String((trigger.spec as { broker?: string } | undefined)?.broker ?? 'default'), name: trigger.metadata.name })),
    }),
    { intervalMs: parseDurationMs(config.dashboard.sampleInterval), onError: (error) => logger.warn({ err: error }, 'dashboard history sample failed') },
  );
  await registerDashboard(app, { metrics, authorizer, tokens, history, listSources: () => sources.kinds.flatMap((kind) => resources.list(kind, undefined)) });

  const processLogs = new ProcessLogs();
  await registerLogRoutes(app, { logs: processLogs, authorizer });
  // Push-source routes are registered before listening; the sink resolver needs the URL, so it is read lazily.
  const lazy: { sinks?: SinkResolver } = {};
  const sourceReconcilers = await sources.start(app, {
    resources,
    sinks: { resolve: (namespace, destination, delivery) => lazy.sinks!.resolve(namespace, destination, delivery) },
    kv,
    logger,
    url: () => url,
    metricsRegistry: metrics.registry,
    logs: processLogs,
    processEnv: inheritedProcessEnv(),
  });

  await app.listen({ host: config.http.host, port: config.http.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  own.origin = new URL(url).origin;
  const sinks = createSinkResolver({ resources, ingest, deliverer, ownUrl: () => url });
  lazy.sinks = sinks;

  const controllers = new ControllerManager(resources, logger, recorder);
  const reconcilers = [
    ...brokerReconcilers({
      resources,
      plane,
      channelPlane,
      metrics,
      logger,
      url: () => url,
      defaultChannel: config.broker.defaultChannel,
      namespaceDefaults: config.broker.namespaceDefaults,
      maxInFlightPerTrigger: config.broker.maxInFlightPerTrigger,
    }),
    ...sourceReconcilers,
  ];
  for (const reconciler of reconcilers) controllers.register(reconciler);
  controllers.start();
  history.start();
  const stopEventTypes = recordEventTypes(plane, resources, logger, { quotas, metrics, events: recorder });

  if (authEnabled && !tokens.list(ALL_NAMESPACES).some((t) => t.role === 'admin')) {
    const { token } = tokens.create(ALL_NAMESPACES, 'admin', 'bootstrap cluster admin');
    const file = join(dataDir, ADMIN_TOKEN_FILE);
    if (!existsSync(file)) writePrivateFile(file, `${token}\n`);
    logger.warn({ file }, 'auth is on: a cluster-admin token was written to this file (readable by its owner only)');
  }
  ready = true;
  logger.info({ url, dashboard: `${url}/ui`, dataDir, auth: authEnabled }, 'Junction started');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      ready = false;
      shuttingDown = true;
      const graceMs = parseDurationMs(config.shutdown.drainTimeout) ?? 10_000;
      await app.close();
      controllers.stop();
      await sources.stop();
      history.stop();
      stopEventTypes();
      await Promise.all([plane.stop(graceMs), channelPlane.stop(graceMs)]);
      await channels.closeAll();
      await deliverer.close();
      kv.close();
      store.close();
      tokens.close();
      database.close();
      logger.info('Junction stopped');
    })());

  return { url, port, config, logger, resources, plane, tokens, kv, authorizer, controllers, authEnabled, sinks, close };
}
