import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createError, toProblem } from '../../core/errors.js';
import {
  EventRecorder,
  parseFieldValidation,
  parseLabelSelector,
  type KindDefinition,
  type Resource,
  type ResourceService,
  type WriteOptions,
} from '../../core/resources/index.js';
import type { Authorizer } from '../tenants/authorizer.js';
import type { TokenInfo } from '../tenants/tokens.js';
import { checkNamespace } from './namespace-param.js';

type Params = { group?: string; version: string; namespace?: string; plural: string; name?: string };
type Query = { labelSelector?: string; watch?: string; resourceVersion?: string; fieldValidation?: string };
type ResourceRequest = FastifyRequest<{ Params: Params; Querystring: Query; Body: unknown }>;

/** What the control API needs. */
export interface ControlDependencies {
  resources: ResourceService;
  authorizer: Authorizer;
  recorder: EventRecorder;
}

/**
 * Kubernetes-style REST for every registered kind: `/apis/{group}/{version}/namespaces/{ns}/{plural}[/{name}]`
 * (and `/api/v1/...` for core kinds): create, get, list (labelSelector), replace, merge-patch, delete, watch.
 */
export async function registerResourceRoutes(app: FastifyInstance, deps: ControlDependencies): Promise<void> {
  const { resources, authorizer } = deps;
  // Watch streams never end by themselves: close them when the server shuts down.
  const watchers = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const stop of [...watchers]) stop();
  });
  const kindOf = (params: Params) => resources.kinds.forPlural(params.group ?? '', params.version, params.plural);
  // A namespace in the path is checked as a written one is: `Bad_NS` is a 400 on every verb, not an empty list.
  const namespaced = (request: ResourceRequest, action: 'read' | 'write') => {
    const caller = authorizer.check(request.headers.authorization, request.params.namespace, action);
    checkNamespace(request.params.namespace);
    return caller;
  };

  for (const prefix of ['/apis/:group/:version', '/api/:version']) {
    const collection = `${prefix}/namespaces/:namespace/:plural`;
    const item = `${collection}/:name`;

    app.get(collection, async (request: ResourceRequest, reply) => {
      const kind = kindOf(request.params);
      const caller = namespaced(request, 'read');
      if (request.query.watch === 'true' || request.query.watch === '1') return watch(request, reply, kind, request.params.namespace, caller);
      return listResponse(kind, resources.list(kind, request.params.namespace, request.query.labelSelector), resources.store.resourceVersion);
    });
    app.get(`${prefix}/:plural`, async (request: ResourceRequest, reply) => {
      const kind = kindOf(request.params);
      const caller = authorizer.check(request.headers.authorization, undefined, 'read');
      if (request.query.watch === 'true' || request.query.watch === '1') return watch(request, reply, kind, undefined, caller);
      return listResponse(kind, resources.list(kind, undefined, request.query.labelSelector), resources.store.resourceVersion);
    });
    app.post(collection, async (request: ResourceRequest, reply) => {
      const kind = kindOf(request.params);
      namespaced(request, 'write');
      const document = checkedDocument(request.body, kind, request.params);
      const { resource, warnings } = resources.write(document, 'create', request.params.namespace, writeOptions(request));
      return withWarnings(reply, warnings).code(201).send(resource);
    });
    app.get(item, async (request: ResourceRequest) => {
      const kind = kindOf(request.params);
      namespaced(request, 'read');
      return resources.get(kind, request.params.namespace!, request.params.name!);
    });
    app.put(item, async (request: ResourceRequest, reply) => {
      const kind = kindOf(request.params);
      namespaced(request, 'write');
      const document = checkedDocument(request.body, kind, request.params);
      const { resource, created, warnings } = resources.write(document, 'apply', request.params.namespace, writeOptions(request));
      return withWarnings(reply, warnings).code(created ? 201 : 200).send(resource);
    });
    app.patch(item, async (request: ResourceRequest, reply) => {
      const kind = kindOf(request.params);
      namespaced(request, 'write');
      const { resource, warnings } = resources.patch(kind, request.params.namespace!, request.params.name!, request.body, writeOptions(request));
      return withWarnings(reply, warnings).send(resource);
    });
    app.delete(item, async (request: ResourceRequest) => {
      const kind = kindOf(request.params);
      namespaced(request, 'write');
      const deleted = resources.delete(kind, request.params.namespace!, request.params.name!);
      deps.recorder.forget(EventRecorder.key(request.params.namespace!, kind.kind, request.params.name!));
      return deleted;
    });
  }

  /** Recent happenings of one resource, for `junction describe`. */
  app.get('/apis/junction.dev/v1/namespaces/:namespace/events', async (request: FastifyRequest<{ Params: { namespace: string }; Querystring: { kind?: string; name?: string } }>) => {
    authorizer.check(request.headers.authorization, request.params.namespace, 'read');
    checkNamespace(request.params.namespace);
    const { kind, name } = request.query;
    if (!kind || !name) throw createError('JUNCTION_BAD_REQUEST', 'query parameters kind and name are required');
    return { items: deps.recorder.list(EventRecorder.key(request.params.namespace, kind, name)) };
  });

  /** Streams changes as NDJSON until the client leaves, the server closes or the caller's token is revoked. */
  function watch(request: ResourceRequest, reply: FastifyReply, kind: KindDefinition, namespace: string | undefined, caller: TokenInfo | undefined): FastifyReply {
    const matcher = parseLabelSelector(request.query.labelSelector);
    const since = request.query.resourceVersion !== undefined ? Number(request.query.resourceVersion) : undefined;
    if (since !== undefined && !Number.isInteger(since)) throw createError('JUNCTION_BAD_REQUEST', 'resourceVersion must be an integer');
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
    reply.raw.flushHeaders();
    const send = (type: string, object: Resource) => {
      if (object.kind !== kind.kind || (namespace !== undefined && object.metadata.namespace !== namespace) || !matcher(object.metadata.labels)) return;
      reply.raw.write(`${JSON.stringify({ type, object: resources.redact(kind, object) })}\n`);
    };
    if (since === undefined) for (const object of resources.store.list(kind.group, kind.kind, namespace)) send('ADDED', object);
    const unwatch = resources.store.watch((event) => send(event.type, event.object), since);
    const stop = () => {
      unwatch();
      forgetToken();
      watchers.delete(stop);
      if (!reply.raw.writableEnded) reply.raw.end();
    };
    // A revoked token must not keep reading: the stream ends with a Kubernetes-style ERROR line.
    const forgetToken = authorizer.whenRevoked(caller, () => {
      const problem = toProblem(createError('JUNCTION_UNAUTHENTICATED', `token ${caller?.id} was revoked; this watch is closed`), request.url);
      if (!reply.raw.writableEnded) reply.raw.write(`${JSON.stringify({ type: 'ERROR', object: problem })}\n`);
      stop();
    });
    watchers.add(stop);
    reply.raw.on('close', stop);
    return reply;
  }
}

