/** Limits of one namespace (quotas.default and quotas.namespaces.<ns>); absent means "no limit". */
const quotaProperties = {
  ingestPerSecond: { type: 'number', exclusiveMinimum: 0 },
  ingestBurst: { type: 'number', exclusiveMinimum: 0 },
  maxEventBytes: { type: 'integer', minimum: 1 },
  maxResources: { type: 'integer', minimum: 0 },
  /** EventTypes Junction records by itself per namespace; 0 records none. */
  maxRecordedEventTypes: { type: 'integer', minimum: 0 },
} as const;

/** JSON Schema of junction.yaml; ajv applies the defaults, so this file is where every default lives. */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    http: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
      },
    },
    grpc: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 9090 },
      },
    },
    dataDir: { type: 'string', minLength: 1, default: './.junction' },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        level: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
      },
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        /** auto: required unless every listener is on loopback. */
        mode: { enum: ['auto', 'on', 'off'], default: 'auto' },
      },
    },
    ingress: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        maxBodyBytes: { type: 'integer', minimum: 1024, default: 1048576 },
        webhookAllowedRate: { type: 'string', default: '*' },
      },
    },
    control: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        /** Largest control API request body (a resource, a patch, a token or replay request); 3 MiB, as kube-apiserver. */
        maxBodyBytes: { type: 'integer', minimum: 1024, default: 3145728 },
      },
    },
    broker: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        defaultChannel: { enum: ['sqlite', 'memory', 'kafka', 'nats', 'rabbitmq'], default: 'sqlite' },
        /** Per-namespace default engine of brokers and channels without their own choice. */
        namespaceDefaults: { type: 'object', additionalProperties: { enum: ['sqlite', 'memory', 'kafka', 'nats', 'rabbitmq'] }, default: {} },
        defaultTtl: { type: 'integer', minimum: 1, maximum: 10000, default: 255 },
        maxInFlightPerTrigger: { type: 'integer', minimum: 1, maximum: 100000, default: 256 },
        triggerQueueLimit: { type: 'integer', minimum: 16, default: 10000 },
      },
    },
    channels: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        sqlite: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            durability: { enum: ['full', 'normal'], default: 'full' },
            retention: { type: 'string', default: 'P7D' },
          },
        },
        memory: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            retention: { type: 'string', default: 'PT1H' },
            maxEvents: { type: 'integer', minimum: 1, default: 100000 },
          },
        },
        // Engine options are passed to the engine, which validates them when it is first used.
        nats: { $ref: '#/$defs/engine', default: {} },
        rabbitmq: { $ref: '#/$defs/engine', default: {} },
        kafka: { $ref: '#/$defs/engine', default: {} },
      },
    },
    quotas: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        // Recorded EventTypes are bounded out of the box; a namespace's own entry may raise or lower it.
        default: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: { ...quotaProperties, maxRecordedEventTypes: { ...quotaProperties.maxRecordedEventTypes, default: 1000 } },
        },
        namespaces: { type: 'object', additionalProperties: { $ref: '#/$defs/quota' }, default: {} },
      },
    },
    dashboard: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        /** How often the plots at /ui get a sample (kept for 15 minutes). */
        sampleInterval: { type: 'string', default: 'PT10S' },
      },
    },
    shutdown: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        drainTimeout: { type: 'string', default: 'PT10S' },
      },
    },
  },
  $defs: {
    engine: {
      type: 'object',
      properties: {
        /** `namespace/name` of a Secret whose keys (username, password, token…) are added to the options. */
        credentialsSecret: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$' },
        /** `namespace/name` of a Secret with `ca.crt` and/or `tls.crt` + `tls.key` (PEM): the engine's TLS. */
        tlsSecret: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$' },
      },
    },
    quota: { type: 'object', additionalProperties: false, properties: quotaProperties },
  },
} as const;
