import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Resource } from '../../core/resources/index.js';

/** A kind the fake serves (namespaced). */
export interface FakeKind {
  apiVersion: string;
  kind: string;
  plural: string;
}

/** One request as the fake saw it. */
export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

/**
 * A Kubernetes API server on 127.0.0.1:<random port> with the REST semantics watchers use:
 * discovery, list (with the collection's resourceVersion), watch (`?watch=1`: JSON lines
 * `{type, object}` from a resourceVersion, 410 Gone as an ERROR event when it was compacted away),
 * create/get/replace/delete with resourceVersion conflicts, a bearer token. The test drives it
 * directly (create/update/remove), cuts watch connections and compacts history.
 */
export interface FakeKubeApiServer {
  readonly url: string;
  /** The bearer token it requires (in `kubeconfig()`). */
  readonly token: string;
  readonly requests: FakeRequest[];
  /** A kubeconfig (YAML) for this server with its token; `insecure-skip-tls-verify` because it is plain HTTP. */
  kubeconfig(): string;
  create(object: Resource): Resource;
  /** Replaces an object (metadata.resourceVersion, when set, must match). */
  update(object: Resource): Resource;
  remove(apiVersion: string, kind: string, namespace: string, name: string): Resource;
  /** Drops every open watch connection (as a network cut would); returns how many there were. */
  cutWatches(): number;
  /** Watch connections open now. */
  openWatches(): number;
  /** Forgets the change history: a watch from an older resourceVersion gets 410 Gone. */
  compact(): void;
  close(): Promise<void>;
}

interface Watcher {
  collection: string;
  response: ServerResponse;
}

const TOKEN = 'fake-token';