/** `?fieldValidation=Strict|Warn|Ignore` (Kubernetes' parameter) as write options. */
function writeOptions(request: ResourceRequest): WriteOptions {
  const fieldValidation = parseFieldValidation(request.query.fieldValidation);
  if (!fieldValidation) throw createError('JUNCTION_BAD_REQUEST', `fieldValidation must be Strict, Warn or Ignore, not "${request.query.fieldValidation}"`);
  return { fieldValidation };
}

/** At most this many Warning headers per answer, each at most 256 characters (clients limit header sizes); a last one counts the rest. */
const MAX_WARNINGS = 20;

/** One RFC 7234 `Warning: 299 - "…"` header per warning, as the Kubernetes API server sends them. */
function withWarnings(reply: FastifyReply, all: string[]): FastifyReply {
  const warnings = all.length <= MAX_WARNINGS ? all : [...all.slice(0, MAX_WARNINGS - 1), `${all.length - MAX_WARNINGS + 1} more unknown fields were pruned`];
  // Header values are ASCII: anything else in a field name is sent \u-escaped.
  const quoted = (text: string) => JSON.stringify(text.length > 256 ? `${text.slice(0, 255)}…` : text).replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (warnings.length > 0) reply.header('warning', warnings.map((text) => `299 - ${quoted(text)}`));
  return reply;
}

function listResponse(kind: KindDefinition, items: Resource[], resourceVersion: number) {
  const apiVersion = kind.group ? `${kind.group}/${kind.versions[0]}` : kind.versions[0];
  return { apiVersion, kind: `${kind.kind}List`, metadata: { resourceVersion: String(resourceVersion) }, items };
}

/** The body as a resource of the URL's kind and namespace; mismatches are 400s, as in Kubernetes. */
function checkedDocument(body: unknown, kind: KindDefinition, params: Params): Resource {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw createError('JUNCTION_BAD_REQUEST', 'the body must be a JSON object');
  const document = body as Resource;
  document.apiVersion ??= kind.group ? `${kind.group}/${params.version}` : params.version;
  document.kind ??= kind.kind;
  if (document.kind !== kind.kind) throw createError('JUNCTION_BAD_REQUEST', `kind ${String(document.kind)} does not match the URL (${kind.kind})`);
  document.metadata = (document.metadata ?? {}) as Resource['metadata'];
  if (typeof document.metadata !== 'object' || Array.isArray(document.metadata)) {
    throw createError('JUNCTION_RESOURCE_INVALID', `${kind.kind} ${params.namespace}/${params.name ?? ''} is invalid: metadata: must be an object`, { problems: [{ path: 'metadata', message: 'must be an object' }] });
  }
  if (document.metadata.namespace !== undefined && document.metadata.namespace !== params.namespace) {
    throw createError('JUNCTION_BAD_REQUEST', `metadata.namespace ${document.metadata.namespace} does not match the namespace of the URL (${params.namespace})`);
  }
  if (params.name !== undefined) {
    if (document.metadata.name !== undefined && document.metadata.name !== params.name) {
      throw createError('JUNCTION_BAD_REQUEST', `metadata.name ${document.metadata.name} does not match the name in the URL (${params.name})`);
    }
    document.metadata.name = params.name;
  }
  document.metadata.namespace = params.namespace;
  return document;
}
