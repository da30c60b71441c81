import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import type { Resource } from '../../core/resources/index.js';
import type { SourceContext } from '../framework/adapter.js';
import type { ChangeEmitter, KindInfo } from './emitter.js';
import { kindKey, redactSecret, watches } from './mapping.js';
import type { ApiServerSpec, WatchedResource } from './spec.js';

const REQUEST_TIMEOUT_MS = 30_000;
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 10_000;
/** A watch that lasted this long was healthy: the next re-list does not back off. */
const HEALTHY_WATCH_MS = 1_000;

/** A cluster to watch: its kubeconfig, and its API server's URL (the events' `source`). */
export interface KubeCluster {
  config: KubeConfig;
  server: string;
}

/** Loads a kubeconfig (YAML or JSON); throws when it names no current cluster. */
export function loadCluster(kubeconfig: string): KubeCluster {
  const config = new KubeConfig();
  config.loadFromString(kubeconfig);
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current context with a cluster server');
  return { config, server: server.replace(/\/+$/, '') };
}

/** An API server answer other than 2xx (`statusCode` 410: the resourceVersion is too old). */
class ApiError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/** GETs a JSON document with the kubeconfig's credentials and TLS settings. */
async function getJson(cluster: KubeCluster, path: string, signal: AbortSignal): Promise<any> {
  const options: RequestOptions = { method: 'GET', headers: { accept: 'application/json' }, signal, timeout: REQUEST_TIMEOUT_MS };
  await cluster.config.applyToHTTPSOptions(options);
  const url = new URL(cluster.server + path);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 299) return reject(new ApiError(`GET ${path}: ${status} ${safeMessage(text)}`, status));
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new ApiError(`GET ${path}: the answer is not JSON`));
        }
      });
    });
    request.on('timeout', () => request.destroy(new ApiError(`GET ${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end();
  });
}

function safeMessage(text: string): string {
  try {
    return String((JSON.parse(text) as { message?: unknown }).message ?? '').slice(0, 300);
  } catch {
    return text.slice(0, 300);
  }
}

/** The plural of a namespaced kind, from the API server's discovery document. */
async function pluralOf(cluster: KubeCluster, entry: WatchedResource, signal: AbortSignal): Promise<string> {
  const discovery = await getJson(cluster, apiRoot(entry.apiVersion), signal);
  const found = ((discovery?.resources ?? []) as Array<{ name: string; kind: string; namespaced?: boolean }>).find((resource) => resource.kind === entry.kind && !resource.name.includes('/'));
  if (!found) throw new ApiError(`the cluster serves no ${entry.kind} in ${entry.apiVersion}`);
  if (!found.namespaced) throw new ApiError(`${entry.kind} is cluster-scoped: a source watches the objects of one namespace`);
  return found.name;
}

function apiRoot(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/**
 * Watches the kinds of `spec.resources` in one namespace of a cluster: list, then watch from the
 * list's resourceVersion; after any disconnect (or 410 Gone) it lists again and emits what the
 * listing shows changed, so an update made while no watch was open is still announced.
 * Returns the function that stops it.
 */
export function watchCluster(context: SourceContext, spec: ApiServerSpec, emitter: ChangeEmitter, cluster: KubeCluster): () => Promise<void> {
  const namespace = spec.kubeconfig?.namespace ?? context.namespace;
  const stopped = new AbortController();
  const byKind = new Map<string, WatchedResource>();
  for (const entry of spec.resources) if (!byKind.has(kindKey(entry.apiVersion, entry.kind))) byKind.set(kindKey(entry.apiVersion, entry.kind), entry);
  const failing = new Map<string, string>();

  const report = (key: string, problem: string | undefined) => {
    if (failing.get(key) === problem) return;
    if (problem === undefined) failing.delete(key);
    else failing.set(key, problem);
    if (failing.size > 0) context.report({ type: 'Deployed', status: 'False', reason: 'ApiServerUnavailable', message: [...failing.values()].join('; ') });
    else context.report({ type: 'Deployed', status: 'True' });
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        stopped.signal.removeEventListener('abort', done);
        resolve();
      }
      stopped.signal.addEventListener('abort', done);
    });

  const loop = async (key: string, entry: WatchedResource): Promise<void> => {
    const normalize = (object: Resource): Resource => redactSecret({ ...object, apiVersion: object.apiVersion ?? entry.apiVersion, kind: object.kind ?? entry.kind });
    let plural: string | undefined;
    for (let attempt = 0; !stopped.signal.aborted; ) {
      const began = Date.now();
      try {
        plural ??= await pluralOf(cluster, entry, stopped.signal);
        const kind: KindInfo = { key, plural };
        const path = `${apiRoot(entry.apiVersion)}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
        const list = await getJson(cluster, path, stopped.signal);
        emitter.resync(kind, ((list.items ?? []) as Resource[]).map(normalize), (object) => watches(spec, object));
        report(key, undefined);
        await watchOnce(cluster, path, String(list.metadata?.resourceVersion ?? ''), stopped.signal, (type, object) => {
          if (type === 'ADDED' || type === 'MODIFIED') emitter.observe(kind, normalize(object), watches(spec, normalize(object)));
          else if (type === 'DELETED') emitter.removed(kind, normalize(object));
        });
        attempt = Date.now() - began >= HEALTHY_WATCH_MS ? 0 : attempt + 1;
      } catch (error) {
        if (stopped.signal.aborted) return;
        const gone = (error as ApiError).statusCode === 410;
        context.logger[gone ? 'info' : 'warn']({ err: (error as Error).message, kind: entry.kind }, gone ? 'the watch position expired; listing again' : 'watching the cluster failed; retrying');
        if (!gone) report(key, `${entry.kind}: ${(error as Error).message}`);
        attempt = gone ? 0 : attempt + 1;
      }
      await sleep(attempt === 0 ? 0 : Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (attempt - 1)));
    }
  };

  const loops = [...byKind].map(([key, entry]) => loop(key, entry));
  return async () => {
    stopped.abort();
    await Promise.all(loops);
  };
}

/** One watch connection from `resourceVersion`; resolves when the server or network closes it, rejects on an error status or ERROR event (410 Gone…). */
function watchOnce(cluster: KubeCluster, path: string, resourceVersion: string, signal: AbortSignal, onEvent: (type: string, object: Resource) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let controller: AbortController | undefined;
    let failure: ApiError | undefined;
    let finished = false;
    // Stopping does not wait for an answer that has not come yet: the watch is aborted once it has.
    const abort = () => {
      controller?.abort();
      done(undefined);
    };
    signal.addEventListener('abort', abort);
    const done = (error: unknown) => {
      if (finished) return;
      finished = true;
      signal.removeEventListener('abort', abort);
      // A dropped connection is an ordinary end of a watch (the caller lists again); an HTTP error status is not.
      const status = (error as { statusCode?: number } | undefined)?.statusCode;
      const problem = failure ?? (status !== undefined ? new ApiError(`watch ${path}: ${status} ${(error as Error).message}`, status) : undefined);
      if (problem && !signal.aborted) reject(problem);
      else resolve();
    };
    const onLine = (type: string, object: any) => {
      if (failure) return;
      if (type === 'ERROR') {
        failure = new ApiError(`watch ${path}: ${object?.message ?? 'error'}`, object?.code);
        controller?.abort();
        return;
      }
      if (type !== 'BOOKMARK') onEvent(type, object as Resource);
    };
    new Watch(cluster.config)
      .watch(path, { resourceVersion, allowWatchBookmarks: true }, onLine, done)
      .then((started) => {
        controller = started;
        if (signal.aborted || failure) started.abort();
      }, done);
  });
}