/** Starts the fake with the kinds it serves (default: ConfigMap, Secret, apps/v1 Deployment). */
export async function startFakeKubeApiServer(kinds: FakeKind[] = defaultKinds): Promise<FakeKubeApiServer> {
  const objects = new Map<string, Resource>();
  const history: Array<{ rv: number; type: string; object: Resource; collection: string }> = [];
  const watchers = new Set<Watcher>();
  const requests: FakeRequest[] = [];
  let version = 0;
  let compactedAt = 0;

  const kindOf = (apiVersion: string, kind: string) => {
    const found = kinds.find((k) => k.apiVersion === apiVersion && k.kind === kind);
    if (!found) throw new FakeError(404, `no ${kind} in ${apiVersion}`);
    return found;
  };
  const collectionKey = (kind: FakeKind, namespace: string) => `${kind.apiVersion}|${kind.plural}|${namespace}`;
  const objectKey = (kind: FakeKind, namespace: string, name: string) => `${collectionKey(kind, namespace)}|${name}`;

  const record = (type: string, kind: FakeKind, object: Resource) => {
    const collection = collectionKey(kind, object.metadata.namespace ?? 'default');
    history.push({ rv: Number(object.metadata.resourceVersion), type, object: structuredClone(object), collection });
    for (const watcher of watchers) if (watcher.collection === collection) watcher.response.write(`${JSON.stringify({ type, object })}\n`);
  };

  const write = (object: Resource, mode: 'create' | 'update'): Resource => {
    const kind = kindOf(object.apiVersion, object.kind);
    const namespace = object.metadata.namespace ?? 'default';
    const key = objectKey(kind, namespace, object.metadata.name);
    const current = objects.get(key);
    if (mode === 'create' && current) throw new FakeError(409, `${kind.plural} "${object.metadata.name}" already exists`);
    if (mode === 'update' && !current) throw new FakeError(404, `${kind.plural} "${object.metadata.name}" not found`);
    if (mode === 'update' && object.metadata.resourceVersion !== undefined && object.metadata.resourceVersion !== current?.metadata.resourceVersion) {
      throw new FakeError(409, `Operation cannot be fulfilled on ${kind.plural} "${object.metadata.name}": the object has been modified`);
    }
    const stored = structuredClone(object);
    stored.metadata = {
      ...stored.metadata,
      namespace,
      uid: current?.metadata.uid ?? randomUUID(),
      creationTimestamp: current?.metadata.creationTimestamp ?? new Date().toISOString(),
      resourceVersion: String(++version),
    };
    objects.set(key, stored);
    record(current ? 'MODIFIED' : 'ADDED', kind, stored);
    return structuredClone(stored);
  };

  const remove = (apiVersion: string, kindName: string, namespace: string, name: string): Resource => {
    const kind = kindOf(apiVersion, kindName);
    const key = objectKey(kind, namespace, name);
    const current = objects.get(key);
    if (!current) throw new FakeError(404, `${kind.plural} "${name}" not found`);
    objects.delete(key);
    current.metadata.resourceVersion = String(++version);
    record('DELETED', kind, current);
    return current;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    requests.push({ method: request.method ?? '', path: url.pathname, query });
    if (request.headers.authorization !== `Bearer ${TOKEN}`) throw new FakeError(401, 'Unauthorized');
    const discovery = url.pathname.match(/^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/);
    if (discovery) {
      const groupVersion = discovery[1] ?? discovery[2];
      const served = kinds.filter((k) => k.apiVersion === groupVersion);
      if (served.length === 0) throw new FakeError(404, `no ${groupVersion}`);
      return json(response, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: served.map((k) => ({ name: k.plural, singularName: k.kind.toLowerCase(), namespaced: true, kind: k.kind, verbs: ['create', 'delete', 'get', 'list', 'update', 'watch'] })) });
    }
    const match = url.pathname.match(/^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/);
    if (!match) throw new FakeError(404, `no route ${url.pathname}`);
    const [, core, grouped, namespace, plural, name] = match;
    const kind = kinds.find((k) => k.apiVersion === (core ?? grouped) && k.plural === plural);
    if (!kind) throw new FakeError(404, `the server could not find the requested resource (${plural})`);
    const collection = collectionKey(kind, namespace);
    const body = async () => JSON.parse(await text(request)) as Resource;

    if (request.method === 'GET' && name === undefined && (query.watch === '1' || query.watch === 'true')) return watch(response, collection, query.resourceVersion);
    if (request.method === 'GET' && name === undefined) {
      const items = [...objects.entries()].filter(([key]) => key.startsWith(`${collection}|`)).map(([, object]) => {
        // As Kubernetes lists built-in kinds: items carry no apiVersion or kind.
        const { apiVersion: _apiVersion, kind: _kind, ...item } = object;
        return item;
      });
      return json(response, 200, { apiVersion: kind.apiVersion, kind: `${kind.kind}List`, metadata: { resourceVersion: String(version) }, items });
    }
    if (request.method === 'GET') {
      const found = objects.get(`${collection}|${name}`);
      if (!found) throw new FakeError(404, `${plural} "${name}" not found`);
      return json(response, 200, found);
    }
    if (request.method === 'POST' && name === undefined) return json(response, 201, write({ ...(await body()), apiVersion: kind.apiVersion, kind: kind.kind }, 'create'));
    if (request.method === 'PUT' && name !== undefined) return json(response, 200, write({ ...(await body()), apiVersion: kind.apiVersion, kind: kind.kind }, 'update'));
    if (request.method === 'DELETE' && name !== undefined) return json(response, 200, remove(kind.apiVersion, kind.kind, namespace, name));
    throw new FakeError(405, `${request.method} is not allowed here`);
  };

  const watch = (response: ServerResponse, collection: string, from: string | undefined) => {
    response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // As Kubernetes does: the headers go out at once, before any event.
    response.flushHeaders();
    const since = from === undefined || from === '' ? undefined : Number(from);
    if (since !== undefined && since !== 0 && since < compactedAt) {
      response.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: `too old resource version: ${since} (${compactedAt})` } })}\n`);
      return;
    }
    if (since === undefined || since === 0) {
      for (const [key, object] of objects) if (key.startsWith(`${collection}|`)) response.write(`${JSON.stringify({ type: 'ADDED', object })}\n`);
    } else {
      for (const entry of history) if (entry.collection === collection && entry.rv > since) response.write(`${JSON.stringify({ type: entry.type, object: entry.object })}\n`);
    }
    const watcher: Watcher = { collection, response };
    watchers.add(watcher);
    response.on('close', () => watchers.delete(watcher));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof FakeError ? error.status : 500;
      json(response, status, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: (error as Error).message, code: status });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token: TOKEN,
    requests,
    kubeconfig: () =>
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: fake\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true`,
        'users:',
        `- name: tester\n  user:\n    token: ${TOKEN}`,
        'contexts:',
        '- name: fake\n  context:\n    cluster: fake\n    user: tester',
        'current-context: fake',
        '',
      ].join('\n'),
    create: (object) => write(object, 'create'),
    update: (object) => write(object, 'update'),
    remove,
    cutWatches() {
      const count = watchers.size;
      for (const watcher of [...watchers]) watcher.response.destroy();
      watchers.clear();
      return count;
    },
    openWatches: () => watchers.size,
    compact() {
      history.length = 0;
      compactedAt = version;
    },
    async close() {
      for (const watcher of watchers) watcher.response.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

const defaultKinds: FakeKind[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps' },
  { apiVersion: 'v1', kind: 'Secret', plural: 'secrets' },
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments' },
];

class FakeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function text(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
